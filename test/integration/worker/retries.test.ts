import { afterEach, describe, expect, it } from 'vitest';
import { toDeadLetterEntry } from '../../../functions/cli/dlq/entry';
import { peekAll } from '../../../functions/cli/dlq/receive-all';
import { redriveDeadLetters } from '../../../functions/cli/dlq/redrive';
import { MetricName } from '../../../shared/observability/metric-names';
import { backoffCeilingSeconds } from '../../../shared/retry/backoff';
import { queueMessage } from '../../support/queue-messages';
import { waitFor } from '../../support/wait-for';
import { startWorkerRelay, type WorkerRelay } from '../../support/worker-relay';

let relay: WorkerRelay | undefined;
afterEach(async () => {
  await relay?.close();
  relay = undefined;
});

const PARTY = { id: 'acme', apiKey: 'acme-key-1' };

async function deadLetters(current: WorkerRelay) {
  return (await peekAll(current.sqs.client, current.sqs.dlqUrl, { waitTimeSeconds: 0 })).map(
    toDeadLetterEntry,
  );
}

describe('worker retries against the sandbox (fauxqs + real SQS client)', () => {
  it('503, 503, then 200: one activity, two retries with jittered delays within bounds, DLQ empty', async () => {
    const draws = [0.9, 0.3];
    let drawIndex = 0;
    const current = await startWorkerRelay({
      parties: [PARTY],
      retry: { baseSeconds: 1, capSeconds: 4, maxReceives: 5 },
      random: () => draws[drawIndex++ % draws.length] ?? 0,
    });
    relay = current;
    current.sandbox.script({ status: 503, times: 2 });
    const message = queueMessage(PARTY.id);
    await current.send(message);
    current.startPoller();

    await waitFor(() => current.sandbox.activities().length === 1, {
      timeoutMs: 15_000,
      what: 'the activity',
    });
    await waitFor(async () => (await current.count(current.sqs.queueUrl)) === 0, { what: 'the delete' });

    expect(current.sandbox.activities()).toHaveLength(1);
    expect(current.sandbox.activities()[0]?.idempotencyKey).toBe(message.id);
    expect(current.sandbox.requests().map((request) => request.status)).toEqual([503, 503, 200]);
    const delays = current.visibilityChanges.map((change) => change.seconds);
    expect(delays).toHaveLength(2);
    delays.forEach((seconds, index) => {
      const ceiling = backoffCeilingSeconds(index + 1, current.retry);
      expect(seconds).toBeGreaterThanOrEqual(0);
      expect(seconds).toBeLessThanOrEqual(ceiling);
      // random(0, ceiling) with the injected draw, rounded up to whole seconds.
      expect(seconds).toBe(Math.ceil((draws[index] ?? 0) * ceiling));
    });
    expect(current.metrics.sum(MetricName.DeliveryRetried)).toBe(2);
    expect(current.metrics.sum(MetricName.DeliveryDelivered)).toBe(1);
    expect(await current.count(current.sqs.dlqUrl)).toBe(0);
  });

  it('429 with Retry-After: 3 waits at least 3 s before the next attempt', async () => {
    const current = await startWorkerRelay({ parties: [PARTY], random: () => 0 });
    relay = current;
    current.sandbox.script({ status: 429, headers: { 'Retry-After': '3' } });
    await current.send(queueMessage(PARTY.id));
    current.startPoller();

    await waitFor(() => current.sandbox.activities().length === 1, {
      timeoutMs: 15_000,
      what: 'the activity',
    });
    expect(current.visibilityChanges.map((change) => change.seconds)).toEqual([3]);
    const [first, second] = current.sandbox.requests();
    expect(first?.status).toBe(429);
    expect(second?.status).toBe(200);
    expect(Date.parse(second?.at ?? '') - Date.parse(first?.at ?? '')).toBeGreaterThanOrEqual(3000);
  });

  it('400 with field errors: one attempt, then in the DLQ with the decoded reason; main queue empty', async () => {
    const current = await startWorkerRelay({ parties: [PARTY] });
    relay = current;
    // No Title and three actions: the sandbox answers 400 with Workspace 365 field errors.
    const message = queueMessage(PARTY.id, {
      payload: {
        User: { Upn: 'anna.devries@demo.example' },
        Actions: [
          { Kind: 1, Title: 'a', Url: 'https://x.example' },
          { Kind: 1, Title: 'b', Url: 'https://x.example' },
          { Kind: 1, Title: 'c', Url: 'https://x.example' },
        ],
      },
    });
    await current.send(message);
    current.startPoller();

    const [entry] = await waitFor(
      async () => {
        const entries = await deadLetters(current);
        return entries.length > 0 && entries;
      },
      { what: 'the dead letter' },
    );
    expect(current.sandbox.requests()).toHaveLength(1);
    expect(entry).toMatchObject({
      reason: 'rejected',
      status: 400,
      attempts: 1,
      partyId: PARTY.id,
      kind: 'activity',
      deliveryId: message.id,
      body: JSON.stringify(message),
    });
    expect(entry?.errorMessage).toMatch(/Title: /);
    expect(entry?.errorMessage).toMatch(/Actions: /);
    expect(Date.parse(entry?.failedAt ?? '')).not.toBeNaN();
    await waitFor(async () => (await current.count(current.sqs.queueUrl)) === 0, { what: 'the delete' });
    expect(current.metrics.sum(MetricName.DeliveryDeadLettered, { Reason: 'rejected' })).toBe(1);
    expect(current.sandbox.activities()).toHaveLength(0);
  });

  it('always 500: exactly maxReceives attempts, then in the DLQ intact; after recovery a redrive delivers it once', async () => {
    const current = await startWorkerRelay({
      parties: [PARTY],
      retry: { baseSeconds: 1, capSeconds: 1, maxReceives: 3 },
    });
    relay = current;
    current.sandbox.script({ status: 500, times: 1000 });
    const message = queueMessage(PARTY.id);
    await current.send(message);
    current.startPoller();

    const [entry] = await waitFor(
      async () => {
        const entries = await deadLetters(current);
        return entries.length > 0 && entries;
      },
      { timeoutMs: 15_000, what: 'the dead letter' },
    );
    expect(current.sandbox.requests()).toHaveLength(3);
    expect(entry).toMatchObject({
      reason: 'retries_exhausted',
      status: 500,
      attempts: 3,
      body: JSON.stringify(message),
    });
    expect(entry?.errorMessage).toContain('500');
    await waitFor(async () => (await current.count(current.sqs.queueUrl)) === 0, {
      what: 'the main queue to empty',
    });

    current.sandbox.reset(); // Workspace 365 is back
    const result = await redriveDeadLetters({
      client: current.sqs.client,
      queueUrl: current.sqs.queueUrl,
      dlqUrl: current.sqs.dlqUrl,
      waitTimeSeconds: 0,
    });
    // fauxqs has no StartMessageMoveTask: the redrive falls back to receive → send → delete.
    expect(result).toMatchObject({ method: 'receive-send', moved: 1, kept: 0, failed: 0 });

    await waitFor(() => current.sandbox.activities().length === 1, { what: 'the redriven delivery' });
    await waitFor(async () => (await current.count(current.sqs.queueUrl)) === 0, { what: 'the delete' });
    expect(current.sandbox.activities()).toHaveLength(1);
    expect(current.sandbox.activities()[0]?.idempotencyKey).toBe(message.id);
    expect(await current.count(current.sqs.dlqUrl)).toBe(0);
  });
});
