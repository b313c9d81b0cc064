import { Logger } from '@aws-lambda-powertools/logger';
import type { SQSRecord } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemorySecretStore } from '../../../devkit/fakes/memory-secret-store';
import { recordingLogger } from '../../../devkit/fakes/recording-logger';
import { fromSqsRecord } from '../../../functions/worker/sqs-record';
import { InMemoryDedupLedger } from '../../../shared/adapters/in-memory-dedup-ledger';
import { eventKey } from '../../../shared/dedup/event-key';
import { EARLY_WAIT_SECONDS, OWNER_GRACE_SECONDS } from '../../../shared/dedup/judge-copy';
import { MetricName } from '../../../shared/observability/metric-names';
import { DedupLedgerUnavailableError } from '../../../shared/ports/dedup-ledger';
import { SecretUnavailableError } from '../../../shared/ports/secret-store';
import { type DeliveryDeps, deliverRecord } from '../../../shared/worker/deliver-record';
import type { DeliveryOutcome } from '../../../shared/workspace365/delivery-outcome';
import { queueMessage } from '../../support/queue-messages';
import { sqsRecord } from '../../support/sqs-events';
import { fakeWorkspace365, fixedClock, workerDeps } from '../../support/worker-fakes';

/** The core fed as the Lambda adapter feeds it: a Lambda SQS record converted to the core's own message. */
const deliverSqsRecord = (record: SQSRecord, deps: DeliveryDeps) =>
  deliverRecord(fromSqsRecord(record), deps);

const delivered = (ids = [101, 102]): DeliveryOutcome => ({
  type: 'delivered',
  status: 200,
  activityIds: ids,
  latencyMs: 42,
});

afterEach(() => vi.restoreAllMocks());

describe('deliverRecord: delivered', () => {
  it('posts with the party key, the message id as Idempotency-Key and the correlation id; records metrics', async () => {
    const workspace365 = fakeWorkspace365(() => delivered());
    const { deps, queue, metrics } = workerDeps({
      workspace365: workspace365.client,
      clock: fixedClock('2026-01-01T00:00:10.000Z'),
    });
    const message = queueMessage('acme', { receivedAt: '2026-01-01T00:00:07.500Z', kind: 'batch' });

    const result = await deliverSqsRecord(sqsRecord(message), deps);

    expect(result).toEqual({
      status: 'delivered',
      messageId: message.id,
      activityIds: [101, 102],
    });
    expect(workspace365.calls).toEqual([
      {
        kind: 'batch',
        environment: 'demo',
        apiKey: 'acme-key',
        idempotencyKey: message.id,
        correlationId: message.correlationId,
      },
    ]);
    expect(metrics.sum(MetricName.DeliveryDelivered)).toBe(1);
    expect(metrics.points.find((point) => point.name === MetricName.EndToEndLatency)?.value).toBe(2500);
    expect(metrics.points.find((point) => point.name === MetricName.Workspace365Latency)?.value).toBe(42);
    expect(queue.visibility).toEqual([]);
    expect(queue.deadLetters).toEqual([]);
  });
});

describe('deliverRecord: poison goes to the DLQ at once, with a reason', () => {
  it.each([
    ['not JSON', 'not json at all', 'not_json'],
    ['wrong schema', JSON.stringify({ v: 1, id: 'x' }), 'invalid_envelope'],
    ['unknown version', JSON.stringify({ ...queueMessage('acme'), v: 9 }), 'unsupported_version'],
    ['unknown party', JSON.stringify(queueMessage('nobody')), 'unknown_party'],
  ])('%s', async (_, body, reason) => {
    const workspace365 = fakeWorkspace365();
    const { deps, queue, metrics } = workerDeps({ workspace365: workspace365.client });
    const record = sqsRecord(body, { attributes: { partyId: 'acme', kind: 'activity' }, receiveCount: 1 });

    const result = await deliverSqsRecord(record, deps);

    expect(result).toEqual({ status: 'dead-lettered', reason });
    expect(workspace365.calls).toEqual([]);
    expect(queue.deadLetters).toHaveLength(1);
    expect(queue.deadLetters[0]?.body).toBe(body);
    expect(queue.deadLetters[0]?.attributes).toMatchObject({
      reason,
      attempts: 1,
      failedAt: '2026-01-01T00:00:10.000Z',
      sourceMessageId: record.messageId,
    });
    expect(queue.deadLetters[0]?.attributes.partyId).toMatch(/^(acme|nobody)$/);
    expect(queue.deadLetters[0]?.attributes.errorMessage).not.toBe('');
    expect(metrics.sum(MetricName.DeliveryDeadLettered, { Reason: reason })).toBe(1);
  });
});

