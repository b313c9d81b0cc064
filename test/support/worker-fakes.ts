import type { SQSMessageAttributes } from 'aws-lambda';
import { MemorySecretStore } from '../../devkit/fakes/memory-secret-store';
import { InMemoryCircuitStateStore } from '../../shared/adapters/in-memory-circuit-state-store';
import { InMemoryDedupLedger } from '../../shared/adapters/in-memory-dedup-ledger';
import { createDeliveryDeps } from '../../shared/composition/delivery-deps';
import {
  DEFAULT_CIRCUIT_BREAKER,
  type PartyConfig,
  type RetryConfig,
} from '../../shared/config/relay-config';
import { silentLogger } from '../../shared/observability/logger';
import { InMemoryMetrics } from '../../shared/observability/metrics';
import type { Clock } from '../../shared/ports/clock';
import type { SecretStore } from '../../shared/ports/secret-store';
import type { DeadLetterAttributes } from '../../shared/worker/dead-letter';
import type { DeliveryDeps } from '../../shared/worker/deliver-record';
import type { DeliveryQueue } from '../../shared/worker/delivery-queue';
import type { Workspace365Client } from '../../shared/workspace365/client';
import type { DeliveryOutcome } from '../../shared/workspace365/delivery-outcome';

export function testParty(id: string, environment = 'demo'): PartyConfig {
  return {
    id,
    source: 'workspace365',
    auth: { scheme: 'token' },
    target: { baseUrl: 'https://w365.example', environment },
    secretName: `webhook-relay/${id}`,
    options: {},
  };
}

/** Records what the worker asked of its queue. */
export class FakeDeliveryQueue implements DeliveryQueue {
  readonly visibility: { receiptHandle: string; seconds: number }[] = [];
  readonly deadLetters: { body: string; attributes: DeadLetterAttributes }[] = [];
  readonly requeued: { body: string; messageAttributes: SQSMessageAttributes; delaySeconds: number }[] = [];
  readonly deleted: string[] = [];
  failDeadLetter = false;
  failRequeue = false;
  failDelete = false;

  async deleteMessages(receiptHandles: readonly string[]): Promise<string[]> {
    if (this.failDelete) return [...receiptHandles];
    this.deleted.push(...receiptHandles);
    return [];
  }

  async changeVisibility(receiptHandle: string, seconds: number): Promise<void> {
    this.visibility.push({ receiptHandle, seconds });
  }

  async sendToDeadLetter(body: string, attributes: DeadLetterAttributes): Promise<void> {
    if (this.failDeadLetter) throw new Error('DLQ unavailable');
    this.deadLetters.push({ body, attributes });
  }

  async requeue(copy: { body: string; messageAttributes: SQSMessageAttributes }, delaySeconds: number) {
    if (this.failRequeue) throw new Error('queue unavailable');
    this.requeued.push({ ...copy, delaySeconds });
  }
}

export type PostCall = {
  kind: string;
  environment: string;
  apiKey: string;
  idempotencyKey?: string;
  correlationId?: string;
};

/** A Workspace 365 client answering from a function; it records every call (keys included, for asserts). */
export function fakeWorkspace365(
  answer: (call: PostCall, index: number) => DeliveryOutcome = () => ({
    type: 'delivered',
    status: 200,
    activityIds: [1],
    latencyMs: 5,
  }),
) {
  const calls: PostCall[] = [];
  const client: Pick<Workspace365Client, 'post'> = {
    async post(kind, target, apiKey, _payload, options = {}) {
      const call: PostCall = {
        kind,
        environment: target.environment,
        apiKey,
        ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
        ...(options.correlationId ? { correlationId: options.correlationId } : {}),
      };
      calls.push(call);
      return answer(call, calls.length - 1);
    },
  };
  return { client, calls };
}

export const fixedClock = (iso = '2026-01-01T00:00:10.000Z'): Clock => ({ now: () => new Date(iso) });

/** Worker deps with fakes everywhere; override what a test is about. */
export function workerDeps(overrides: Partial<DeliveryDeps> = {}) {
  const queue = new FakeDeliveryQueue();
  const metrics = new InMemoryMetrics();
  const workspace365 = fakeWorkspace365();
  const secrets: SecretStore = new MemorySecretStore({
    'webhook-relay/acme': { workspace365ApiKey: 'acme-key', webhookSecrets: ['s'] },
    'webhook-relay/globex': { workspace365ApiKey: 'globex-key', webhookSecrets: ['s'] },
  });
  const retry: RetryConfig = { baseSeconds: 2, capSeconds: 900, maxReceives: 5, jitter: 'full' };
  const deps: DeliveryDeps = {
    ...createDeliveryDeps({
      // No breakers unless a test is about them (it passes its own).
      config: {
        parties: [testParty('acme'), testParty('globex')],
        retry,
        circuitBreaker: { ...DEFAULT_CIRCUIT_BREAKER, enabled: false },
      },
      circuitStore: new InMemoryCircuitStateStore(),
      secrets,
      queue,
      ledger: new InMemoryDedupLedger(),
      metrics,
      logger: silentLogger,
      workspace365: workspace365.client,
      clock: fixedClock(),
      random: () => 0.5,
    }),
    ...overrides,
  };
  return { deps, queue, metrics, workspace365 };
}
