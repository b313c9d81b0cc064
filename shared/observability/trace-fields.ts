/**
 * The fields a webhook's trace is rebuilt from (docs/tracing.md). Ingress and the worker write them on the
 * log lines they already print; `relay trace` reads them back, from the local log file or from CloudWatch
 * Logs Insights. Names are short and stable: saved Logs Insights queries and the dashboard filter on them,
 * so rename nothing here without changing those too. Values are ids, counts, codes and statuses only —
 * never a secret, a signature or a payload body.
 */

/** What a log line records in a webhook's life. One per line; lines without `step` are not part of a trace. */
export const TRACE_STEPS = [
  /** Ingress: verified, mapped and queued (202 with `messageIds`). */
  'accepted',
  /** Ingress: the same event id again within the dedup window (202 duplicate). */
  'duplicate',
  /** Ingress: the party's mapping ignores this event type (202 ignored). */
  'ignored',
  /** Ingress: refused with a 4xx/5xx and a `code`. */
  'rejected',
  /** Worker: Workspace 365 created the activities (`activityIds`). */
  'delivered',
  /** Worker: an earlier receive had delivered it; nothing was posted. */
  'already_delivered',
  /** Worker: a second queued copy of an event another attempt owns (or one given up); nothing was posted. */
  'copy_dropped',
  /** Worker: not delivered this time; the message comes back after `retryInSeconds`. */
  'retry',
  /** Worker: moved to the dead-letter queue with a `reason`. */
  'dead_lettered',
] as const;
export type TraceStep = (typeof TRACE_STEPS)[number];

/** How the worker chose the wait before the next attempt. */
export type BackoffBasis =
  /** Full-jitter exponential backoff. */
  | 'jitter'
  /** The server's `Retry-After` was later than the jittered delay. */
  | 'retry_after'
  /** A fixed wait for this kind of problem (a refused key, a delivery in progress elsewhere). */
  | 'fixed';

/** The trace fields of one log line, as written and as read back. All optional: each step sets its own. */
export type TraceFields = {
  step?: TraceStep;
  partyId?: string;
  eventId?: string;
  /** Assigned by ingress (or taken from the sender's `X-Correlation-Id`); travels in the queue message. */
  correlationId?: string;
  /** Ingress, `accepted`: the delivery ids (queue message `id`) the event became. */
  messageIds?: string[];
  /** Worker: the delivery id (queue message `id`, also the `Idempotency-Key` towards Workspace 365). */
  messageId?: string;
  /** Worker: the SQS message id of this copy (a redriven message gets a new one); not on `delivered` lines. */
  sqsMessageId?: string;
  /** Worker: receives of the message, this one included. */
  receiveCount?: number;
  /** Ingress: the HTTP status answered to the sender. Worker: the Workspace 365 status, when there was one. */
  status?: number;
  /** Ingress, `rejected`: the error code (README, "Ingress: what a sender gets back"). */
  code?: string;
  /** Worker, `retry`: why (`http`, `timeout`, `network`, `unauthorized`, …). `dead_lettered`: the DLQ reason. */
  reason?: string;
  /** Worker: the connection error code when Workspace 365 could not be reached (e.g. `ECONNRESET`). */
  netError?: string;
  /** Worker: how long the request to Workspace 365 took. */
  latencyMs?: number;
  /** Worker, `retry`: the wait before the next attempt, and how it was chosen. */
  retryInSeconds?: number;
  backoff?: BackoffBasis;
  retryAfterSeconds?: number;
  /** Worker, `delivered`: the Workspace 365 activity ids (at most 50 per line), and how many when that is more. */
  activityIds?: number[];
  activityCount?: number;
  /** Worker, `dead_lettered`: the decoded Workspace 365 error (field names and messages, never values). */
  errorMessage?: string;
  /** Worker, `retry`: what went wrong, in words. */
  problem?: string;
};

/** A log line as read back: its trace fields plus the standard Powertools keys. */
export type TraceRecord = TraceFields & {
  /** ISO 8601: the line's own `timestamp` (local mode), else CloudWatch's `@timestamp` (Lambda lines print none). */
  timestamp: string;
  message?: string;
  level?: string;
  service?: string;
};

/**
 * Reads one JSON log line back; `undefined` for anything that is not a trace line. `fallbackTimestamp`
 * stands in when the line has no `timestamp` of its own (CloudWatch's `@timestamp`).
 */
export function parseTraceRecord(line: string, fallbackTimestamp?: string): TraceRecord | undefined {
  const start = line.indexOf('{');
  if (start < 0) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line.slice(start));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.step !== 'string' || !(TRACE_STEPS as readonly string[]).includes(record.step)) {
    return undefined;
  }
  const timestamp = typeof record.timestamp === 'string' ? record.timestamp : fallbackTimestamp;
  if (timestamp === undefined) return undefined;
  // Keep only the known fields with the expected types: the reader trusts what it gets back.
  const out: Record<string, unknown> = { step: record.step, timestamp };
  for (const name of STRING_FIELDS) if (typeof record[name] === 'string') out[name] = record[name];
  for (const name of NUMBER_FIELDS) if (typeof record[name] === 'number') out[name] = record[name];
  if (isArrayOf(record.messageIds, 'string')) out.messageIds = record.messageIds;
  if (isArrayOf(record.activityIds, 'number')) out.activityIds = record.activityIds;
  return out as TraceRecord;
}

const STRING_FIELDS = [
  'partyId',
  'eventId',
  'correlationId',
  'messageId',
  'sqsMessageId',
  'code',
  'reason',
  'netError',
  'backoff',
  'errorMessage',
  'problem',
  'message',
  'level',
  'service',
] as const;
const NUMBER_FIELDS = [
  'receiveCount',
  'status',
  'latencyMs',
  'retryInSeconds',
  'retryAfterSeconds',
  'activityCount',
] as const;

function isArrayOf(value: unknown, type: 'string' | 'number'): boolean {
  return Array.isArray(value) && value.every((item) => typeof item === type);
}
