import type { IngressDeps } from '../ingress/handle-webhook';
import type { RegisteredParty } from '../ingress/party-registry';
import type { PollRunDeps } from '../polling/poll-runner';
import type { CheckpointStore } from '../ports/checkpoint-store';

/**
 * The poller composition root (docs/polling.md): a polled event enters the same pipeline as a webhook,
 * so the poller's dependencies are the ingress's (parties, secrets, queue, the dedup ledger,
 * metrics, logger, clock, fetch) plus where it keeps its checkpoints. A polled event and the same event
 * posted as a webhook are one event.
 */
export function createPollDeps(
  ingress: IngressDeps,
  checkpoints: CheckpointStore,
): PollRunDeps & { parties: RegisteredParty[] } {
  return {
    parties: ingress.parties.ids
      .map((id) => ingress.parties.get(id))
      .filter((party): party is RegisteredParty => party?.config.poll !== undefined),
    checkpoints,
    secrets: ingress.secrets,
    fetch: ingress.fetch ?? globalThis.fetch,
    clock: ingress.clock,
    logger: ingress.logger,
    metrics: ingress.metrics,
    pipeline: { queue: ingress.queue, ledger: ingress.ledger, metrics: ingress.metrics },
  };
}
