import type { TraceFields, TraceRecord } from '../../../shared/observability/trace-fields';

/** What the operator asks about: an event of a party, a correlation id, or a queue message id. */
export type TraceQuery =
  | { by: 'event'; partyId: string; eventId: string }
  | { by: 'correlation'; correlationId: string }
  /** A delivery id (queue message `id`) or an SQS message id. */
  | { by: 'message'; messageId: string };

/** Whether a log line belongs to what was asked. The readers filter with this (or its Logs Insights twin). */
export function matchesQuery(record: TraceRecord, query: TraceQuery): boolean {
  switch (query.by) {
    case 'event':
      return record.partyId === query.partyId && record.eventId === query.eventId;
    case 'correlation':
      return record.correlationId === query.correlationId;
    case 'message':
      return (
        record.messageId === query.messageId ||
        record.sqsMessageId === query.messageId ||
        (record.messageIds ?? []).includes(query.messageId)
      );
  }
}

/** One answer of ingress to the sender (a sender retry makes several). */
export type Reception = {
  at: string;
  step: 'accepted' | 'duplicate' | 'ignored' | 'rejected';
  status?: number;
  code?: string;
  correlationId?: string;
  messageIds?: string[];
};

/** One worker receive of a delivery: the trace fields its log line carried (docs/tracing.md §1). */
export type Attempt = Pick<
  TraceFields,
  | 'receiveCount'
  | 'sqsMessageId'
  | 'status'
  | 'reason'
  | 'netError'
  | 'latencyMs'
  | 'retryInSeconds'
  | 'backoff'
  | 'retryAfterSeconds'
  | 'activityIds'
  | 'activityCount'
  | 'errorMessage'
  | 'problem'
> & {
  at: string;
  step: 'delivered' | 'already_delivered' | 'copy_dropped' | 'retry' | 'dead_lettered';
};

export type DeliveryEnd =
  | { state: 'delivered'; at: string; activityIds: number[]; activityCount: number }
  | { state: 'dead_lettered'; at: string; reason: string; status?: number; errorMessage?: string }
  /** Not settled yet: no attempt so far, or the last one asked to retry. */
  | { state: 'in_flight'; nextAttemptNotBefore?: string };

export type DeliveryTimeline = {
  /** The delivery id (queue message `id`); the SQS message id for an unreadable (poison) message. */
  messageId: string;
  attempts: Attempt[];
  end: DeliveryEnd;
};

export type TraceOutcome =
  | 'delivered'
  | 'dead_lettered'
  | 'in_flight'
  | 'rejected'
  | 'ignored'
  | 'duplicate'
  | 'not_found';

export type Timeline = {
  query: TraceQuery;
  partyId?: string;
  eventId?: string;
  correlationIds: string[];
  received: Reception[];
  deliveries: DeliveryTimeline[];
  /**
   * delivered: every delivery the event became reached Workspace 365; dead_lettered: none is still in
   * flight and at least one is in the DLQ; in_flight: some are still being retried.
   */
  outcome: TraceOutcome;
};

/**
 * The webhook's history, from its parsed log lines in any order: pure, so both readers (the local log
 * file and CloudWatch Logs Insights) share it and it is tested without either.
 */
export function buildTimeline(records: readonly TraceRecord[], query: TraceQuery): Timeline {
  const sorted = records
    .map((record, index) => ({ record, index, time: Date.parse(record.timestamp) }))
    .sort((a, b) =>
      a.time === b.time || Number.isNaN(a.time - b.time) ? a.index - b.index : a.time - b.time,
    )
    .map(({ record }) => record);

  const received: Reception[] = [];
  const byMessage = new Map<string, Attempt[]>();
  const expected: string[] = [];
  let partyId: string | undefined;
  let eventId: string | undefined;
  const correlationIds = new Set<string>();

  for (const record of sorted) {
    partyId ??= record.partyId;
    eventId ??= record.eventId;
    if (record.correlationId) correlationIds.add(record.correlationId);
    const step = record.step;
    if (step === 'accepted' || step === 'duplicate' || step === 'ignored' || step === 'rejected') {
      received.push(
        defined({
          at: record.timestamp,
          step,
          status: record.status,
          code: record.code,
          correlationId: record.correlationId,
          messageIds: record.messageIds,
        }),
      );
      for (const id of record.messageIds ?? []) if (!expected.includes(id)) expected.push(id);
      continue;
    }
    if (step === undefined) continue;
    const key = record.messageId ?? record.sqsMessageId;
    if (!key) continue;
    const attempts = byMessage.get(key) ?? [];
    attempts.push(
      defined({
        at: record.timestamp,
        step,
        receiveCount: record.receiveCount,
        sqsMessageId: record.sqsMessageId,
        status: record.status,
        reason: record.reason,
        netError: record.netError,
        latencyMs: record.latencyMs,
        retryInSeconds: record.retryInSeconds,
        backoff: record.backoff,
        retryAfterSeconds: record.retryAfterSeconds,
        activityIds: record.activityIds,
        activityCount: record.activityCount,
        errorMessage: record.errorMessage,
        problem: record.problem,
      }),
    );
    byMessage.set(key, attempts);
  }

  const ids = [...expected, ...[...byMessage.keys()].filter((id) => !expected.includes(id))];
  const deliveries = ids.map((messageId) => {
    const attempts = byMessage.get(messageId) ?? [];
    return { messageId, attempts, end: endOf(attempts) };
  });
  return {
    query,
    ...defined({ partyId, eventId }),
    correlationIds: [...correlationIds],
    received,
    deliveries,
    outcome: outcomeOf(received, deliveries),
  };
}

/**
 * The last attempt decides: a redriven delivery that then succeeded is delivered. A dropped second copy
 * (another attempt's, docs/cost.md) decides nothing: the owner's copy does.
 */
function endOf(attempts: readonly Attempt[]): DeliveryEnd {
  const last = attempts.filter((attempt) => attempt.step !== 'copy_dropped').at(-1);
  if (!last) return { state: 'in_flight' };
  if (last.step === 'delivered' || last.step === 'already_delivered') {
    const delivered = [...attempts].reverse().find((attempt) => attempt.step === 'delivered') ?? last;
    const activityIds = delivered.activityIds ?? [];
    return {
      state: 'delivered',
      at: delivered.at,
      activityIds,
      activityCount: delivered.activityCount ?? activityIds.length,
    };
  }
  if (last.step === 'dead_lettered') {
    return {
      state: 'dead_lettered',
      at: last.at,
      reason: last.reason ?? 'unknown',
      ...defined({ status: last.status, errorMessage: last.errorMessage }),
    };
  }
  const next = Date.parse(last.at) + (last.retryInSeconds ?? 0) * 1000;
  return Number.isNaN(next)
    ? { state: 'in_flight' }
    : { state: 'in_flight', nextAttemptNotBefore: new Date(next).toISOString() };
}

function outcomeOf(received: readonly Reception[], deliveries: readonly DeliveryTimeline[]): TraceOutcome {
  if (deliveries.length > 0) {
    const states = deliveries.map((delivery) => delivery.end.state);
    if (states.every((state) => state === 'delivered')) return 'delivered';
    if (states.includes('in_flight')) return 'in_flight';
    return 'dead_lettered';
  }
  const last = received.at(-1);
  if (!last) return 'not_found';
  if (received.some((reception) => reception.step === 'accepted')) return 'in_flight';
  return last.step === 'accepted' ? 'in_flight' : last.step;
}

/** Drops undefined fields, so the JSON output carries only what is known. */
function defined<T extends Record<string, unknown>>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as T;
}