describe('deliverRecord: permanent rejections', () => {
  it('400 with field errors: dead-lettered with the decoded errors, status and attempts', async () => {
    const workspace365 = fakeWorkspace365(() => ({
      type: 'rejected',
      status: 400,
      error: {
        globalError: null,
        fieldErrors: {
          Title: { message: 'Title is required' },
          'Actions[0].Kind': { message: 'must be 1-9' },
        },
      },
      latencyMs: 3,
    }));
    const { deps, queue, metrics } = workerDeps({ workspace365: workspace365.client });
    const message = queueMessage('acme');

    const result = await deliverSqsRecord(sqsRecord(message, { receiveCount: 2 }), deps);

    expect(result).toEqual({ status: 'dead-lettered', reason: 'rejected', httpStatus: 400 });
    expect(queue.deadLetters[0]?.attributes).toMatchObject({
      reason: 'rejected',
      status: 400,
      attempts: 2,
      partyId: 'acme',
      kind: 'activity',
      errorMessage: 'Title: Title is required; Actions[0].Kind: must be 1-9',
    });
    expect(queue.deadLetters[0]?.body).toBe(JSON.stringify(message));
    expect(queue.visibility).toEqual([]);
    expect(metrics.sum(MetricName.DeliveryDeadLettered, { Reason: 'rejected' })).toBe(1);
  });

  it('404 is permanent too, with the global error', async () => {
    const workspace365 = fakeWorkspace365(() => ({
      type: 'rejected',
      status: 404,
      error: { globalError: { message: 'Workspace 365 answered 404 (not found: check the base URL)' } },
      latencyMs: 3,
    }));
    const { deps, queue } = workerDeps({ workspace365: workspace365.client });
    await deliverSqsRecord(sqsRecord(queueMessage('acme')), deps);
    expect(queue.deadLetters[0]?.attributes).toMatchObject({ reason: 'rejected', status: 404 });
    expect(queue.deadLetters[0]?.attributes.errorMessage).toContain('check the base URL');
  });
});

