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
  /**
   * The ingress attempt that queued this copy (docs/cost.md, "One write per webhook"): the worker
   * delivers only the copies of the attempt the dedup ledger names as the event's owner. Absent in
   * messages queued before the ledger existed; those are delivered unchecked.
   */
  attempt: z.optional(z.string().check(z.minLength(1))),
});
export type QueueMessage = z.output<typeof QueueMessage>;

/** SQS message attributes that travel with every message (fixed). */
export type QueueMessageAttributes = { partyId: string; kind: QueueMessage['kind'] };

/** Their names, in the order they are sent. */
export const QUEUE_MESSAGE_ATTRIBUTE_NAMES = [
  'partyId',
  'kind',
] as const satisfies readonly (keyof QueueMessageAttributes)[];

/** A string message attribute as SQS's SendMessage API takes it. */
export type StringMessageAttribute = { DataType: 'String'; StringValue: string };

/** The attributes of a message, ready for SendMessage. */
export function encodeQueueMessageAttributes(
  message: QueueMessageAttributes,
): Record<keyof QueueMessageAttributes, StringMessageAttribute> {
  return {
    partyId: { DataType: 'String', StringValue: message.partyId },
    kind: { DataType: 'String', StringValue: message.kind },
  };
}

/**
 * The attributes read back, from an SDK message (`StringValue`) or a Lambda SQS record (`stringValue`).
 * Only labels for logs and routing: a missing or empty one is left out, and the body stays the truth.
 */
export function decodeQueueMessageAttributes(
  attributes:
    | Readonly<
        Record<string, { StringValue?: string | undefined; stringValue?: string | undefined } | undefined>
      >
    | undefined,
): { partyId?: string; kind?: string } {
  const out: { partyId?: string; kind?: string } = {};
  for (const name of QUEUE_MESSAGE_ATTRIBUTE_NAMES) {
    const attribute = attributes?.[name];
    const value = attribute?.StringValue ?? attribute?.stringValue;
    if (value) out[name] = value;
  }
  return out;
}

/**
 * Room left under MAX_QUEUE_MESSAGE_BYTES for attributes a host adds when it re-sends the same message
 * to the same queue (local mode's `priorReceiveCount` when it re-queues saved messages: ~30 bytes).
 */
export const RESEND_ATTRIBUTE_ROOM_BYTES = 64;

/** A message serialised once: the body and attributes that are sent, and the size SQS counts for them. */
export type EncodedQueueMessage = {
  message: QueueMessage;
  body: string;
  attributes: Record<keyof QueueMessageAttributes, StringMessageAttribute>;
  /** Body plus every attribute's name, data type and value, in UTF-8 bytes: what SQS holds to its limit. */
  bytes: number;
};

export function encodeQueueMessage(message: QueueMessage): EncodedQueueMessage {
  const body = JSON.stringify(message);
  const attributes = encodeQueueMessageAttributes(message);
  let bytes = Buffer.byteLength(body, 'utf8');
  for (const [name, attribute] of Object.entries(attributes)) {
    bytes += Buffer.byteLength(name, 'utf8');
    bytes += Buffer.byteLength(attribute.DataType, 'utf8');
    bytes += Buffer.byteLength(attribute.StringValue, 'utf8');
  }
  return { message, body, attributes, bytes };
}

/** Whether a message fits the queue, with room for attributes a re-send adds. */
export function fitsQueue(encoded: EncodedQueueMessage): boolean {
  return encoded.bytes <= MAX_QUEUE_MESSAGE_BYTES - RESEND_ATTRIBUTE_ROOM_BYTES;
}
