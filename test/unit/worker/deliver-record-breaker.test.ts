import { describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../../devkit/fakes/memory-secret-store';
import { fromSqsRecord } from '../../../functions/worker/sqs-record';
import { InMemoryCircuitStateStore } from '../../../shared/adapters/in-memory-circuit-state-store';
import { DEFAULT_CIRCUIT_BREAKER } from '../../../shared/config/relay-config';
import { silentLogger } from '../../../shared/observability/logger';
import { MetricName } from '../../../shared/observability/metric-names';
import { InMemoryMetrics } from '../../../shared/observability/metrics';
import type { CircuitStateStore } from '../../../shared/ports/circuit-state-store';
import { deliverRecord } from '../../../shared/worker/deliver-record';
import { createEnvironmentBreakers, createPartyBreakers } from '../../../shared/worker/environment-breakers';
import type { DeliveryOutcome } from '../../../shared/workspace365/delivery-outcome';
import { queueMessage } from '../../support/queue-messages';
import { sqsRecord } from '../../support/sqs-events';
import { fakeWorkspace365, fixedClock, testParty, workerDeps } from '../../support/worker-fakes';

const NOW = Date.parse('2026-01-01T00:00:10.000Z');
const ok: DeliveryOutcome = { type: 'delivered', status: 200, activityIds: [1], latencyMs: 5 };
const unavailable: DeliveryOutcome = { type: 'retryable', status: 503, reason: 'http', latencyMs: 5 };

/** Worker deps with a breaker over an in-process store: acme and globex share one environment, initech has its own. */
function breakerWorld(answer: (environment: string, apiKey: string) => DeliveryOutcome) {
  const store: CircuitStateStore = new InMemoryCircuitStateStore();
  const metrics = new InMemoryMetrics();
  const workspace365 = fakeWorkspace365((call) => answer(call.environment, call.apiKey));
  let now = NOW;
  const options = {
    config: { ...DEFAULT_CIRCUIT_BREAKER, failureThreshold: 3, cooldownSeconds: 60 },
    store,
    metrics,
    logger: silentLogger,
    workspace365TimeoutMs: 1000,
    now: () => now,
  };
  const breakers = createEnvironmentBreakers(options);
  const partyBreakers = createPartyBreakers(options);
  const { deps, queue } = workerDeps({
    workspace365: workspace365.client,
    metrics,
    breakers,
    partyBreakers,
    secrets: new MemorySecretStore(
      Object.fromEntries(
        ['acme', 'globex', 'initech'].map((id) => [
          `webhook-relay/${id}`,
          { workspace365ApiKey: `${id}-key`, webhookSecrets: ['s'] },
        ]),
      ),
    ),
    clock: fixedClock('2026-01-01T00:00:10.000Z'),
  });
  deps.parties = new Map([
    ['acme', testParty('acme', 'shared')],
    ['globex', testParty('globex', 'shared')],
    ['initech', testParty('initech', 'own')],
  ]);
  const send = (partyId: string, receiveCount = 1) =>
    deliverRecord(
      fromSqsRecord(
        sqsRecord(queueMessage(partyId, { receivedAt: '2026-01-01T00:00:00.000Z' }), { receiveCount }),
      ),
      deps,
    );
  const advance = (ms: number) => {
    now += ms;
  };
  return { deps, queue, metrics, workspace365, send, store, advance };
}

describe('deliverRecord behind a circuit breaker', () => {
  it('stops posting to an environment after a run of failures and re-queues its messages without spending a receive', async () => {
    const w = breakerWorld(() => unavailable);
    for (let i = 0; i < 3; i++) expect((await w.send('acme')).status).toBe('retry');
    expect(w.metrics.sum(MetricName.CircuitBreakerOpened)).toBe(1);

    // globex posts to the same environment: its message waits too, unposted.
    const result = await w.send('globex', 4);
    expect(result).toMatchObject({ status: 'deferred' });
    expect(w.workspace365.calls).toHaveLength(3);
    expect(w.queue.requeued).toHaveLength(1);
    const copy = w.queue.requeued[0];
    // Receive 4 is given back: the copy's first receive counts as the 4th again.
    expect(copy?.messageAttributes.priorReceiveCount?.stringValue).toBe('3');
    expect(copy?.messageAttributes.partyId?.stringValue).toBe('globex');
    // Not before the next probe (60 s), and within SQS's 15-minute delay.
    expect(copy?.delaySeconds).toBeGreaterThanOrEqual(60);
    expect(copy?.delaySeconds).toBeLessThanOrEqual(900);
    expect(w.metrics.sum(MetricName.DeliveryDeferred)).toBe(1);
  });

  it('keeps other environments and a party refused with 401 out of it', async () => {
    const w = breakerWorld((environment, apiKey) => {
      if (environment === 'shared' && apiKey === 'acme-key')
        return { type: 'unauthorized', status: 401, latencyMs: 5 };
      if (environment === 'shared') return ok;
      return unavailable;
    });
    // acme's key is refused again and again: that is the party's problem, not the environment's.
    for (let i = 0; i < 5; i++) await w.send('acme');
    expect(await w.send('globex')).toMatchObject({ status: 'delivered' });
    // initech's own environment goes down and its breaker opens; the shared one keeps delivering.
    for (let i = 0; i < 3; i++) await w.send('initech');
    expect(await w.send('initech')).toMatchObject({ status: 'deferred' });
    expect(await w.send('globex')).toMatchObject({ status: 'delivered' });
    expect(w.metrics.sum(MetricName.CircuitBreakerOpened)).toBe(1);
  });

  it('pauses only the party whose key is refused after the refresh, and resumes it when a probe gets through', async () => {
    let acmeKeyValid = false;
    const w = breakerWorld((_environment, apiKey) =>
      apiKey === 'acme-key' && !acmeKeyValid ? { type: 'unauthorized', status: 401, latencyMs: 5 } : ok,
    );
    expect(await w.send('acme')).toMatchObject({ status: 'retry', reason: 'unauthorized' });
    const postsAfterRefusal = w.workspace365.calls.length;
    // acme waits unposted, without spending its attempt; globex on the same environment is not held up.
    expect(await w.send('acme', 2)).toMatchObject({ status: 'deferred' });
    expect(w.queue.requeued.at(-1)?.messageAttributes.priorReceiveCount?.stringValue).toBe('1');
    expect(await w.send('globex')).toMatchObject({ status: 'delivered' });
    expect(w.workspace365.calls.filter((call) => call.apiKey === 'acme-key')).toHaveLength(postsAfterRefusal);
    expect(w.metrics.sum(MetricName.CircuitBreakerOpened)).toBe(0);
    // The operator fixes the key; after the cool-down one acme message probes and the party resumes.
    acmeKeyValid = true;
    w.advance(60_000);
    expect(await w.send('acme')).toMatchObject({ status: 'delivered' });
    expect(await w.send('acme')).toMatchObject({ status: 'delivered' });
  });

  it('pauses the whole environment on a 429 with Retry-After, for every party posting there', async () => {
    const w = breakerWorld((environment) =>
      environment === 'shared'
        ? { type: 'retryable', status: 429, reason: 'http', retryAfterSeconds: 120, latencyMs: 5 }
        : ok,
    );
    expect(await w.send('acme')).toMatchObject({ status: 'retry', visibilityTimeoutSeconds: 120 });
    const paused = await w.send('globex');
    expect(paused).toMatchObject({ status: 'deferred' });
    expect(paused.status === 'deferred' && paused.retryInSeconds).toBeGreaterThanOrEqual(120);
    expect(await w.send('initech')).toMatchObject({ status: 'delivered' });
    expect(w.workspace365.calls.map((call) => call.environment)).toEqual(['shared', 'own']);
  });

  it('waits as a normal retry when the copy cannot be queued', async () => {
    const w = breakerWorld(() => unavailable);
    for (let i = 0; i < 3; i++) await w.send('acme');
    w.queue.failRequeue = true;
    expect(await w.send('acme', 2)).toMatchObject({ status: 'retry', reason: 'circuit_open' });
    expect(w.queue.visibility.at(-1)?.seconds).toBeGreaterThanOrEqual(60);
  });

  it('dead-letters a message that has waited behind the breaker longer than a delivery waits', async () => {
    const w = breakerWorld(() => unavailable);
    w.deps.maxDeferralSeconds = 5;
    for (let i = 0; i < 3; i++) await w.send('acme');
    expect(await w.send('acme')).toMatchObject({ status: 'dead-lettered', reason: 'retries_exhausted' });
    expect(w.queue.deadLetters.at(-1)?.attributes.errorMessage).toMatch(/unavailable \(circuit breaker open/);
  });
});
