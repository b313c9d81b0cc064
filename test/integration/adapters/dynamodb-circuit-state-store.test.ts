import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalDynamoDb } from '../../../devkit/local-dynamodb';
import {
  CIRCUIT_KEY_PREFIX,
  DynamoDbCircuitStateStore,
} from '../../../shared/adapters/dynamodb-circuit-state-store';
import { type CircuitTransition, createCircuitBreakers } from '../../../shared/worker/circuit-breaker';

let db: Awaited<ReturnType<typeof startLocalDynamoDb>>;
const clients: { destroy(): void }[] = [];

beforeAll(async () => {
  db = await startLocalDynamoDb();
});
afterAll(async () => {
  for (const client of clients) client.destroy();
  await db.close();
});

function storeWithOwnClient() {
  const client = db.newClient();
  clients.push(client);
  return {
    client,
    store: new DynamoDbCircuitStateStore({ client: db.newJsonClient(), tableName: db.tableName }),
  };
}

describe('DynamoDB circuit state store (against dynalite)', () => {
  it('creates, then replaces only the version it read, under its own key prefix with a TTL', async () => {
    const { client, store } = storeWithOwnClient();
    const key = 'https://acme.example/cas';
    expect(await store.read(key)).toBeUndefined();
    const open = { status: 'open', openedAt: 1, retryAt: 2, cause: 'failures' } as const;
    expect(await store.compareAndSet(key, 0, open)).toBe(true);
    expect(await store.compareAndSet(key, 0, { status: 'closed' })).toBe(false);
    expect(await store.read(key)).toEqual({ state: open, version: 1 });
    expect(await store.compareAndSet(key, 2, { status: 'closed' })).toBe(false);
    expect(await store.compareAndSet(key, 1, { status: 'closed' })).toBe(true);
    expect(await store.read(key)).toEqual({ state: { status: 'closed' }, version: 2 });
    const { Item } = await client.send(
      new GetItemCommand({ TableName: db.tableName, Key: { id: { S: `${CIRCUIT_KEY_PREFIX}${key}` } } }),
    );
    expect(Number(Item?.expiration?.N)).toBeGreaterThan(Date.now() / 1000 + 13 * 86_400);
  });

  it('reads an item it cannot parse as a closed breaker at its version, so the next write replaces it', async () => {
    const { client, store } = storeWithOwnClient();
    const key = 'https://acme.example/garbled';
    await client.send(
      new PutItemCommand({
        TableName: db.tableName,
        Item: { id: { S: `${CIRCUIT_KEY_PREFIX}${key}` }, version: { N: '7' }, state: { S: '{not json' } },
      }),
    );
    expect(await store.read(key)).toEqual({ state: { status: 'closed' }, version: 7 });
    expect(await store.compareAndSet(key, 7, { status: 'closed' })).toBe(true);
  });

  it('racing workers, each with its own client, open it once, probe once and close it once', async () => {
    const key = 'https://acme.example/race';
    let now = 1_000_000;
    const transitions: CircuitTransition[] = [];
    const workers = Array.from({ length: 8 }, () =>
      createCircuitBreakers({
        store: storeWithOwnClient().store,
        settings: { failureThreshold: 2, cooldownSeconds: 30, pauseOnRetryAfter: true, cacheSeconds: 5 },
        now: () => now,
        onTransition: (transition) => transitions.push(transition),
      }),
    );
    // Every worker sees two failures at the same moment and tries to open the breaker.
    await Promise.all(
      workers.map(async (worker) => {
        for (let i = 0; i < 2; i++) await worker.report(key, await worker.permit(key), { up: false });
      }),
    );
    expect(transitions.map((t) => t.to)).toEqual(['open']);
    for (const worker of workers) expect((await worker.permit(key)).type).toBe('open');

    now += 30_000;
    const permits = await Promise.all(workers.map((worker) => worker.permit(key)));
    expect(permits.filter((permit) => permit.type === 'probe')).toHaveLength(1);
    await Promise.all(
      workers.map((worker, i) => {
        const permit = permits[i] ?? { type: 'closed' as const };
        return worker.report(key, permit, permit.type === 'probe' ? { up: true } : { up: false });
      }),
    );
    expect(transitions.map((t) => t.to)).toEqual(['open', 'closed']);
    now += 5_000;
    for (const worker of workers) expect(await worker.permit(key)).toEqual({ type: 'closed' });
  });
});
