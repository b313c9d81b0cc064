import type { RelayConfig } from '../config/relay-config';
import type { IngressDeps } from '../ingress/handle-webhook';
import { PartyRegistry } from '../ingress/party-registry';
import type { RelayLogger } from '../observability/logger';
import type { RelayMetrics } from '../observability/metrics';
import { type Clock, systemClock } from '../ports/clock';
import type { DedupLedger } from '../ports/dedup-ledger';
import type { MessageQueue } from '../ports/message-queue';
import type { SecretStore } from '../ports/secret-store';
import type { SourceEngines } from '../sources';

/** What differs between the hosts of the ingress core (Lambda, local mode, bench, tests). */
export type IngressAdapters = {
  config: RelayConfig;
  secrets: SecretStore;
  queue: MessageQueue;
  /** Who owns each event (docs/cost.md): DynamoDB in AWS, in-process elsewhere; the worker reads it. */
  ledger: DedupLedger;
  metrics: RelayMetrics;
  logger: RelayLogger;
  /** What the parties' sources need, from `loadSourceEngines(config.parties)`. @default none (no template party) */
  sourceEngines?: SourceEngines;
  /** @default the system clock */
  clock?: Clock;
  /** For sources that look things up (the WorkDrive user resolver). @default globalThis.fetch */
  fetch?: typeof fetch;
};

/**
 * The ingress composition root (docs/architecture.md §2): every host builds the core's dependencies
 * here and passes only its adapters, so the parties and the ledger are wired once.
 */
export function createIngressDeps(adapters: IngressAdapters): IngressDeps {
  return {
    parties: new PartyRegistry(adapters.config, adapters.sourceEngines),
    secrets: adapters.secrets,
    queue: adapters.queue,
    ledger: adapters.ledger,
    metrics: adapters.metrics,
    logger: adapters.logger,
    clock: adapters.clock ?? systemClock,
    // Read on use: touching `globalThis.fetch` loads undici (≈ 20 ms of cold start), which most webhooks never need.
    fetch: adapters.fetch ?? ((input, init) => globalThis.fetch(input, init)),
  };
}
