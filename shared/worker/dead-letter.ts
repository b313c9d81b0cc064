/**
 * What a dead-lettered message carries besides its untouched body: SQS message attributes that tell the
 * operator why (read back by `relay dlq list`). SQS allows 10 attributes per message; these are 8.
 */

/** Why a message is in the DLQ. Small and fixed: it is the `Reason` dimension of `DeliveryDeadLettered`. */
export const DEAD_LETTER_REASONS = [
  /** The body is not JSON. */
  'not_json',
  /** JSON, but not the queue message schema (docs/architecture.md §6). */
  'invalid_envelope',
  /** A queue message version (`v`) this worker does not read. */
  'unsupported_version',
  /** No party with that id in the config. */
  'unknown_party',
  /** Workspace 365 refused the request for good (400, 404, another 4xx). */
  'rejected',
  /** Every receive failed for a reason worth retrying (5xx, 429, timeout, 401 after a key refresh …). */
  'retries_exhausted',
] as const;
export type DeadLetterReason = (typeof DEAD_LETTER_REASONS)[number];

export type DeadLetterAttributes = {
  reason: DeadLetterReason;
  /** Human-readable: decoded Workspace 365 errors (field names and messages, never the payload). */
  errorMessage: string;
  /** Receives of the message by the worker, this one included. */
  attempts: number;
  /** ISO 8601 time the worker gave up. */
  failedAt: string;
  /** The last HTTP status from Workspace 365, when there was one. */
  status?: number | undefined;
  partyId?: string | undefined;
  kind?: string | undefined;
  /** The SQS message id on the main queue, to find the worker's log lines. */
  sourceMessageId?: string | undefined;
};

/** Names of the attributes above; anything else on a DLQ message came from ingress (partyId, kind). */
export const DEAD_LETTER_ATTRIBUTE_NAMES = [
  'reason',
  'errorMessage',
  'attempts',
  'failedAt',
  'status',
  'partyId',
  'kind',
  'sourceMessageId',
] as const;

/** SQS counts attribute bytes against the message size; keep the summary short. */
export const MAX_ERROR_MESSAGE_LENGTH = 1024;

export function truncate(text: string, max = MAX_ERROR_MESSAGE_LENGTH): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export type SqsStringAttribute = { DataType: 'String' | 'Number'; StringValue: string };

/** The attributes in the SDK's `MessageAttributes` shape; empty values are left out (SQS refuses them). */
export function toMessageAttributes(attributes: DeadLetterAttributes): Record<string, SqsStringAttribute> {
  const out: Record<string, SqsStringAttribute> = {};
  for (const name of DEAD_LETTER_ATTRIBUTE_NAMES) {
    const value = attributes[name];
    if (value === undefined || value === '') continue;
    out[name] =
      typeof value === 'number'
        ? { DataType: 'Number', StringValue: String(value) }
        : { DataType: 'String', StringValue: name === 'errorMessage' ? truncate(value) : value };
  }
  return out;
}

/**
 * Reads the reason back from a received DLQ message's attributes. Messages SQS moved itself (the redrive
 * policy, after a crash) have none: every field is then optional.
 */
export function fromMessageAttributes(
  attributes: Record<string, { StringValue?: string | undefined } | undefined> | undefined,
): Partial<DeadLetterAttributes> {
  const out: Record<string, string | number> = {};
  for (const name of DEAD_LETTER_ATTRIBUTE_NAMES) {
    const value = attributes?.[name]?.StringValue;
    if (value === undefined || value === '') continue;
    if (name === 'attempts' || name === 'status') {
      if (Number.isFinite(Number(value))) out[name] = Number(value);
    } else if (name !== 'reason' || (DEAD_LETTER_REASONS as readonly string[]).includes(value)) {
      out[name] = value;
    }
  }
  return out as Partial<DeadLetterAttributes>;
}
