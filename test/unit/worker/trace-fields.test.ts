import { describe, expect, it } from 'vitest';
import { recordingLogger } from '../../../devkit/fakes/recording-logger';
import { fromSqsRecord } from '../../../functions/worker/sqs-record';
import { deliverRecord } from '../../../shared/worker/deliver-record';
import type { DeliveryOutcome } from '../../../shared/workspace365/delivery-outcome';
import { queueMessage } from '../../support/queue-messages';
import { sqsRecord } from '../../support/sqs-events';
import { fakeWorkspace365, workerDeps } from '../../support/worker-fakes';

// The worker's log lines carry the trace fields (docs/tracing.md) that `relay trace` rebuilds an
// attempt from: step, ids, receive count, status or network error, latency, backoff and its basis.
async function lineFor(outcome: DeliveryOutcome, receiveCount = 1, random = 0.5) {
  const logs = recordingLogger();
  const { deps } = workerDeps({
    workspace365: fakeWorkspace365(() => outcome).client,
    logger: logs.logger,
    random: () => random,
  });
  const message = queueMessage('acme');
  await deliverRecord(fromSqsRecord(sqsRecord(message, { receiveCount })), deps);
  const traced = logs.lines
    .map(([, fields]) => (fields ?? {}) as Record<string, unknown>)
    .filter((fields) => typeof fields.step === 'string');
  expect(traced).toHaveLength(1);
  return { fields: traced[0] as Record<string, unknown>, message };
}

describe('worker trace fields', () => {
  it('delivered: ids, event, receive count, status, latency and activity ids', async () => {
    const { fields, message } = await lineFor({
      type: 'delivered',
      status: 200,
      activityIds: [41, 42],
      latencyMs: 17,
    });
    // Exactly these keys: the line is printed for every delivery, and every byte is billed (docs/cost.md).
    expect(fields).toEqual({
      step: 'delivered',
      partyId: 'acme',
      eventId: message.eventId,
      correlationId: message.correlationId,
      messageId: message.id,
      receiveCount: 1,
      status: 200,
      latencyMs: 17,
      activityIds: [41, 42],
    });
  });

  it('delivered with more activity ids than a line holds: the first 50 and the count', async () => {
    const activityIds = Array.from({ length: 60 }, (_, index) => 1000 + index);
    const { fields } = await lineFor({ type: 'delivered', status: 200, activityIds, latencyMs: 9 });
    expect(fields).toMatchObject({ activityIds: activityIds.slice(0, 50), activityCount: 60 });
  });

  it('retry with jitter, and retry where Retry-After decided the wait', async () => {
    const jitter = await lineFor({ type: 'retryable', status: 500, reason: 'http', latencyMs: 5 }, 3);
    expect(jitter.fields).toMatchObject({
      step: 'retry',
      reason: 'http',
      status: 500,
      receiveCount: 3,
      backoff: 'jitter',
      retryInSeconds: 4,
    });
    const retryAfter = await lineFor({
      type: 'retryable',
      status: 429,
      reason: 'http',
      retryAfterSeconds: 30,
      latencyMs: 5,
    });
    expect(retryAfter.fields).toMatchObject({
      step: 'retry',
      status: 429,
      backoff: 'retry_after',
      retryAfterSeconds: 30,
      retryInSeconds: 30,
    });
  });

  it('a connection error carries its code and no status', async () => {
    const { fields } = await lineFor({
      type: 'retryable',
      reason: 'network',
      netError: 'ECONNRESET',
      latencyMs: 3,
    });
    expect(fields).toMatchObject({ step: 'retry', reason: 'network', netError: 'ECONNRESET', latencyMs: 3 });
    expect(fields).not.toHaveProperty('status');
  });

  it('dead-lettered: the reason and the status', async () => {
    const rejected = await lineFor({
      type: 'rejected',
      status: 400,
      error: { fieldErrors: { Title: { message: 'Title is required' } } },
      latencyMs: 2,
    });
    expect(rejected.fields).toMatchObject({ step: 'dead_lettered', reason: 'rejected', status: 400 });
    const exhausted = await lineFor({ type: 'retryable', status: 503, reason: 'http', latencyMs: 2 }, 5);
    expect(exhausted.fields).toMatchObject({
      step: 'dead_lettered',
      reason: 'retries_exhausted',
      status: 503,
      receiveCount: 5,
    });
  });
});
