import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import { IDEMPOTENCY_KEY_ATTRIBUTE } from '../infra/constructs/idempotency-table';

export type DynamoDbLocal = {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  /** The idempotency table, keyed like the stateful stack's. */
  tableName: string;
  close(): Promise<void>;
};

/**
 * dynalite (a DynamoDB implementation on the real JSON protocol, in memory) on 127.0.0.1 with the
 * idempotency table the stateful stack creates: partition key `id`, on demand. dynalite has no
 * UpdateTimeToLive, so expired records stay until read; Powertools checks `expiration` itself.
 */
export async function startDynamoDbLocal(options: { tableName?: string } = {}): Promise<DynamoDbLocal> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const tableName = options.tableName ?? 'webhook-relay-idempotency';
  try {
    await createIdempotencyTable(endpoint, tableName);
  } catch (error) {
    await closeServer(server);
    throw error;
  }
  return { endpoint, tableName, close: () => closeServer(server) };
}

async function createIdempotencyTable(endpoint: string, tableName: string): Promise<void> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'DynamoDB_20120810.CreateTable',
      // dynalite wants a signature-shaped header; it does not check it.
      authorization:
        'AWS4-HMAC-SHA256 Credential=local/20250101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      'x-amz-date': '20250101T000000Z',
    },
    body: JSON.stringify({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: IDEMPOTENCY_KEY_ATTRIBUTE, AttributeType: 'S' }],
      KeySchema: [{ AttributeName: IDEMPOTENCY_KEY_ATTRIBUTE, KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  });
  if (!response.ok) {
    throw new Error(`dynalite refused CreateTable ${tableName}: ${response.status} ${await response.text()}`);
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
