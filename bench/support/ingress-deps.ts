import { FileSecretStore } from '../../shared/adapters/file-secret-store';
import type { RelayConfig } from '../../shared/config/relay-config';
import { InMemoryCacheClient } from '../../shared/idempotency/in-memory-cache-client';
import { INGRESS_DEDUP_NAMESPACE } from '../../shared/idempotency/namespaces';
import { createOnce } from '../../shared/idempotency/once';
import { createPersistenceStore } from '../../shared/idempotency/persistence-store';
import { DEDUP_WINDOW_SECONDS, type IngressDeps } from '../../shared/ingress/handle-webhook';
import { PartyRegistry } from '../../shared/ingress/party-registry';
import type { RelayLogger } from '../../shared/observability/logger';
import type { RelayMetrics } from '../../shared/observability/metrics';
import { systemClock } from '../../shared/ports/clock';
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
  return {
    parties: new PartyRegistry(options.config),
    secrets: new FileSecretStore(DEMO_SECRETS_FILE),
    queue: options.queue,
    once: createOnce(createPersistenceStore({ cacheClient: new InMemoryCacheClient() }), {
      expiresAfterSeconds: DEDUP_WINDOW_SECONDS,
      namespace: INGRESS_DEDUP_NAMESPACE,
    }),
    metrics: options.metrics,
    logger: options.logger,
    clock: systemClock,
    fetch: globalThis.fetch,
  };
}

/** A queue that accepts everything at no cost: what is left is the relay's own work. */
export const noopQueue: MessageQueue = { sendAll: async () => {} };
