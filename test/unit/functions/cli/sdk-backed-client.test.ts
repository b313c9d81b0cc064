import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { sdkBackedClient } from '../../../../functions/cli/sdk-backed-client';
import { DynamoDbCheckpointStore } from '../../../../shared/adapters/dynamodb-checkpoint-store';

const dynamodb = mockClient(DynamoDBClient);
afterEach(() => dynamodb.reset());

describe('the CLI’s SDK-backed client', () => {
  it('sends each operation as its SDK command and resolves with the output', async () => {
    dynamodb.on(GetItemCommand).resolves({ Item: { checkpoint: { S: '{"cursor":"c-1"}' } } });
    const client = sdkBackedClient(new DynamoDBClient({ region: 'eu-west-1' }), {
      GetItem: GetItemCommand,
      PutItem: PutItemCommand,
    });
    const store = new DynamoDbCheckpointStore({ client, tableName: 'checkpoints' });
    expect(await store.get('acme', 'news')).toEqual({ cursor: 'c-1' });
    await store.put('acme', 'news', { cursor: 'c-2' });
    expect(dynamodb.commandCalls(GetItemCommand)[0]?.args[0].input).toEqual({
      TableName: 'checkpoints',
      Key: { id: { S: 'acme#news' } },
      ConsistentRead: true,
    });
    expect(dynamodb.commandCalls(PutItemCommand)[0]?.args[0].input.Item?.checkpoint).toEqual({
      S: '{"cursor":"c-2"}',
    });
  });

  it('passes the SDK’s errors through (their name is the service’s code)', async () => {
    dynamodb
      .on(PutItemCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }));
    const client = sdkBackedClient(new DynamoDBClient({ region: 'eu-west-1' }), { PutItem: PutItemCommand });
    await expect(client.call('PutItem', { TableName: 't' })).rejects.toMatchObject({
      name: 'ConditionalCheckFailedException',
    });
  });

  it('refuses an operation it was not given, without calling AWS', async () => {
    const client = sdkBackedClient(new DynamoDBClient({ region: 'eu-west-1' }), { GetItem: GetItemCommand });
    await expect(client.call('DeleteItem', {})).rejects.toThrow(
      "the CLI's AWS client does not offer DeleteItem",
    );
    expect(dynamodb.calls()).toHaveLength(0);
  });
});