describe('deliverRecord: retries', () => {
  it('retryable: hidden for the jittered backoff and reported as a retry', async () => {
    const workspace365 = fakeWorkspace365(() => ({
      type: 'retryable',
      status: 503,
      reason: 'http',
      latencyMs: 3,
    }));
    const { deps, queue, metrics } = workerDeps({ workspace365: workspace365.client, random: () => 0.5 });
    const record = sqsRecord(queueMessage('acme'), { receiveCount: 3 });

    const result = await deliverSqsRecord(record, deps);

    // base 2 · 2^(3−1) = 8; half of it.
    expect(result).toEqual({ status: 'retry', reason: 'http', visibilityTimeoutSeconds: 4, httpStatus: 503 });
    expect(queue.visibility).toEqual([{ receiptHandle: record.receiptHandle, seconds: 4 }]);
    expect(metrics.sum(MetricName.DeliveryRetried)).toBe(1);
    expect(queue.deadLetters).toEqual([]);
  });

  it('honours Retry-After as a floor', async () => {
    const workspace365 = fakeWorkspace365(() => ({
      type: 'retryable',
      status: 429,
      reason: 'http',
      retryAfterSeconds: 120,
      latencyMs: 3,
    }));
    const { deps, queue } = workerDeps({ workspace365: workspace365.client });
    await deliverSqsRecord(sqsRecord(queueMessage('acme')), deps);
    expect(queue.visibility.map((change) => change.seconds)).toEqual([120]);
  });

  it('the final receive dead-letters with retries_exhausted and the last status instead of retrying', async () => {
    const workspace365 = fakeWorkspace365(() => ({
      type: 'retryable',
      status: 500,
      reason: 'http',
      latencyMs: 3,
    }));
    const { deps, queue, metrics } = workerDeps({ workspace365: workspace365.client });
    const message = queueMessage('acme');

    const result = await deliverSqsRecord(sqsRecord(message, { receiveCount: 5 }), deps);

    expect(result).toEqual({ status: 'dead-lettered', reason: 'retries_exhausted', httpStatus: 500 });
    expect(queue.deadLetters[0]?.attributes).toMatchObject({
      reason: 'retries_exhausted',
      status: 500,
      attempts: 5,
    });
    expect(queue.deadLetters[0]?.attributes.errorMessage).toBe(
      'gave up after 5 attempts; last: Workspace 365 answered 500',
    );
    expect(queue.deadLetters[0]?.body).toBe(JSON.stringify(message));
    expect(queue.visibility).toEqual([]);
    expect(metrics.sum(MetricName.DeliveryRetried)).toBe(0);
  });

  it('a timeout on the final receive says so, without a status', async () => {
    const workspace365 = fakeWorkspace365(() => ({
      type: 'retryable',
      reason: 'timeout',
      latencyMs: 10_000,
    }));
    const { deps, queue } = workerDeps({ workspace365: workspace365.client });
    await deliverSqsRecord(sqsRecord(queueMessage('acme'), { receiveCount: 5 }), deps);
    expect(queue.deadLetters[0]?.attributes.status).toBeUndefined();
    expect(queue.deadLetters[0]?.attributes.errorMessage).toContain('timed out');
  });

  it('an unreachable target: the retry log and the DLQ reason name the cause, not just "could not be reached"', async () => {
    const workspace365 = fakeWorkspace365(() => ({
      type: 'retryable',
      reason: 'network',
      cause: 'ENOTFOUND intranet.example.invalid (DNS)',
      latencyMs: 3,
    }));
    const logs = recordingLogger();
    const { deps, queue } = workerDeps({ workspace365: workspace365.client });
    const logged = { ...deps, logger: logs.logger };
    await deliverSqsRecord(sqsRecord(queueMessage('acme'), { receiveCount: 1 }), logged);
    expect(JSON.stringify(logs.lines)).toContain(
      'Workspace 365 could not be reached: ENOTFOUND intranet.example.invalid (DNS)',
    );
    await deliverSqsRecord(sqsRecord(queueMessage('acme'), { receiveCount: 5 }), logged);
    expect(queue.deadLetters[0]?.attributes.errorMessage).toBe(
      'gave up after 5 attempts; last: Workspace 365 could not be reached: ENOTFOUND intranet.example.invalid (DNS)',
    );
  });

  it('counts receives carried over by local mode (priorReceiveCount) towards the budget', async () => {
    const workspace365 = fakeWorkspace365(() => ({
      type: 'retryable',
      status: 502,
      reason: 'http',
      latencyMs: 3,
    }));
    const { deps, queue } = workerDeps({ workspace365: workspace365.client });
    const message = queueMessage('acme');
    const record = sqsRecord(message, {
      receiveCount: 1,
      attributes: { partyId: 'acme', kind: 'activity', priorReceiveCount: '4' },
    });
    expect(await deliverSqsRecord(record, deps)).toMatchObject({
      status: 'dead-lettered',
      reason: 'retries_exhausted',
    });
    expect(queue.deadLetters[0]?.attributes.attempts).toBe(5);
  });
});

