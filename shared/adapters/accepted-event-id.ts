import { createHash } from 'node:crypto';

/**
 * The record id of an accepted event: a fixed-size hash of `<party>:<event id>` (senders choose event
 * ids, some long), prefixed so it never meets the worker's delivery records in the same table.
 */
export function acceptedEventRecordId(key: string): string {
  return `accepted#${createHash('sha256').update(key).digest('base64url')}`;
}
