import type { Attempt, DeliveryTimeline, Reception, Timeline } from './timeline';

/** The timeline as the operator reads it: one line per step, times in UTC. */
export function formatTimeline(timeline: Timeline): string[] {
  const lines: string[] = [];
  const who =
    timeline.partyId && timeline.eventId ? `${timeline.partyId} / ${timeline.eventId}` : describe(timeline);
  lines.push(
    `webhook ${who}${timeline.correlationIds.length ? `  (correlation id ${timeline.correlationIds.join(', ')})` : ''}`,
  );
  if (timeline.outcome === 'not_found') {
    lines.push('  no log lines found for it (check the id, the time window and the stage)');
    return lines;
  }
  for (const reception of timeline.received) lines.push(`  ${reception.at}  ${formatReception(reception)}`);
  if (timeline.received.length === 0) lines.push('  (no ingress line found: outside the time window?)');
  for (const delivery of timeline.deliveries) lines.push(...formatDelivery(delivery));
  lines.push(`result: ${formatOutcome(timeline)}`);
  return lines;
}

function describe(timeline: Timeline): string {
  const query = timeline.query;
  if (query.by === 'event') return `${query.partyId} / ${query.eventId}`;
  return query.by === 'correlation'
    ? `with correlation id ${query.correlationId}`
    : `with message id ${query.messageId}`;
}

function formatReception(reception: Reception): string {
  const status = reception.status ?? '';
  switch (reception.step) {
    case 'accepted':
      return `received  ${status} accepted → ${reception.messageIds?.length ?? 0} delivery(ies): ${(reception.messageIds ?? []).join(', ')}`;
    case 'duplicate':
      return `received  ${status} duplicate (sent again within 24 h; nothing queued)`;
    case 'ignored':
      return `received  ${status} ignored by the party's mapping`;
    case 'rejected':
      return `received  ${status} rejected: ${reception.code ?? 'unknown code'}`;
  }
}

function formatDelivery(delivery: DeliveryTimeline): string[] {
  const lines = [`delivery ${delivery.messageId}`];
  if (delivery.attempts.length === 0) lines.push('  (no attempt yet)');
  for (const attempt of delivery.attempts) lines.push(`  ${attempt.at}  ${formatAttempt(attempt)}`);
  return lines;
}

function formatAttempt(attempt: Attempt): string {
  const count = attempt.receiveCount === undefined ? 'attempt' : `attempt ${attempt.receiveCount}`;
  const answer =
    attempt.status !== undefined
      ? `Workspace 365 ${attempt.status}`
      : attempt.netError
        ? `network error ${attempt.netError}`
        : attempt.reason === 'timeout'
          ? 'timed out'
          : attempt.step === 'copy_dropped' || attempt.step === 'already_delivered'
            ? 'not posted'
            : (attempt.reason ?? '');
  const latency = attempt.latencyMs === undefined ? '' : ` in ${attempt.latencyMs} ms`;
  switch (attempt.step) {
    case 'delivered':
      return `${count}  ${answer}${latency} → delivered, activity id(s) ${(attempt.activityIds ?? []).join(', ')}${more(attempt)}`;
    case 'already_delivered':
      return `${count}  already delivered by an earlier receive; not posted again`;
    case 'copy_dropped':
      return `${count}  a second copy of the event (${attempt.reason === 'abandoned' ? 'its attempt was given up' : 'another attempt owns it'}); not posted`;
    case 'retry':
      return `${count}  ${answer}${latency} → retry (${attempt.reason ?? 'unknown'}) in ${attempt.retryInSeconds ?? '?'} s, ${backoff(attempt)}`;
    case 'dead_lettered':
      return `${count}  ${answer}${latency} → dead-lettered: ${attempt.reason ?? 'unknown'}${attempt.errorMessage ? ` — ${attempt.errorMessage}` : ''}`;
  }
}

function more(attempt: Attempt): string {
  const shown = attempt.activityIds?.length ?? 0;
  return attempt.activityCount !== undefined && attempt.activityCount > shown
    ? ` (+${attempt.activityCount - shown} more)`
    : '';
}

function backoff(attempt: Attempt): string {
  if (attempt.backoff === 'retry_after')
    return `Workspace 365's Retry-After (${attempt.retryAfterSeconds ?? '?'} s)`;
  if (attempt.backoff === 'fixed') return 'fixed wait';
  return 'jittered backoff';
}

function formatOutcome(timeline: Timeline): string {
  switch (timeline.outcome) {
    case 'delivered':
      return 'delivered';
    case 'dead_lettered': {
      const reasons = timeline.deliveries.flatMap((delivery) =>
        delivery.end.state === 'dead_lettered' ? [delivery.end.reason] : [],
      );
      return `dead-lettered (${[...new Set(reasons)].join(', ')}); see relay dlq list`;
    }
    case 'in_flight': {
      const next = timeline.deliveries
        .flatMap((delivery) =>
          delivery.end.state === 'in_flight' && delivery.end.nextAttemptNotBefore
            ? [delivery.end.nextAttemptNotBefore]
            : [],
        )
        .sort()
        .at(0);
      return next ? `still in flight, next attempt not before ${next}` : 'still in flight';
    }
    case 'rejected':
      return 'rejected at ingress; nothing was queued';
    case 'ignored':
      return "ignored by the party's mapping; nothing was queued";
    case 'duplicate':
      return 'only duplicates found: the first delivery is outside the time window';
    case 'not_found':
      return 'not found';
  }
}
