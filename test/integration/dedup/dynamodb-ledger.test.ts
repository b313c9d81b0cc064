import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../../devkit/dynamodb-local';
import { demoConfig, demoParty, demoSecrets } from '../../../devkit/fakes/demo';
import { MemorySecretStore } from '../../../devkit/fakes/memory-secret-store';
import { RecordingQueue } from '../../../devkit/fakes/recording-queue';
import { sampleEvents } from '../../../devkit/samples';
import { ALL_SOURCE_ENGINES } from '../../../devkit/source-engines';
import { fromSqsRecord } from '../../../functions/worker/sqs-record';
import { DynamoDbDedupLedger, EVENT_KEY_PREFIX } from '../../../shared/adapters/dynamodb-dedup-ledger';
import { signWebhook } from '../../../shared/auth';
import { createAwsJsonClient } from '../../../shared/aws/aws-json-client';
import { createIngressDeps } from '../../../shared/composition/ingress-deps';
import { eventKey } from '../../../shared/dedup/event-key';
import { OWNER_GRACE_SECONDS } from '../../../shared/dedup/judge-copy';
import { handleWebhook } from '../../../shared/ingress/handle-webhook';
import type { IngressRequest } from '../../../shared/ingress/request';
import { silentLogger } from '../../../shared/observability/logger';
import { InMemoryMetrics } from '../../../shared/observability/metrics';
import {
  DEFAULT_LEDGER_EXPIRY_SECONDS,
  type DedupLedger,
  DedupLedgerUnavailableError,
} from '../../../shared/ports/dedup-ledger';
import { deliverRecord } from '../../../shared/worker/deliver-record';
import { sqsRecord } from '../../support/sqs-events';
import { fakeWorkspace365, workerDeps } from '../../support/worker-fakes';

// The dedup ledger against a real DynamoDB protocol server (dynalite), through the light client the
// functions build in AWS, on the table as the stateful stack creates it.
let dynamo: DynamoDbLocal;
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const client = () => createAwsJsonClient({ service: 'dynamodb', endpoint: dynamo.endpoint, credentials });
const ledger = (options: { now?: () => number } = {}) =>
  new DynamoDbDedupLedger({ client: client(), tableName: dynamo.tableName, ...options });

beforeAll(async () => {
  dynamo = await startDynamoDbLocal();
});
afterAll(() => dynamo.close());

async function item(key: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = await client().call<{ Item?: Record<string, unknown> }>('GetItem', {
    TableName: dynamo.tableName,
    Key: { id: { S: EVENT_KEY_PREFIX + key } },
    ConsistentRead: true,
  });
  return Item;
}

describe('DynamoDbDedupLedger on dynalite', () => {
  it('lets exactly one of two concurrent claims win (two clients, as two Lambda invocations)', async () => {
    const claims = await Promise.all([ledger().claim('p:race', 'a'), ledger().claim('p:race', 'b')]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    const winner = claims[0] ? 'a' : 'b';
    expect(await ledger().read('p:race')).toEqual({ owner: winner, abandoned: [], delivered: [] });
    // The owner claiming again (a retry of its own write) is still the owner; the loser stays out.
    expect(await ledger().claim('p:race', winner)).toBe(true);
    expect(await ledger().claim('p:race', winner === 'a' ? 'b' : 'a')).toBe(false);
  });

  it('keeps given-up attempts in a set beside the owner', async () => {
    await ledger().abandon('p:given-up', 'a');
    await ledger().abandon('p:given-up', 'a');
    expect(await ledger().read('p:given-up')).toEqual({ abandoned: ['a'], delivered: [] });
    expect(await ledger().claim('p:given-up', 'b')).toBe(true);
    expect(await ledger().read('p:given-up')).toEqual({ owner: 'b', abandoned: ['a'], delivered: [] });
  });

  it('records a posted message whose delete failed, beside the owner', async () => {
    await ledger().claim('p:marked', 'a');
    await ledger().markDelivered('p:marked', 'm1');
    await ledger().markDelivered('p:marked', 'm1');
    expect(await ledger().read('p:marked')).toEqual({ owner: 'a', abandoned: [], delivered: ['m1'] });
  });

  it('stores the expiry the table TTL deletes by, in epoch seconds, and treats an expired item as gone', async () => {
    const before = Math.floor(Date.now() / 1000);
    await ledger().claim('p:ttl', 'a');
    const stored = (await item('p:ttl')) as { expiration?: { N: string } } | undefined;
    const expiration = Number(stored?.expiration?.N);
    expect(expiration).toBeGreaterThanOrEqual(before + DEFAULT_LEDGER_EXPIRY_SECONDS);
    expect(expiration).toBeLessThanOrEqual(before + DEFAULT_LEDGER_EXPIRY_SECONDS + 2);
    // The table's TTL deletes late; a reader after the expiry must not trust the item.
    const later = ledger({ now: () => (expiration + 1) * 1000 });
    expect(await later.read('p:ttl')).toBeUndefined();
  });

  it('stores an event id too long for a key as its hash, and still finds it', async () => {
    const key = `p:${'x'.repeat(3000)}`;
    expect(await ledger().claim(key, 'a')).toBe(true);
    expect(await ledger().read(key)).toEqual({ owner: 'a', abandoned: [], delivered: [] });
  });

  it('says the ledger is unavailable, naming the operation and code but not the key, when the table is missing', async () => {
    const missing = new DynamoDbDedupLedger({ client: client(), tableName: 'no-such-table' });
    const error = await missing.read('p:secret-event-id').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DedupLedgerUnavailableError);
    expect((error as Error).message).toBe('the dedup ledger could not read (ResourceNotFoundException)');
    expect((error as Error).cause).toBeDefined();
  });
});