describe('deliverRecord: key problems', () => {
  it('401 after the refresh (key unchanged): auth failure metric twice, long backoff, not dropped', async () => {
    const workspace365 = fakeWorkspace365(() => ({ type: 'unauthorized', status: 401, latencyMs: 3 }));
    const secrets = new MemorySecretStore({
      'webhook-relay/acme': { workspace365ApiKey: 'acme-key', webhookSecrets: ['s'] },
    });
    const { deps, queue, metrics } = workerDeps({ workspace365: workspace365.client, secrets });

    const result = await deliverSqsRecord(sqsRecord(queueMessage('acme')), deps);

    expect(result).toEqual({
      status: 'retry',
      reason: 'unauthorized',
      visibilityTimeoutSeconds: 900,
      httpStatus: 401,
    });
    expect(secrets.reads).toEqual([
      { secretName: 'webhook-relay/acme', forceFetch: false },
      { secretName: 'webhook-relay/acme', forceFetch: true },
    ]);
    // Re-sending with the same key cannot succeed, so it is not re-sent.
    expect(workspace365.calls).toHaveLength(1);
    const authPoints = metrics.points.filter((point) => point.name === MetricName.DeliveryAuthFailure);
    // One series for the alarm: which party is in the log line, not in a metric dimension.
    expect(authPoints.map((point) => point.dimensions)).toEqual([{}]);
    expect(queue.deadLetters).toEqual([]);
  });

  it('401 with a stale cached key: one refresh, a second POST with the new key, delivered', async () => {
    const workspace365 = fakeWorkspace365((call) =>
      call.apiKey === 'new-key' ? delivered([9]) : { type: 'unauthorized', status: 403, latencyMs: 3 },
    );
    const secrets = new MemorySecretStore({
      'webhook-relay/acme': { workspace365ApiKey: 'old-key', webhookSecrets: ['s'] },
    });
    await secrets.get('webhook-relay/acme'); // cached
    secrets.put('webhook-relay/acme', { workspace365ApiKey: 'new-key', webhookSecrets: ['s'] });
    const { deps, metrics } = workerDeps({ workspace365: workspace365.client, secrets });

    const result = await deliverSqsRecord(sqsRecord(queueMessage('acme')), deps);

    expect(result).toMatchObject({ status: 'delivered', activityIds: [9] });
    expect(workspace365.calls.map((call) => call.apiKey)).toEqual(['old-key', 'new-key']);
    expect(metrics.sum(MetricName.DeliveryAuthFailure)).toBe(0);
  });

  it('401 on the final receive goes to the DLQ through retries_exhausted with the status', async () => {
    const workspace365 = fakeWorkspace365(() => ({ type: 'unauthorized', status: 401, latencyMs: 3 }));
    const { deps, queue } = workerDeps({ workspace365: workspace365.client });
    await deliverSqsRecord(sqsRecord(queueMessage('acme'), { receiveCount: 5 }), deps);
    expect(queue.deadLetters[0]?.attributes).toMatchObject({ reason: 'retries_exhausted', status: 401 });
    expect(queue.deadLetters[0]?.attributes.errorMessage).toContain("refused the party's API key");
  });

  it('a missing secret is retried with backoff (the operator may be filling it in)', async () => {
    const workspace365 = fakeWorkspace365();
    const secrets = new MemorySecretStore({});
    const { deps, queue, metrics } = workerDeps({
      workspace365: workspace365.client,
      secrets,
      random: () => 0.5,
    });

    const result = await deliverSqsRecord(sqsRecord(queueMessage('acme'), { receiveCount: 2 }), deps);

    expect(result).toEqual({ status: 'retry', reason: 'secret_unavailable', visibilityTimeoutSeconds: 2 });
    expect(workspace365.calls).toEqual([]);
    expect(queue.visibility).toHaveLength(1);
    expect(metrics.sum(MetricName.DeliveryRetried)).toBe(1);

    const last = await deliverSqsRecord(sqsRecord(queueMessage('acme'), { receiveCount: 5 }), deps);
    expect(last).toMatchObject({ status: 'dead-lettered', reason: 'retries_exhausted' });
    expect(queue.deadLetters[0]?.attributes.errorMessage).toContain(
      new SecretUnavailableError('webhook-relay/acme', 'not found').message,
    );
  });
});

