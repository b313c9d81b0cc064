import { createHash } from 'node:crypto';

const MAX_EVENT_ID_LENGTH = 256;

/**
 * The dedup key for a webhook (docs/architecture.md §4): `webhook-id` (standard-webhooks), else the envelope's id,
 * else an `Idempotency-Key` header, else the SHA-256 of the raw body.
 */
export function deriveEventId(candidates: {
  webhookId?: string | undefined;
  sourceEventId?: string | undefined;
  idempotencyKey?: string | undefined;
  rawBody: Uint8Array;
}): string {
  for (const candidate of [candidates.webhookId, candidates.sourceEventId, candidates.idempotencyKey]) {
    const trimmed = candidate?.trim();
    if (trimmed) return trimmed.slice(0, MAX_EVENT_ID_LENGTH);
  }
  return `sha256:${createHash('sha256').update(candidates.rawBody).digest('hex')}`;
}

/**
 * Message ids derived from (party, event, index): if a queue failure makes the sender retry, messages
 * that did reach the queue the first time carry the same ids, and the worker's delivery idempotency
 * (keyed by message id) posts them once.
 */
export function deriveMessageId(partyId: string, eventId: string, index: number): string {
  const hex = createHash('sha256').update(`${partyId}\n${eventId}\n${index}`).digest('hex');
  // Formatted as an RFC 4122 v8 (custom) UUID, so every id in the system has one shape.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
