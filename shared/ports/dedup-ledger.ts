/**
 * The one record per accepted event that makes the relay deliver it once (docs/cost.md, "One write per
 * webhook"). Ingress queues an event's messages first, then claims the event for its attempt; every
 * queued copy carries its attempt id, and the worker delivers only the owner's copies.
 */
export type EventRecord = {
  /** The attempt whose queued messages are delivered; absent until one claimed the event. */
  owner?: string;
  /** Attempts whose sender was told nothing was accepted (the queue refused part of their messages). */
  abandoned: readonly string[];
  /**
   * Message ids posted whose queue message could not be deleted right after (failure path only): a
   * redelivery of one of them is not posted again.
   */
  delivered: readonly string[];
};

/**
 * How long an event's record is kept after its last write: 14 days, SQS's longest retention. It must
 * outlive every queued copy of the event (a copy re-sent behind an open breaker plus the queue's
 * retention, docs/outage.md), or a late second copy would find no owner and be delivered too.
 */
export const DEFAULT_LEDGER_EXPIRY_SECONDS = 14 * 24 * 60 * 60;

export interface DedupLedger {
  /**
   * Makes `attempt` the owner of the event `key` unless another attempt is: `true` when `attempt` owns it
   * after the call (also when it already did). Of two concurrent claims exactly one wins.
   */
  claim(key: string, attempt: string): Promise<boolean>;
  /** Records that `attempt` was given up: none of its queued copies is ever delivered. */
  abandon(key: string, attempt: string): Promise<void>;
  /** Records that message `messageId` of the event was posted (its prompt delete failed). */
  markDelivered(key: string, messageId: string): Promise<void>;
  /** The event's record as last written (a strongly consistent read), or `undefined` if there is none. */
  read(key: string): Promise<EventRecord | undefined>;
}

/** The ledger could not be asked (its store is down, slow or refuses the caller). */
export class DedupLedgerUnavailableError extends Error {
  override readonly name = 'DedupLedgerUnavailableError';
}
