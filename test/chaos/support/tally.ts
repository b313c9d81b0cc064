import type { RecordedRequest } from '../../../devkit/workspace365-sandbox';
import type { SavedMessage } from '../../../functions/local/queue-state';
import type { SendResult } from './sender';
import type { PlannedWebhook } from './webhook-plan';

export type WebhookOutcome = { webhook: PlannedWebhook; first: SendResult; resent?: SendResult };

/** The counts the suite prints and asserts on. */
export type ChaosTally = {
  /** Distinct webhooks sent. */
  sent: number;
  /** Of those, answered 202 with messages queued. */
  accepted: number;
  /** Queue messages those 202s named (a WorkDrive news item to groups and users makes two). */
  acceptedMessages: number;
  /** Sender retries of an accepted event id. */
  senderRetries: number;
  /** Sender retries answered 202 `duplicate: true`. */
  duplicates: number;
  /** Sender POSTs that had to be repeated because the relay answered 409/503 or the connection failed. */
  transientRefusals: number;
  /** Accepted messages meant to arrive that arrived (a 200 at the sandbox for their Idempotency-Key). */
  delivered: number;
  /** Message ids answered 200 more than once: the same activity created twice. */
  duplicatedDeliveries: number;
  /** 200s for ids no 202 ever named. */
  unexpectedDeliveries: number;
  /** Messages in the DLQ. */
  deadLettered: number;
  /** DLQ messages that were meant to fail, with reason `rejected` and status 400. */
  deadLetteredAsPlanned: number;
  /** Messages meant to fail that are not in the DLQ as planned (delivered, missing, or another reason). */
  missingFromDeadLetters: number;
  /** DLQ messages that should have been delivered. */
  wronglyDeadLettered: number;
  /** Accepted messages neither delivered nor in the DLQ. */
  lost: number;
  /** Messages still on the main queue after the drain. */
  leftOnQueue: number;
  sandbox: {
    requests: number;
    ok: number;
    error500: number;
    throttled429: number;
    rejected400: number;
    timeouts: number;
    resets: number;
  };
};

export function tally(input: {
  outcomes: readonly WebhookOutcome[];
  sandboxRequests: readonly RecordedRequest[];
  deadLetters: readonly SavedMessage[];
  leftOnQueue: readonly SavedMessage[];
}): ChaosTally {
  const fateOf = new Map<string, PlannedWebhook['fate']>();
  let accepted = 0;
  let senderRetries = 0;
  let duplicates = 0;
  let transientRefusals = 0;
  for (const { webhook, first, resent } of input.outcomes) {
    transientRefusals += first.attempts - 1 + (resent ? resent.attempts - 1 : 0);
    const ids = first.status === 202 && Array.isArray(first.body.ids) ? (first.body.ids as string[]) : [];
    if (ids.length > 0) accepted += 1;
    for (const id of ids) fateOf.set(id, webhook.fate);
    if (resent) {
      senderRetries += 1;
      if (resent.status === 202 && resent.body.duplicate === true) duplicates += 1;
    }
  }

  const okCount = new Map<string, number>();
  for (const request of input.sandboxRequests) {
    if (request.status !== 200) continue;
    const key = request.idempotencyKey ?? '(none)';
    okCount.set(key, (okCount.get(key) ?? 0) + 1);
  }

  const deadLetterIds = new Map<string, { reason?: string; status?: string }>();
  for (const message of input.deadLetters) {
    deadLetterIds.set(messageIdOf(message), {
      reason: message.attributes.reason?.StringValue,
      status: message.attributes.status?.StringValue,
    });
  }

  let delivered = 0;
  let lost = 0;
  let deadLetteredAsPlanned = 0;
  let missingFromDeadLetters = 0;
  let wronglyDeadLettered = 0;
  for (const [id, fate] of fateOf) {
    const deliveries = okCount.get(id) ?? 0;
    const deadLetter = deadLetterIds.get(id);
    if (fate === 'deliver') {
      if (deliveries > 0) delivered += 1;
      if (deadLetter) wronglyDeadLettered += 1;
      if (deliveries === 0 && !deadLetter) lost += 1;
      continue;
    }
    const asPlanned = deliveries === 0 && deadLetter?.reason === 'rejected' && deadLetter.status === '400';
    if (asPlanned) deadLetteredAsPlanned += 1;
    else missingFromDeadLetters += 1;
    if (deliveries === 0 && !deadLetter) lost += 1;
  }

  const requests = input.sandboxRequests;
  const count = (match: (request: RecordedRequest) => boolean) => requests.filter(match).length;
  return {
    sent: input.outcomes.length,
    accepted,
    acceptedMessages: fateOf.size,
    senderRetries,
    duplicates,
    transientRefusals,
    delivered,
    duplicatedDeliveries: [...okCount.values()].filter((times) => times > 1).length,
    unexpectedDeliveries: [...okCount.keys()].filter((id) => !fateOf.has(id)).length,
    deadLettered: input.deadLetters.length,
    deadLetteredAsPlanned,
    missingFromDeadLetters,
    wronglyDeadLettered,
    lost,
    leftOnQueue: input.leftOnQueue.length,
    sandbox: {
      requests: requests.length,
      ok: count((request) => request.status === 200),
      error500: count((request) => request.status === 500),
      throttled429: count((request) => request.status === 429),
      rejected400: count((request) => request.status === 400),
      timeouts: count((request) => request.fault === 'timeout'),
      resets: count((request) => request.fault === 'reset'),
    },
  };
}

function messageIdOf(message: SavedMessage): string {
  try {
    const id = (JSON.parse(message.body) as { id?: unknown }).id;
    return typeof id === 'string' ? id : '(no id)';
  } catch {
    return '(not JSON)';
  }
}

/** The printed report: one line per count, then one JSON line for scripts (`CHAOS_JSON {...}`). */
export function formatTally(result: ChaosTally, extra: Record<string, number | string>): string {
  const rows: [string, number | string][] = [
    ['webhooks sent', result.sent],
    ['accepted (202)', result.accepted],
    ['  queue messages', result.acceptedMessages],
    ['sender retries of an accepted event id', result.senderRetries],
    ['  answered 202 duplicate', result.duplicates],
    ['POSTs repeated after 409/503/connection error', result.transientRefusals],
    ['delivered (200 at the sandbox)', result.delivered],
    ['duplicated deliveries', result.duplicatedDeliveries],
    ['unexpected deliveries', result.unexpectedDeliveries],
    ['DLQ', result.deadLettered],
    ['  meant to fail, dead-lettered as rejected/400', result.deadLetteredAsPlanned],
    ['  meant to fail, not dead-lettered as planned', result.missingFromDeadLetters],
    ['  meant to arrive, dead-lettered', result.wronglyDeadLettered],
    ['lost', result.lost],
    ['left on the main queue', result.leftOnQueue],
    ['sandbox requests', result.sandbox.requests],
    ['  200', result.sandbox.ok],
    ['  500 (chaos)', result.sandbox.error500],
    ['  429 + Retry-After (chaos)', result.sandbox.throttled429],
    ['  timeouts (chaos)', result.sandbox.timeouts],
    ['  connection resets (chaos)', result.sandbox.resets],
    ['  400 (meant to fail)', result.sandbox.rejected400],
    ...Object.entries(extra),
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`);
  return ['reliability suite', ...lines, `CHAOS_JSON ${JSON.stringify({ ...result, ...extra })}`].join('\n');
}
