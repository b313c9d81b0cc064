import * as z from '../zod';

/**
 * The queue message (docs/architecture.md §6, fixed, versioned). Ingress writes it; the worker reads it. A new
 * version gets a new `v` and the worker keeps reading the old one until the queue has drained.
 */
export const QUEUE_MESSAGE_VERSION = 1;

/** SQS body limit we hold ourselves to (the local emulator's; real SQS takes 1 MiB). */
export const MAX_QUEUE_MESSAGE_BYTES = 256 * 1024;

export const QueueMessage = z.strictObject({
  v: z.literal(QUEUE_MESSAGE_VERSION),
  /** Unique id of this delivery; the worker's idempotency key. */
  id: z.string().check(z.minLength(1)),
  partyId: z.string().check(z.minLength(1)),
  kind: z.enum(['activity', 'batch']),
  /** The canonical Workspace 365 request body (Activity or Batch Activity). */
  payload: z.record(z.string(), z.unknown()),
  /** The sender's event id (dedup key at ingress). */
  eventId: z.string().check(z.minLength(1)),
  /** The sender's event type, e.g. `news.published`. */
  event: z.string(),
  /** ISO 8601 time ingress received the webhook. */
  receivedAt: z.iso.datetime(),
  correlationId: z.string().check(z.minLength(1)),
});
export type QueueMessage = z.output<typeof QueueMessage>;

/** SQS message attributes that travel with every message (fixed). */
export type QueueMessageAttributes = { partyId: string; kind: QueueMessage['kind'] };
