import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../../devkit/dynamodb-local';
import { demoConfig, demoParty, demoSecrets } from '../../../devkit/fakes/demo';
import { MemorySecretStore } from '../../../devkit/fakes/memory-secret-store';
import { RecordingQueue } from '../../../devkit/fakes/recording-queue';
import { sampleEvents } from '../../../devkit/samples';
import { ALL_SOURCE_ENGINES } from '../../../devkit/source-engines';
import { fromSqsRecord } from '../../../functions/worker/sqs-record';
import { signWebhook } from '../../../shared/auth';
import { createOnce, WorkInProgressError } from '../../../shared/idempotency/once';
import {
  DEDUP_WINDOW_SECONDS,
  handleWebhook,
  type IngressDeps,
} from '../../../shared/ingress/handle-webhook';
import { PartyRegistry } from '../../../shared/ingress/party-registry';
import type { IngressRequest } from '../../../shared/ingress/request';
import { silentLogger } from '../../../shared/observability/logger';
import { InMemoryMetrics } from '../../../shared/observability/metrics';
import { deliverRecord } from '../../../shared/worker/deliver-record';
import type { DeliveryOutcome } from '../../../shared/workspace365/delivery-outcome';
import { queueMessage } from '../../support/queue-messages';
import { sqsRecord } from '../../support/sqs-events';
import { fakeWorkspace365, workerDeps } from '../../support/worker-fakes';

// The idempotency paths against a real DynamoDB protocol server (dynalite), through the same
// Powertools DynamoDBPersistenceLayer and SDK client the functions build in AWS.
let dynamo: DynamoDbLocal;
let client: DynamoDBClient;

beforeAll(async () => {
  dynamo = await startDynamoDbLocal();
  client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client.destroy();
  await dynamo.close();
});

const onceIn = (namespace: string, expiresAfterSeconds = 3600) =>
  createOnce(new DynamoDBPersistenceLayer({ tableName: dynamo.tableName, awsSdkV3Client: client }), {
    expiresAfterSeconds,
    namespace,
  });

async function records(): Promise<Record<string, unknown>[]> {
  const { Items = [] } = await client.send(new ScanCommand({ TableName: dynamo.tableName }));
  return Items.map((item) =>
    Object.fromEntries(Object.entries(item).map(([key, value]) => [key, Object.values(value)[0]])),
  );
}

describe('once on DynamoDB (dynalite)', () => {
  it('runs the work once per key and answers a repeat with the stored result', async () => {
    const once = onceIn('t-repeat');
    let runs = 0;
    const work = async () => ({ run: ++runs });
    expect(await once.run('k', work)).toEqual({ first: true, value: { run: 1 } });
    expect(await once.run('k', work)).toEqual({ first: false, value: { run: 1 } });
    expect(runs).toBe(1);
  });

  it('leaves no record when the work fails, so the next attempt runs', async () => {
    const once = onceIn('t-fail');
    await expect(
      once.run('k', async () => {
        throw new Error('queue down');
      }),
    ).rejects.toThrow('queue down');
    expect(await once.run('k', async () => 'ok')).toEqual({ first: true, value: 'ok' });
  });

  it('refuses a second attempt while the first holds the in-progress lock', async () => {
    const once = onceIn('t-lock');
    const before = await inProgress();
    let release: () => void = () => {};
    const first = once.run('k', () => new Promise<string>((resolve) => (release = () => resolve('done'))), {
      remainingTimeMs: 30_000,
    });
    await waitForLock(before);
    await expect(once.run('k', async () => 'second')).rejects.toBeInstanceOf(WorkInProgressError);
    release();
    expect(await first).toEqual({ first: true, value: 'done' });
  });

  it('lets a later attempt take over a lock whose holder ran out of time (a crashed invocation)', async () => {
    const once = onceIn('t-expiry');
    const before = await inProgress();
    // The holder never finishes: like an invocation that timed out after taking the lock.
    void once.run('k', () => new Promise<string>(() => {}), { remainingTimeMs: 1 });
    await waitForLock(before);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await once.run('k', async () => 'taken over')).toEqual({ first: true, value: 'taken over' });
  });

  it('stores the expiry the table TTL deletes by, in epoch seconds', async () => {
    const before = Math.floor(Date.now() / 1000);
    await onceIn('t-ttl', 600).run('k', async () => 'v');
    const expirations = (await records()).map((record) => Number(record.expiration));
    expect(expirations.some((expiry) => expiry >= before + 600 && expiry <= before + 602)).toBe(true);
  });
});

