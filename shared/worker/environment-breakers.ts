import type { CircuitBreakerConfig } from '../config/relay-config';
import type { RelayLogger } from '../observability/logger';
import { MetricName } from '../observability/metric-names';
import type { RelayMetrics } from '../observability/metrics';
import type { CircuitStateStore } from '../ports/circuit-state-store';
import { type CircuitBreakers, type CircuitTransition, createCircuitBreakers } from './circuit-breaker';

export type EnvironmentBreakersOptions = {
  config: CircuitBreakerConfig;
  store: CircuitStateStore;
  metrics: RelayMetrics;
  logger: RelayLogger;
  /** Per-request timeout towards Workspace 365: a probe's lease is sized from it. */
  workspace365TimeoutMs: number;
  /** How long a worker trusts its copy of a closed breaker (`CIRCUIT_CACHE_SECONDS`). @default 10 */
  cacheSeconds?: number;
  now?: () => number;
};

/**
 * The worker's breakers as the hosts compose them: the config's settings, transitions logged (one line
 * naming the environment, `circuitState` for the dashboard's Logs Insights widget) and counted in
 * undimensioned metrics, so the number of series stays fixed however many environments there are.
 * `undefined` when the config turns the breaker off.
 */
export function createEnvironmentBreakers(options: EnvironmentBreakersOptions): CircuitBreakers | undefined {
  const { config, metrics, logger } = options;
  if (!config.enabled) return undefined;
  const onTransition = (transition: CircuitTransition) => {
    // Not `environment`: Powertools Logger reserves that key for the deployment environment.
    const fields = {
      targetEnvironment: transition.key,
      cause: transition.cause,
      openSince: new Date(transition.openedAt).toISOString(),
      ...(transition.retryAt === undefined
        ? {}
        : { nextProbeAt: new Date(transition.retryAt).toISOString() }),
    };
    if (transition.to === 'open') {
      metrics.add(MetricName.CircuitBreakerOpened, 'Count', 1);
      logger.warn('circuit breaker opened: deliveries to this Workspace 365 environment wait', {
        ...fields,
        circuitState: 'open',
      });
    } else if (transition.to === 'closed') {
      metrics.add(MetricName.CircuitBreakerClosed, 'Count', 1);
      logger.info('circuit breaker closed: the probe got through, deliveries resume', {
        ...fields,
        circuitState: 'closed',
        openForSeconds: Math.round(((options.now ?? Date.now)() - transition.openedAt) / 1000),
      });
    } else {
      // Also feeds the open-too-long alarm once per cool-down while probes keep failing.
      metrics.add(
        MetricName.CircuitBreakerOpenSeconds,
        'Seconds',
        Math.round(((options.now ?? Date.now)() - transition.openedAt) / 1000),
      );
      logger.info('circuit breaker probe failed; it stays open', { ...fields, circuitState: 'open' });
    }
  };
  return createCircuitBreakers({
    store: options.store,
    settings: {
      failureThreshold: config.failureThreshold,
      cooldownSeconds: config.cooldownSeconds,
      pauseOnRetryAfter: config.pauseOnRetryAfter,
      cacheSeconds: options.cacheSeconds ?? 10,
      // A probe may post twice (a 401 refreshes the key and posts again) before its lease runs out.
      probeLeaseSeconds: Math.ceil((2 * options.workspace365TimeoutMs) / 1000) + 5,
    },
    now: options.now ?? Date.now,
    onTransition,
    onStoreError: (error, during) =>
      logger.warn('circuit breaker state unavailable; posting as if closed', {
        during,
        errorName: error instanceof Error ? error.name : typeof error,
      }),
  });
}

/**
 * The worker's breakers per party (keys `party:<id>`): Workspace 365 refusing a party's key even after the
 * secret was read again pauses that party alone; one of its messages probes every cool-down, so a fixed
 * key is noticed within a minute. Transitions are logged; `DeliveryAuthFailure` already counts them.
 */
export function createPartyBreakers(options: EnvironmentBreakersOptions): CircuitBreakers | undefined {
  const { config, logger } = options;
  if (!config.enabled) return undefined;
  return createCircuitBreakers({
    store: options.store,
    settings: {
      failureThreshold: 1,
      cooldownSeconds: config.cooldownSeconds,
      pauseOnRetryAfter: false,
      cacheSeconds: options.cacheSeconds ?? 10,
      probeLeaseSeconds: Math.ceil((2 * options.workspace365TimeoutMs) / 1000) + 5,
    },
    now: options.now ?? Date.now,
    onTransition: (transition) => {
      const fields = {
        partyId: transition.key.replace(/^party:/, ''),
        openSince: new Date(transition.openedAt).toISOString(),
      };
      if (transition.to === 'open')
        logger.warn('party paused: Workspace 365 refuses its API key; its deliveries wait', {
          ...fields,
          partyState: 'paused',
        });
      else if (transition.to === 'closed')
        logger.info('party resumed: Workspace 365 accepts its API key again', {
          ...fields,
          partyState: 'active',
        });
    },
    onStoreError: (error, during) =>
      logger.warn('party breaker state unavailable; posting as if active', {
        during,
        errorName: error instanceof Error ? error.name : typeof error,
      }),
  });
}
