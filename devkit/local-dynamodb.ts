import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { IDEMPOTENCY_KEY_ATTRIBUTE } from '../infra/constructs/idempotency-table';
import { createAwsJsonClient } from '../shared/aws/aws-json-client';

/**
 * A real DynamoDB protocol server on loopback (dynalite, in memory) with a table shaped like the stack's
 * idempotency table, so adapters are tested through the relay's real client and real condition expressions.
 */
export async function startLocalDynamoDb(tableName = 'relay-idempotency') {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const newClient = () =>
    new DynamoDBClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
  const admin = newClient();
  await admin.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: IDEMPOTENCY_KEY_ATTRIBUTE, AttributeType: 'S' }],
      KeySchema: [{ AttributeName: IDEMPOTENCY_KEY_ATTRIBUTE, KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  admin.destroy();
  return {
    endpoint,
    tableName,
    /** An SDK client of its own (for assertions on the table). */
    newClient,
    /** The relay adapters' DynamoDB client, of its own, as each Lambda execution environment has. */
    newJsonClient: () =>
      createAwsJsonClient({
        service: 'dynamodb',
        endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      }),
    close: () =>
      new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
