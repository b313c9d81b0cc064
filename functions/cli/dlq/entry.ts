import type { Message } from '@aws-sdk/client-sqs';
import { type DeadLetterAttributes, fromMessageAttributes } from '../../../shared/worker/dead-letter';

/** A dead-lettered message as the operator sees it: the worker's reason plus the envelope's metadata. */
export type DeadLetterEntry = Partial<DeadLetterAttributes> & {
  /** The SQS message id in the DLQ. */
  sqsMessageId: string;
  /** The delivery id (`id` of the queue message), when the body is a readable envelope. */
  deliveryId?: string;
  event?: string;
  eventId?: string;
  correlationId?: string;
  receivedAt?: string;
  /** Receives of this copy (the DLQ's count; listing receives it too). */
  receiveCount?: number;
  /** The body exactly as queued; shown only on request (it holds the Workspace 365 payload). */
  body: string;
  /** The W365 payload, when the body is a readable envelope. */
  payload?: unknown;
};

export function toDeadLetterEntry(message: Message): DeadLetterEntry {
  const entry: DeadLetterEntry = {
    sqsMessageId: message.MessageId ?? '',
    body: message.Body ?? '',
    ...fromMessageAttributes(message.MessageAttributes),
  };
  const count = Number(message.Attributes?.ApproximateReceiveCount);
  if (Number.isFinite(count)) entry.receiveCount = count;
  const envelope = parseObject(entry.body);
  if (!envelope) return entry;
  const text = (key: string) => (typeof envelope[key] === 'string' ? (envelope[key] as string) : undefined);
  const fields = {
    deliveryId: text('id'),
    partyId: entry.partyId ?? text('partyId'),
    kind: entry.kind ?? text('kind'),
    event: text('event'),
    eventId: text('eventId'),
    correlationId: text('correlationId'),
    receivedAt: text('receivedAt'),
  };
  for (const [key, value] of Object.entries(fields))
    if (value !== undefined) Object.assign(entry, { [key]: value });
  if (Object.hasOwn(envelope, 'payload')) entry.payload = envelope.payload;
  return entry;
}

function parseObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