describe('ingress and worker sharing the ledger on dynalite', () => {
  const config = demoConfig();
  const secrets = demoSecrets();

  function signedWorkdrive(eventId: string): IngressRequest {
    const party = demoParty({ id: 'workdrive-demo' }, config);
    const sample = sampleEvents.workdrive['news.published']?.() as Record<string, unknown>;
    const rawBody = Buffer.from(JSON.stringify({ ...sample, id: eventId }));
    const secret = secrets[party.secretName]?.webhookSecrets[0] ?? '';
    const auth = signWebhook(party.auth, secret, rawBody, { webhookId: `msg_${eventId}` });
    return {
      method: 'POST',
      partyId: party.id,
      headers: Object.fromEntries(
        Object.entries({ 'content-type': 'application/json', ...auth }).map(([k, v]) => [k.toLowerCase(), v]),
      ),
      rawBody,
      query: {},
    };
  }

  /** The ingress core on the demo config, queueing into `queue` and claiming in `dedup`. */
  const ingressWith = (queue: RecordingQueue, dedup: DedupLedger) =>
    createIngressDeps({
      config,
      sourceEngines: ALL_SOURCE_ENGINES,
      secrets: new MemorySecretStore(secrets),
      queue,
      ledger: dedup,
      metrics: new InMemoryMetrics(),
      logger: silentLogger,
    });

  it("answers a sender retry 202 duplicate, and the worker posts the first attempt's copy only", async () => {
    const queue = new RecordingQueue();
    const shared = ledger();
    const ingress = ingressWith(queue, shared);
    const first = await handleWebhook(signedWorkdrive('evt_ledger_1'), ingress);
    const retry = await handleWebhook(signedWorkdrive('evt_ledger_1'), ingress);
    expect(first.status).toBe(202);
    expect(retry).toMatchObject({ status: 202, body: { accepted: 0, duplicate: true } });

    const workspace365 = fakeWorkspace365(() => ({
      type: 'delivered',
      status: 200,
      activityIds: [7],
      latencyMs: 3,
    }));
    const { deps } = workerDeps({
      ledger: shared,
      workspace365: workspace365.client,
      clock: { now: () => new Date() },
      parties: new Map(config.parties.map((party) => [party.id, party])),
      secrets: new MemorySecretStore(secrets),
    });
    const results = [];
    for (const message of queue.sent)
      results.push(await deliverRecord(fromSqsRecord(sqsRecord(message)), deps));
    const accepted = (first.body as { accepted: number }).accepted;
    expect(accepted).toBeGreaterThan(0);
    expect(results.filter((result) => result.status === 'delivered')).toHaveLength(accepted);
    expect(results.filter((result) => result.status === 'dropped')).toHaveLength(accepted);
    expect(workspace365.calls).toHaveLength(accepted);
    expect((await shared.read(eventKey('workdrive-demo', queue.sent[0]?.eventId ?? '')))?.owner).toBe(
      queue.sent[0]?.attempt,
    );
  });

  it('an orphan copy (its attempt died before claiming) is posted once, after the grace period', async () => {
    const queue = new RecordingQueue();
    const shared = ledger();
    // The attempt queues, then dies before its claim.
    const ingress = ingressWith(queue, {
      read: shared.read.bind(shared),
      abandon: shared.abandon.bind(shared),
      markDelivered: shared.markDelivered.bind(shared),
      claim: () => new Promise(() => {}),
    });
    void handleWebhook(signedWorkdrive('evt_ledger_orphan'), ingress);
    for (let i = 0; i < 100 && queue.sent.length === 0; i++) await new Promise((done) => setTimeout(done, 5));
    const [orphan] = queue.sent;
    if (!orphan) throw new Error('nothing queued');
    const workspace365 = fakeWorkspace365(() => ({
      type: 'delivered',
      status: 200,
      activityIds: [9],
      latencyMs: 3,
    }));
    const workerAt = (seconds: number) =>
      workerDeps({
        ledger: shared,
        workspace365: workspace365.client,
        clock: { now: () => new Date(Date.parse(orphan.receivedAt) + seconds * 1000) },
        parties: new Map(config.parties.map((party) => [party.id, party])),
        secrets: new MemorySecretStore(secrets),
      }).deps;
    expect(await deliverRecord(fromSqsRecord(sqsRecord(orphan)), workerAt(1))).toMatchObject({
      status: 'deferred',
    });
    expect(
      await deliverRecord(fromSqsRecord(sqsRecord(orphan)), workerAt(OWNER_GRACE_SECONDS)),
    ).toMatchObject({
      status: 'delivered',
    });
    expect(workspace365.calls).toHaveLength(1);
  });
});
