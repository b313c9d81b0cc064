import type { EventRecord } from '../ports/dedup-ledger';

/**
 * How long after ingress received an event a copy with no owner on record waits for one. Ingress claims
 * right after queueing, within its 10 s timeout (the poller within its ledger call's retries, under a
 * minute); past this, no attempt that is still running can claim, so the copy claims the event itself.
 */
export const OWNER_GRACE_SECONDS = 120;

/** How long a copy that found no owner waits the first time: well over a claim's write time. */
export const EARLY_WAIT_SECONDS = 2;

/** What the worker does with one queued copy of an event (docs/cost.md, "One write per webhook"). */
export type CopyVerdict =
  /** This copy's attempt owns the event: deliver it. */
  | { type: 'deliver' }
  /** This message was posted already (its delete failed, so it came back): not posted again. */
  | { type: 'already_delivered' }
  /** Another attempt owns the event: its copies are delivered, this one is dropped unposted. */
  | { type: 'not_owner' }
  /** Its attempt told the sender nothing was accepted: dropped unposted. */
  | { type: 'abandoned' }
  /** No owner yet, and an attempt may still claim: look again after `seconds`. */
  | { type: 'wait'; seconds: number }
  /** No owner, and none can come any more (the attempt died after queueing): claim for this copy's attempt. */
  | { type: 'claim' };

/**
 * Judges a copy from the event's record. The first waits are short (the usual case: a copy that reached
 * the worker before its attempt's claim was written); a copy still without an owner after
 * `EARLY_WAIT_SECONDS` waits for the rest of the grace period, so an orphan is looked at three times.
 */
export function judgeCopy(
  record: EventRecord | undefined,
  copy: { attempt: string; messageId: string; ageSeconds: number },
  graceSeconds: number = OWNER_GRACE_SECONDS,
): CopyVerdict {
  const { attempt, ageSeconds } = copy;
  if (record?.delivered.includes(copy.messageId)) return { type: 'already_delivered' };
  if (record?.owner !== undefined)
    return record.owner === attempt ? { type: 'deliver' } : { type: 'not_owner' };
  if (record?.abandoned.includes(attempt)) return { type: 'abandoned' };
  const age = Math.max(0, ageSeconds);
  if (age >= graceSeconds) return { type: 'claim' };
  if (age < EARLY_WAIT_SECONDS) return { type: 'wait', seconds: EARLY_WAIT_SECONDS };
  return { type: 'wait', seconds: Math.max(1, Math.ceil(graceSeconds - age)) };
}
