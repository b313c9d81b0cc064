import { ALL_SOURCE_ENGINES } from '../../devkit/source-engines';
import { FileSecretStore } from '../../shared/adapters/file-secret-store';
import { InMemoryDedupLedger } from '../../shared/adapters/in-memory-dedup-ledger';
import { createIngressDeps } from '../../shared/composition/ingress-deps';
import type { RelayConfig } from '../../shared/config/relay-config';
import type { IngressDeps } from '../../shared/ingress/handle-webhook';
import type { RelayLogger } from '../../shared/observability/logger';
import type { RelayMetrics } from '../../shared/observability/metrics';
import type { MessageQueue } from '../../shared/ports/message-queue';
import { DEMO_SECRETS_FILE } from './demo';

/**
 * The ingress core's dependencies as local mode builds them (functions/local/local-relay.ts): parties with
 * their verifiers and compiled templates, the secrets file, in-process dedup — with the queue given.
 */
export function benchIngressDeps(options: {
  config: RelayConfig;
  queue: MessageQueue;
  metrics: RelayMetrics;
  logger: RelayLogger;
}): IngressDeps {
  return createIngressDeps({
    ...options,
    secrets: new FileSecretStore(DEMO_SECRETS_FILE),
    ledger: new InMemoryDedupLedger(),
    sourceEngines: ALL_SOURCE_ENGINES,
  });
}

/** A queue that accepts everything at no cost: what is left is the relay's own work. */
export const noopQueue: MessageQueue = { sendAll: async () => {} };