const inProgress = async () => (await records()).filter((record) => record.status === 'INPROGRESS').length;

/** Waits until one more record holds the in-progress lock than `before`. */
async function waitForLock(before: number): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if ((await inProgress()) > before) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('no in-progress record appeared');
}

describe('ingress dedup on DynamoDB (dynalite)', () => {
  const NOW = new Date();
  const config = demoConfig();
  const secrets = demoSecrets();

  function signedWorkdrive(eventId: string): IngressRequest {
    const party = demoParty({ id: 'workdrive-demo' }, config);
    const sample = sampleEvents.workdrive['news.published']?.() as Record<string, unknown>;
    const rawBody = Buffer.from(JSON.stringify({ ...sample, id: eventId }));
    const secret = secrets[party.secretName]?.webhookSecrets[0] ?? '';
    const auth = signWebhook(party.auth, secret, rawBody, { now: NOW, webhookId: `msg_${eventId}` });
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

  function ingressDeps(queue: RecordingQueue): IngressDeps {
    return {
      parties: new PartyRegistry(config, ALL_SOURCE_ENGINES),
      secrets: new MemorySecretStore(secrets),
      queue,
      once: onceIn('ingress', DEDUP_WINDOW_SECONDS),
      metrics: new InMemoryMetrics(),
      logger: silentLogger,
      clock: { now: () => NOW },
    };
  }

  it('queues a webhook once and answers the sender retry 202 duplicate', async () => {
    const queue = new RecordingQueue();
    const deps = ingressDeps(queue);
    const first = await handleWebhook(signedWorkdrive('evt_dedup_1'), deps);
    const retry = await handleWebhook(signedWorkdrive('evt_dedup_1'), deps);

    expect(first.status).toBe(202);
    expect((first.body as { accepted: number }).accepted).toBeGreaterThan(0);
    expect(retry).toMatchObject({ status: 202, body: { accepted: 0, duplicate: true } });
    expect(queue.sent).toHaveLength((first.body as { accepted: number }).accepted);
  });

  it('keeps no record when the queue refuses, so the sender retry is queued', async () => {
    const queue = new RecordingQueue();
    const deps = ingressDeps(queue);
    queue.refuse = true;
    expect((await handleWebhook(signedWorkdrive('evt_dedup_2'), deps)).status).toBe(503);
    queue.refuse = false;
    const retry = await handleWebhook(signedWorkdrive('evt_dedup_2'), deps);
    expect(retry.status).toBe(202);
    expect((retry.body as { accepted: number }).accepted).toBeGreaterThan(0);
    expect(queue.sent.length).toBe((retry.body as { accepted: number }).accepted);
  });
});

describe('worker delivery records on DynamoDB (dynalite)', () => {
  it('posts a message once, however often SQS delivers it', async () => {
    const workspace365 = fakeWorkspace365(() => ({
      type: 'delivered',
      status: 200,
      activityIds: [7],
      latencyMs: 3,
    }));
    const { deps } = workerDeps({ workspace365: workspace365.client, once: onceIn('delivery', 4 * 86_400) });
    const message = queueMessage('acme');

    const first = await deliverRecord(fromSqsRecord(sqsRecord(message)), deps);
    const again = await deliverRecord(fromSqsRecord(sqsRecord(message, { receiveCount: 2 })), deps);

    expect(first).toMatchObject({ status: 'delivered', postedNow: true, activityIds: [7] });
    expect(again).toMatchObject({ status: 'delivered', postedNow: false, activityIds: [7] });
    expect(workspace365.calls).toHaveLength(1);
  });

  it('sends a second receive of a message being delivered back to the queue, and posts it once', async () => {
    let release: () => void = () => {};
    let posts = 0;
    const slowWorkspace365 = {
      post: () =>
        new Promise<DeliveryOutcome>((resolve) => {
          posts++;
          release = () => resolve({ type: 'delivered', status: 200, activityIds: [8], latencyMs: 3 });
        }),
    };
    const { deps } = workerDeps({ workspace365: slowWorkspace365, once: onceIn('delivery', 4 * 86_400) });
    const message = queueMessage('acme');
    const before = await inProgress();

    const first = deliverRecord(fromSqsRecord(sqsRecord(message)), deps);
    await waitForLock(before);
    const concurrent = await deliverRecord(fromSqsRecord(sqsRecord(message, { receiveCount: 2 })), deps);
    release();

    expect(concurrent).toMatchObject({ status: 'retry', reason: 'in_progress' });
    expect(await first).toMatchObject({ status: 'delivered', postedNow: true });
    expect(posts).toBe(1);
  });
});
