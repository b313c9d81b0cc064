import { afterEach, describe, expect, it } from 'vitest';
import { inspectQueue } from '../../../functions/local/queue-state';
import { MetricName } from '../../../shared/observability/metric-names';
import { receiveCountOf } from '../../../shared/worker/receive-count';
import { queueMessage } from '../../support/queue-messages';
import { waitFor } from '../../support/wait-for';
import { startWorkerRelay, type WorkerRelay } from '../../support/worker-relay';

let relay: WorkerRelay | undefined;
afterEach(async () => {
  await relay?.close();
  relay = undefined;
});

describe('worker behind a circuit breaker (fauxqs + real SQS client)', () => {
  it('an outage longer than the retry budget: deferred copies keep their attempt count, nothing is dead-lettered', {
    timeout: 60_000,
  }, async () => {
    const current = await startWorkerRelay({
      parties: [{ id: 'acme', apiKey: 'acme-key' }],
      // More attempts than failures: the test is about what deferrals cost, not about dead-lettering.
      retry: { baseSeconds: 1, capSeconds: 1, maxReceives: 7 },
      circuitBreaker: { failureThreshold: 2, cooldownSeconds: 1 },
    });
    relay = current;
    current.sandbox.script({ status: 503, times: 6 });
    const messages = Array.from({ length: 6 }, () => queueMessage('acme'));
    await current.send(...messages);
    current.startPoller();

    await waitFor(() => current.sandbox.activities().length === messages.length, {
      timeoutMs: 40_000,
      what: 'every activity',
    });
    await waitFor(async () => (await current.count(current.sqs.queueUrl)) === 0, {
      what: 'the queue drained',
    });

    const perMessage = messages.map(
      (message) => current.sandbox.activities().filter((a) => a.idempotencyKey === message.id).length,
    );
    expect(perMessage).toEqual(messages.map(() => 1));
    expect(await inspectQueue(current.sqs.endpoint, current.sqs.dlqUrl)).toEqual([]);
    // Two failures opened it; the other four were probes, one per cool-down, not one per message per retry.
    expect(current.sandbox.requests().filter((request) => request.status === 503)).toHaveLength(6);
    expect(current.metrics.sum(MetricName.CircuitBreakerOpened)).toBe(1);
    expect(current.metrics.sum(MetricName.CircuitBreakerClosed)).toBe(1);
    expect(current.metrics.sum(MetricName.DeliveryDeferred)).toBeGreaterThan(0);
    // Deferrals went round through SQS as delayed copies carrying the count, and cost no attempt: the
    // receive that delivered each message counts exactly its requests to Workspace 365.
    const records = current.batches.flatMap((batch) => batch.records);
    expect(records.some((record) => record.messageAttributes.priorReceiveCount !== undefined)).toBe(true);
    for (const message of messages) {
      const requests = current.sandbox.requests().filter((r) => r.idempotencyKey === message.id).length;
      const delivering = records.filter((record) => record.body.includes(message.id)).at(-1);
      expect(delivering && receiveCountOf(delivering)).toBe(requests);
    }
  });
});
