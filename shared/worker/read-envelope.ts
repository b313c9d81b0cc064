import { QUEUE_MESSAGE_VERSION, QueueMessage } from '../envelope/queue-message';
import { toFieldErrors } from '../zod-errors';
import type { DeadLetterReason } from './dead-letter';
import { summariseFieldErrors } from './error-summary';

export type EnvelopeReading =
  | { ok: true; message: QueueMessage }
  | {
      ok: false;
      reason: Extract<DeadLetterReason, 'not_json' | 'invalid_envelope' | 'unsupported_version'>;
      /** What is wrong, by field; never a value from the body. */
      problem: string;
      /** Whatever could be read, so the DLQ entry still names its party. */
      partyId?: string;
      kind?: string;
    };

/**
 * Parses and validates a queue message body (docs/architecture.md §6). A body that fails here can never be delivered,
 * however often it is retried: it is poison, and goes to the DLQ at once.
 */
export function readEnvelope(body: string): EnvelopeReading {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    // JSON.parse's message quotes the text, which may hold payload data.
    return { ok: false, reason: 'not_json', problem: 'the message body is not JSON' };
  }
  const known = readableFields(raw);
  if (known.v !== undefined && known.v !== QUEUE_MESSAGE_VERSION) {
    return {
      ok: false,
      reason: 'unsupported_version',
      problem: `queue message version ${describeVersion(known.v)} is not one this worker reads (v${QUEUE_MESSAGE_VERSION})`,
      ...known.labels,
    };
  }
  const parsed = QueueMessage.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      reason: 'invalid_envelope',
      problem: `not a queue message: ${summariseFieldErrors(toFieldErrors(parsed.error.issues))}`,
      ...known.labels,
    };
  }
  return { ok: true, message: parsed.data };
}

function readableFields(raw: unknown): { v?: unknown; labels: { partyId?: string; kind?: string } } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { labels: {} };
  const record = raw as Record<string, unknown>;
  const labels: { partyId?: string; kind?: string } = {};
  if (typeof record.partyId === 'string' && record.partyId !== '')
    labels.partyId = record.partyId.slice(0, 64);
  if (typeof record.kind === 'string' && record.kind !== '') labels.kind = record.kind.slice(0, 32);
  return Object.hasOwn(record, 'v') ? { v: record.v, labels } : { labels };
}

function describeVersion(v: unknown): string {
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : `of type ${typeof v}`;
}
