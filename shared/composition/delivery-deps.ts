import type { RelayConfig } from '../config/relay-config';
import type { RelayLogger } from '../observability/logger';
import type { RelayMetrics } from '../observability/metrics';
import type { CircuitStateStore } from '../ports/circuit-state-store';
import { type Clock, systemClock } from '../ports/clock';
import type { DedupLedger } from '../ports/dedup-ledger';
import type { SecretStore } from '../ports/secret-store';
import { coalesceSecretReads } from '../worker/coalesce-secret-reads';
import type { DeliveryDeps } from '../worker/deliver-record';
import type { DeliveryQueue } from '../worker/delivery-queue';
import { createEnvironmentBreakers, createPartyBreakers } from '../worker/environment-breakers';
import { createWorkspace365Client, type Workspace365Client } from '../workspace365/client';

/** Per-request timeout towards Workspace 365 (`WORKSPACE365_TIMEOUT_MS`). */
export const DEFAULT_WORKSPACE365_TIMEOUT_MS = 10_000;

/** What differs between the hosts of the delivery core (Lambda, local mode, bench, tests). */
export type DeliveryAdapters = {
  config: Pick<RelayConfig, 'parties' | 'retry' | 'circuitBreaker'>;
  /** Reads of the same secret that overlap are coalesced here, as in every host. */
  secrets: SecretStore;
  queue: DeliveryQueue;
  /** Who owns each event (docs/cost.md): DynamoDB in AWS, in-process elsewhere; the one ingress writes. */
  ledger: DedupLedger;
  /**
   * Where the circuit breakers keep their state (docs/outage.md): the DynamoDB table in AWS, one
   * in-process store per process elsewhere (kept across worker restarts, as the item is in AWS).
   */
  circuitStore: CircuitStateStore;
  /** How long a breaker's state is trusted before it is read again. @default the breakers' own default */
  circuitCacheSeconds?: number;
  metrics: RelayMetrics;
  logger: RelayLogger;
  /** @default DEFAULT_WORKSPACE365_TIMEOUT_MS */
  workspace365TimeoutMs?: number;
  /** @default the fetch client with `workspace365TimeoutMs` */
  workspace365?: Pick<Workspace365Client, 'post'>;
  /** @default the system clock */
  clock?: Clock;
  /** Uniform in [0, 1), for the backoff jitter. @default Math.random */
  random?: () => number;
};

/**
 * The delivery composition root (docs/architecture.md §2): every host builds the worker's dependencies
 * here and passes only its adapters, so the parties, retry policy, ledger, secret coalescing, circuit
 * breakers and the attempt budget are wired once.
 */
export function createDeliveryDeps(adapters: DeliveryAdapters): Omit<DeliveryDeps, 'remainingTimeMs'> {
  const timeoutMs = adapters.workspace365TimeoutMs ?? DEFAULT_WORKSPACE365_TIMEOUT_MS;
  // Breaker state per Workspace 365 environment and per party, shared by every execution environment.
  const breakerOptions = {
    config: adapters.config.circuitBreaker,
    store: adapters.circuitStore,
    metrics: adapters.metrics,
    logger: adapters.logger,
    workspace365TimeoutMs: timeoutMs,
    ...(adapters.circuitCacheSeconds === undefined ? {} : { cacheSeconds: adapters.circuitCacheSeconds }),
  };
  return {
    parties: new Map(adapters.config.parties.map((party) => [party.id, party])),
    secrets: coalesceSecretReads(adapters.secrets),
    workspace365: adapters.workspace365 ?? createWorkspace365Client({ timeoutMs }),
    queue: adapters.queue,
    ledger: adapters.ledger,
    metrics: adapters.metrics,
    logger: adapters.logger,
    clock: adapters.clock ?? systemClock,
    random: adapters.random ?? Math.random,
    retry: adapters.config.retry,
    breakers: createEnvironmentBreakers(breakerOptions),
    partyBreakers: createPartyBreakers(breakerOptions),
    // A POST and its retry after a 401, plus a second for the secret read and the ledger.
    attemptBudgetMs: 2 * timeoutMs + 1_000,
  };
}
