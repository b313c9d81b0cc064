import { InMemoryDedupLedger } from '../../shared/adapters/in-memory-dedup-ledger';
import { createIngressDeps, type IngressAdapters } from '../../shared/composition/ingress-deps';
import { silentLogger } from '../../shared/observability/logger';
import { InMemoryMetrics } from '../../shared/observability/metrics';
import { ALL_SOURCE_ENGINES } from '../source-engines';
import { demoConfig, demoSecrets } from './demo';
import { MemorySecretStore } from './memory-secret-store';
import { RecordingQueue } from './recording-queue';

/**
 * The ingress core's dependencies on the demo config, composed as every host composes them, with
 * in-process adapters: a recording queue, the demo secrets in memory, fresh in-process dedup and silent
 * logs. Override what a test is about.
 */
export function demoIngressDeps(overrides: Partial<Omit<IngressAdapters, 'queue'>> = {}) {
  const queue = new RecordingQueue();
  const metrics = new InMemoryMetrics();
  const deps = createIngressDeps({
    config: demoConfig(),
    secrets: new MemorySecretStore(demoSecrets()),
    queue,
    ledger: new InMemoryDedupLedger(),
    sourceEngines: ALL_SOURCE_ENGINES,
    metrics,
    logger: silentLogger,
    ...overrides,
  });
  return { deps, queue, metrics };
}