describe("deliverRecord: only the owning attempt's copy is posted (docs/cost.md)", () => {
  const NOW = Date.parse('2026-01-01T00:10:00Z');
  const clock = { now: () => new Date(NOW) };
  const copyOf = (attempt: string | undefined, ageSeconds = 1) =>
    queueMessage('acme', {
      eventId: 'evt-owned',
      receivedAt: new Date(NOW - ageSeconds * 1000).toISOString(),
      ...(attempt === undefined ? {} : { attempt }),
    });

  it("posts the owner's copy and drops another attempt's copy of the same event unposted", async () => {
    const ledger = new InMemoryDedupLedger();
    await ledger.claim(eventKey('acme', 'evt-owned'), 'attempt-a');
    const workspace365 = fakeWorkspace365(() => delivered([7]));
    const logs = recordingLogger();
    const { deps } = workerDeps({ ledger, clock, workspace365: workspace365.client, logger: logs.logger });

    const loser = await deliverSqsRecord(sqsRecord(copyOf('attempt-b')), deps);
    expect(loser).toEqual({ status: 'dropped', reason: 'not_owner' });
    expect(workspace365.calls).toHaveLength(0);
    expect(logs.lines.at(-1)?.[1]).toMatchObject({ step: 'copy_dropped', reason: 'not_owner' });

    const owner = await deliverSqsRecord(sqsRecord(copyOf('attempt-a')), deps);
    expect(owner).toMatchObject({ status: 'delivered', activityIds: [7] });
    expect(workspace365.calls).toHaveLength(1);
  });

  it('drops the copies of an attempt that was given up (its sender was told nothing was accepted)', async () => {
    const ledger = new InMemoryDedupLedger();
    await ledger.abandon(eventKey('acme', 'evt-owned'), 'attempt-a');
    const workspace365 = fakeWorkspace365(() => delivered());
    const { deps } = workerDeps({ ledger, clock, workspace365: workspace365.client });
    expect(await deliverSqsRecord(sqsRecord(copyOf('attempt-a', 600)), deps)).toEqual({
      status: 'dropped',
      reason: 'abandoned',
    });
    expect(workspace365.calls).toHaveLength(0);
  });

  it('a copy that reached the worker before its attempt claimed the event waits briefly, unposted, without spending a receive', async () => {
    const workspace365 = fakeWorkspace365(() => delivered());
    const { deps, queue } = workerDeps({
      ledger: new InMemoryDedupLedger(),
      clock,
      workspace365: workspace365.client,
    });
    const result = await deliverSqsRecord(sqsRecord(copyOf('attempt-a', 0.2), { receiveCount: 5 }), deps);
    expect(result).toEqual({ status: 'deferred', retryInSeconds: EARLY_WAIT_SECONDS });
    expect(workspace365.calls).toHaveLength(0);
    expect(queue.deadLetters).toEqual([]);
    // A delayed copy whose count continues this one's: this receive is given back.
    expect(queue.requeued).toHaveLength(1);
    expect(queue.requeued[0]?.delaySeconds).toBe(EARLY_WAIT_SECONDS);
    expect(queue.requeued[0]?.messageAttributes.priorReceiveCount?.stringValue).toBe('4');

    // If the copy cannot be sent, it waits as a retry instead.
    queue.failRequeue = true;
    const fallback = await deliverSqsRecord(sqsRecord(copyOf('attempt-a', 0.2)), deps);
    expect(fallback).toEqual({
      status: 'retry',
      reason: 'in_progress',
      visibilityTimeoutSeconds: EARLY_WAIT_SECONDS,
    });
  });

  it('past the grace period a copy with no owner claims the event for its attempt and is posted; a rival copy is then dropped', async () => {
    const ledger = new InMemoryDedupLedger();
    const workspace365 = fakeWorkspace365(() => delivered());
    const { deps } = workerDeps({ ledger, clock, workspace365: workspace365.client });
    const orphan = await deliverSqsRecord(sqsRecord(copyOf('attempt-a', OWNER_GRACE_SECONDS)), deps);
    expect(orphan).toMatchObject({ status: 'delivered' });
    expect(await ledger.read(eventKey('acme', 'evt-owned'))).toEqual({
      owner: 'attempt-a',
      abandoned: [],
      delivered: [],
    });
    const rival = await deliverSqsRecord(sqsRecord(copyOf('attempt-b', OWNER_GRACE_SECONDS)), deps);
    expect(rival).toEqual({ status: 'dropped', reason: 'not_owner' });
    expect(workspace365.calls).toHaveLength(1);
  });

  it('deletes a delivered message at once; if the queue keeps it, the ledger records it, and its redelivery is not posted', async () => {
    const ledger = new InMemoryDedupLedger();
    await ledger.claim(eventKey('acme', 'evt-owned'), 'attempt-a');
    const workspace365 = fakeWorkspace365(() => delivered([7]));
    const { deps, queue } = workerDeps({ ledger, clock, workspace365: workspace365.client });
    const message = copyOf('attempt-a');
    const deletes: string[] = [];
    let queueKeepsIt = false;
    const withDeleter = {
      ...deps,
      deleteDelivered: async (receiptHandle: string) => {
        deletes.push(receiptHandle);
        return !queueKeepsIt;
      },
    };

    const record = sqsRecord(message);
    expect(await deliverSqsRecord(record, withDeleter)).toMatchObject({ status: 'delivered' });
    expect(deletes).toEqual([record.receiptHandle]);
    expect((await ledger.read(eventKey('acme', 'evt-owned')))?.delivered).toEqual([]);

    queueKeepsIt = true;
    const other = copyOf('attempt-a');
    expect(await deliverSqsRecord(sqsRecord(other), withDeleter)).toMatchObject({ status: 'delivered' });
    expect((await ledger.read(eventKey('acme', 'evt-owned')))?.delivered).toEqual([other.id]);
    const again = await deliverSqsRecord(sqsRecord(other, { receiveCount: 2 }), withDeleter);
    expect(again).toEqual({ status: 'dropped', reason: 'already_delivered' });
    expect(workspace365.calls).toHaveLength(2);
    expect(queue.visibility).toEqual([]);
  });

  it('does not post while the ledger cannot be read, and retries with backoff', async () => {
    const ledger = new InMemoryDedupLedger();
    vi.spyOn(ledger, 'read').mockRejectedValue(
      new DedupLedgerUnavailableError('the dedup ledger could not read (ThrottlingException)'),
    );
    const workspace365 = fakeWorkspace365(() => delivered());
    const { deps, queue } = workerDeps({ ledger, clock, workspace365: workspace365.client });
    const result = await deliverSqsRecord(sqsRecord(copyOf('attempt-a')), deps);
    expect(result).toMatchObject({ status: 'retry', reason: 'dedup_unavailable' });
    expect(workspace365.calls).toHaveLength(0);
    expect(queue.visibility).toHaveLength(1);
  });

  it('posts a message queued before the ledger existed (no attempt) without asking the ledger', async () => {
    const ledger = new InMemoryDedupLedger();
    const read = vi.spyOn(ledger, 'read');
    const workspace365 = fakeWorkspace365(() => delivered());
    const { deps } = workerDeps({ ledger, clock, workspace365: workspace365.client });
    expect(await deliverSqsRecord(sqsRecord(copyOf(undefined)), deps)).toMatchObject({ status: 'delivered' });
    expect(read).not.toHaveBeenCalled();
  });

  it('starts no post with less time left than one attempt needs, so the batch returns before its timeout', async () => {
    const workspace365 = fakeWorkspace365(() => delivered());
    const { deps } = workerDeps({
      workspace365: workspace365.client,
      attemptBudgetMs: 21_000,
      remainingTimeMs: () => 20_000,
    });
    expect(await deliverSqsRecord(sqsRecord(queueMessage('acme')), deps)).toEqual({
      status: 'retry',
      reason: 'deadline',
      visibilityTimeoutSeconds: 1,
    });
    expect(workspace365.calls).toHaveLength(0);
  });
});

