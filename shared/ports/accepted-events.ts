/**
 * Which events ingress has accepted, for the dedup window (docs/cost.md): a read before queueing (a
 * repeat queues nothing), and one conditional write per accepted webhook after its messages are queued.
 */
export interface AcceptedEvents {
  /** Whether a live record of `key` exists (a strongly consistent read). */
  has(key: string): Promise<boolean>;
  /** Records `key` for `ttlSeconds` unless a live record of it exists; `true` when this call recorded it. */
  claim(key: string, ttlSeconds: number): Promise<boolean>;
}

/** The store could not answer; the caller cannot tell a first acceptance from a repeat. */
export class AcceptedEventsUnavailableError extends Error {
  override readonly name = 'AcceptedEventsUnavailableError';
}
