import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
// dynalite: a DynamoDB API server on LevelDB (a real protocol implementation); types in devkit/dynalite.d.ts.
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHECKPOINT_KEY_ATTRIBUTE,
  DynamoDbCheckpointStore,
} from '../../../shared/adapters/dynamodb-checkpoint-store';
import { type AwsJsonClient, createAwsJsonClient } from '../../../shared/aws/aws-json-client';
import { CheckpointUnavailableError } from '../../../shared/ports/checkpoint-store';

type Server = {
  listen(port: number, host: string, done: (error?: Error) => void): void;
  close(done: () => void): void;
  address(): AddressInfo;
};

let server: Server;
let client: DynamoDBClient;
/** What the store talks through, as in the poller Lambda. */
let storeClient: AwsJsonClient;
const TABLE = 'poll-checkpoints';

beforeAll(async () => {
  server = dynalite({ createTableMs: 0 }) as Server;
  await new Promise<void>((resolve, reject) =>
    server.listen(0, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
  );
  client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${server.address().port}`,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  storeClient = createAwsJsonClient({
    service: 'dynamodb',
    endpoint: `http://127.0.0.1:${server.address().port}`,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  await client.send(
    new CreateTableCommand({
      TableName: TABLE,
      KeySchema: [{ AttributeName: CHECKPOINT_KEY_ATTRIBUTE, KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: CHECKPOINT_KEY_ATTRIBUTE, AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
});

afterAll(async () => {
  client?.destroy();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

describe('DynamoDB checkpoint store (against dynalite)', () => {
  it('reads nothing for a resource never polled, then what was last written, per party and resource', async () => {
    const store = new DynamoDbCheckpointStore({ client: storeClient, tableName: TABLE });
    expect(await store.get('acme', 'news')).toBeUndefined();

    await store.put('acme', 'news', { cursor: '2026-12-01T00:00:00.000Z', seenAtCursor: ['n1'] });
    await store.put('acme', 'news', { cursor: '2026-12-01T00:05:00.000Z', seenAtCursor: ['n2', 'n3'] });
    await store.put('acme', 'tasks', { initialized: true, nextPage: 1, assignees: { t1: ['u1'] } });
    await store.put('other', 'news', { cursor: '2020-01-01T00:00:00.000Z', seenAtCursor: [] });

    expect(await store.get('acme', 'news')).toEqual({
      cursor: '2026-12-01T00:05:00.000Z',
      seenAtCursor: ['n2', 'n3'],
    });
    expect(await store.get('acme', 'tasks')).toEqual({
      initialized: true,
      nextPage: 1,
      assignees: { t1: ['u1'] },
    });
    expect(await store.get('other', 'news')).toEqual({
      cursor: '2020-01-01T00:00:00.000Z',
      seenAtCursor: [],
    });
  });

  it('reports a missing table as CheckpointUnavailableError with the cause', async () => {
    const store = new DynamoDbCheckpointStore({ client: storeClient, tableName: 'no-such-table' });
    const error = await store.get('acme', 'news').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CheckpointUnavailableError);
    expect((error as Error).message).toBe('cannot read the checkpoint of acme/news');
    expect((error as Error).cause).toBeInstanceOf(Error);
    await expect(store.put('acme', 'news', {})).rejects.toBeInstanceOf(CheckpointUnavailableError);
  });
});