describe('deliverRecord: queue failures', () => {
  it('keeps the message when the DLQ refuses it', async () => {
    const workspace365 = fakeWorkspace365(() => ({
      type: 'rejected',
      status: 400,
      error: { globalError: { message: 'bad' } },
      latencyMs: 1,
    }));
    const { deps, queue } = workerDeps({ workspace365: workspace365.client });
    queue.failDeadLetter = true;
    const result = await deliverSqsRecord(sqsRecord(queueMessage('acme')), deps);
    expect(result).toMatchObject({ status: 'retry', reason: 'dead_letter_unavailable' });
    expect(queue.visibility).toHaveLength(1);
  });

  it('still reports a retry when the visibility change fails', async () => {
    const workspace365 = fakeWorkspace365(() => ({ type: 'retryable', reason: 'network', latencyMs: 1 }));
    const { deps, queue } = workerDeps({ workspace365: workspace365.client });
    vi.spyOn(queue, 'changeVisibility').mockRejectedValue(new Error('ReceiptHandleIsInvalid'));
    expect(await deliverSqsRecord(sqsRecord(queueMessage('acme')), deps)).toMatchObject({
      status: 'retry',
      reason: 'network',
    });
  });

  it('an unexpected failure is retried, not lost', async () => {
    const { deps, queue } = workerDeps();
    vi.spyOn(deps.secrets, 'get').mockRejectedValue(new TypeError('boom'));
    expect(await deliverSqsRecord(sqsRecord(queueMessage('acme')), deps)).toMatchObject({
      status: 'retry',
      reason: 'unexpected',
    });
    expect(queue.deadLetters).toEqual([]);
  });
});

describe('deliverRecord: logs', () => {
  it('never writes the API key or the payload, and names ids, party and activity ids', async () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const logger = new Logger({ serviceName: 'worker-test', logLevel: 'DEBUG' });
    const apiKey = 'sk-VERY-SECRET-KEY-123';
    const rotatedKey = 'sk-ROTATED-SECRET-KEY-456';
    const secrets = new MemorySecretStore({
      'webhook-relay/acme': { workspace365ApiKey: apiKey, webhookSecrets: ['whsec_SECRET'] },
    });
    const outcomes: DeliveryOutcome[] = [
      delivered([555]),
      { type: 'unauthorized', status: 401, latencyMs: 1 },
      {
        type: 'rejected',
        status: 400,
        error: { fieldErrors: { Title: { message: 'Title is required' } } },
        latencyMs: 1,
      },
      { type: 'retryable', status: 503, reason: 'http', latencyMs: 1 },
    ];
    const workspace365 = fakeWorkspace365((_, index) => outcomes[index] ?? delivered());
    const { deps } = workerDeps({ workspace365: workspace365.client, secrets, logger });
    const payloadMarker = 'PAYLOAD-TITLE-MARKER';
    const messages = [0, 1, 2, 3].map(() =>
      queueMessage('acme', {
        payload: { User: { Upn: 'private.person@example.com' }, Title: payloadMarker },
      }),
    );

    for (const message of messages) {
      if (message === messages[1])
        secrets.put('webhook-relay/acme', { workspace365ApiKey: rotatedKey, webhookSecrets: ['x'] });
      await deliverSqsRecord(sqsRecord(message), deps);
    }
    vi.restoreAllMocks();

    const output = written.join('');
    expect(output).toContain(messages[0]?.id);
    expect(output).toContain('555');
    expect(output).toContain('"partyId":"acme"');
    expect(output).toContain('Title: Title is required');
    for (const secret of [apiKey, rotatedKey, 'whsec_SECRET', payloadMarker, 'private.person@example.com']) {
      expect(output).not.toContain(secret);
    }
  });
});
