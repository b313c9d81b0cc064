import type { PartyConfig, RetryConfig } from '../config/relay-config';
import type { QueueMessage } from '../envelope/queue-message';
import { type Once, WorkInProgressError } from '../idempotency/once';
import type { RelayLogger } from '../observability/logger';
import { MetricName } from '../observability/metric-names';
import type { RelayMetrics } from '../observability/metrics';
import type { Clock } from '../ports/clock';
import { type SecretStore, SecretUnavailableError } from '../ports/secret-store';
import { clampVisibilityTimeout, retryDelaySeconds } from '../retry/backoff';
import { InvalidApiKeyError, type Workspace365Client } from '../workspace365/client';
import type { DeliveryOutcome } from '../workspace365/delivery-outcome';
import type { DeadLetterAttributes, DeadLetterReason } from './dead-letter';
import type { DeliveryQueue } from './delivery-queue';
import { describeApiError } from './error-summary';
import { readEnvelope } from './read-envelope';
import type { ReceivedMessage } from './received-message';
import { UndeliveredError, type UndeliveredOutcome } from './undelivered-error';

/**
 * How long a successful delivery is remembered, so a redelivered message is not posted twice: the main
 * queue's retention (4 days), the longest a copy of the message can still turn up.
 */
export const DELIVERY_IDEMPOTENCY_SECONDS = 4 * 24 * 60 * 60;
/** Namespace of delivery records in the idempotency store (ingress uses its own). */
export { DELIVERY_IDEMPOTENCY_NAMESPACE } from '../idempotency/namespaces';

/** At most this many activity ids go into one log line (a batch to everyone can create thousands). */
const LOGGED_ACTIVITY_IDS = 50;

export type PartyLookup = { get(partyId: string): PartyConfig | undefined };

export type DeliveryDeps = {
  /** Parties by id, from the relay config. */
  parties: PartyLookup;
  secrets: SecretStore;
  workspace365: Pick<Workspace365Client, 'post'>;
  queue: DeliveryQueue;
  /** Delivery idempotency, keyed by the queue message id (namespace `delivery`). */
  once: Once;
  metrics: RelayMetrics;
  logger: RelayLogger;
  clock: Clock;
  /** Uniform in [0, 1), for the backoff jitter. */
  random: () => number;
  retry: RetryConfig;
  /** Time left in this invocation: how long the in-progress lock of a delivery may live. */
  remainingTimeMs?: () => number;
  /**
   * Wait before looking again at a message whose delivery another worker is doing right now; about as
   * long as one attempt can take. @default 30
   */
  inProgressRetrySeconds?: number;
};

export type RetryReason =
  | 'http'
  | 'timeout'
  | 'network'
  | 'unauthorized'
  | 'secret_unavailable'
  | 'in_progress'
  | 'dead_letter_unavailable'
  | 'unexpected';

/** What became of one record; everything but `retry` means "delete it from the main queue". */
export type DeliveryResult =
  | {
      status: 'delivered';
      messageId: string;
      activityIds: number[];
      /** `false` when an earlier receive already delivered it (a redelivery after a crash): nothing was posted. */
      postedNow: boolean;
    }
  | { status: 'dead-lettered'; reason: DeadLetterReason; httpStatus?: number }
  | { status: 'retry'; reason: RetryReason; visibilityTimeoutSeconds: number; httpStatus?: number };

/** The record's identity in log lines: ids and counts only, never the payload or a key. */
type Labels = {
  sqsMessageId: string;
  receiveCount: number;
  messageId?: string;
  partyId?: string;
  kind?: string;
  correlationId?: string;
};

/**
 * Delivers one received queue message to Workspace 365 (docs/architecture.md §1, worker): read the envelope, find the party, post
 * with its key (refreshed once on 401/403), and settle the record: delivered, dead-lettered with a reason,
 * or hidden for a backoff and reported as a failure. Never sleeps; never throws for a delivery problem.
 */
export async function deliverRecord(record: ReceivedMessage, deps: DeliveryDeps): Promise<DeliveryResult> {
  const receiveCount = record.receiveCount;
  const envelope = readEnvelope(record.body);
  if (!envelope.ok) {
    const partyId = envelope.partyId ?? record.attributes.partyId;
    const kind = envelope.kind ?? record.attributes.kind;
    const labels: Labels = { sqsMessageId: record.messageId, receiveCount, ...defined({ partyId, kind }) };
    return deadLetter(record, deps, labels, { reason: envelope.reason, errorMessage: envelope.problem });
  }
  const message = envelope.message;
  const labels: Labels = {
    sqsMessageId: record.messageId,
    receiveCount,
    messageId: message.id,
    partyId: message.partyId,
    kind: message.kind,
    correlationId: message.correlationId,
  };
  const party = deps.parties.get(message.partyId);
  if (!party) {
    return deadLetter(record, deps, labels, {
      reason: 'unknown_party',
      errorMessage: `no party "${message.partyId}" in the relay config`,
    });
  }

  let delivery: { first: boolean; value: number[] };
  try {
    delivery = await deps.once.run(message.id, () => postWithKeyRefresh(message, party, deps, labels), {
      remainingTimeMs: deps.remainingTimeMs?.() ?? 30_000,
    });
  } catch (error) {
    return settleFailure(error, record, deps, labels);
  }

  const activityIds = delivery.value;
  if (delivery.first) {
    deps.metrics.add(MetricName.DeliveryDelivered, 'Count', 1, { Party: message.partyId });
    const endToEnd = deps.clock.now().getTime() - Date.parse(message.receivedAt);
    deps.metrics.add(MetricName.EndToEndLatency, 'Milliseconds', Math.max(0, endToEnd));
  }
  deps.logger.info(
    delivery.first ? 'delivered' : 'already delivered by an earlier receive; not posted again',
    {
      ...labels,
      activityCount: activityIds.length,
      activityIds: activityIds.slice(0, LOGGED_ACTIVITY_IDS),
    },
  );
  return { status: 'delivered', messageId: message.id, activityIds, postedNow: delivery.first };
}

/**
 * The idempotent section: resolves with the activity ids, and throws for every other outcome so that no
 * "delivered" record is kept.
 */
async function postWithKeyRefresh(
  message: QueueMessage,
  party: PartyConfig,
  deps: DeliveryDeps,
  labels: Labels,
): Promise<number[]> {
  const post = async (apiKey: string): Promise<DeliveryOutcome> => {
    const outcome = await deps.workspace365.post(message.kind, party.target, apiKey, message.payload, {
      idempotencyKey: message.id,
      correlationId: message.correlationId,
    });
    deps.metrics.add(MetricName.Workspace365Latency, 'Milliseconds', outcome.latencyMs);
    return outcome;
  };

  const { workspace365ApiKey: cachedKey } = await deps.secrets.get(party.secretName);
  let outcome = await post(cachedKey);
  if (outcome.type === 'unauthorized') {
    // The operator may have rotated the key since it was cached: read it again, once.
    const { workspace365ApiKey: freshKey } = await deps.secrets.get(party.secretName, { forceFetch: true });
    if (freshKey !== cachedKey) {
      deps.logger.info(
        'the party API key changed since it was cached; posting again with the new key',
        labels,
      );
      outcome = await post(freshKey);
    }
  }
  if (outcome.type === 'delivered') return outcome.activityIds;
  throw new UndeliveredError(outcome);
}

function settleFailure(
  error: unknown,
  record: ReceivedMessage,
  deps: DeliveryDeps,
  labels: Labels,
): Promise<DeliveryResult> {
  if (error instanceof UndeliveredError) return settleOutcome(error.outcome, record, deps, labels);
  if (error instanceof WorkInProgressError) {
    // Another receive of the same message is posting it right now; its result decides. Never dead-lettered
    // from here: if that attempt dies, its lock expires and a later receive posts.
    const seconds = clampVisibilityTimeout(deps.inProgressRetrySeconds ?? 30);
    deps.logger.info('delivery in progress elsewhere; looking again later', {
      ...labels,
      retryInSeconds: seconds,
    });
    return retryLater(record, deps, labels, { reason: 'in_progress', seconds });
  }
  if (error instanceof SecretUnavailableError || error instanceof InvalidApiKeyError) {
    // The operator may be filling in the secret right now: retry with backoff, and say what is wrong.
    return retryOrGiveUp(record, deps, labels, {
      reason: 'secret_unavailable',
      problem: error.message,
      log: 'the party secret cannot be used',
    });
  }
  const name = error instanceof Error ? error.name : typeof error;
  deps.logger.error('delivery failed unexpectedly', { ...labels, error });
  return retryOrGiveUp(record, deps, labels, {
    reason: 'unexpected',
    problem: `the worker failed unexpectedly (${name})`,
    log: 'unexpected failure',
  });
}

function settleOutcome(
  outcome: UndeliveredOutcome,
  record: ReceivedMessage,
  deps: DeliveryDeps,
  labels: Labels,
): Promise<DeliveryResult> {
  switch (outcome.type) {
    case 'rejected':
      return deadLetter(record, deps, labels, {
        reason: 'rejected',
        status: outcome.status,
        errorMessage: describeApiError(outcome.status, outcome.error),
      });
    case 'unauthorized': {
      // Twice: per party for the dashboard, and undimensioned for the alarm.
      deps.metrics.add(MetricName.DeliveryAuthFailure, 'Count', 1, { Party: labels.partyId ?? 'unknown' });
      deps.metrics.add(MetricName.DeliveryAuthFailure, 'Count', 1);
      return retryOrGiveUp(record, deps, labels, {
        reason: 'unauthorized',
        status: outcome.status,
        // The key will not fix itself soon: wait the longest backoff.
        seconds: clampVisibilityTimeout(deps.retry.capSeconds),
        problem: `Workspace 365 refused the party's API key (${outcome.status}) even after the secret was read again`,
        log: 'Workspace 365 refused the API key',
      });
    }
    case 'retryable':
      return retryOrGiveUp(record, deps, labels, {
        reason: outcome.reason,
        status: outcome.status,
        retryAfterSeconds: outcome.retryAfterSeconds,
        problem: describeRetryable(outcome),
        log: 'Workspace 365 did not take the delivery; retrying',
      });
  }
}

function describeRetryable(outcome: Extract<UndeliveredOutcome, { type: 'retryable' }>): string {
  if (outcome.reason === 'timeout') return 'the request to Workspace 365 timed out';
  if (outcome.reason === 'network') return 'Workspace 365 could not be reached (connection error)';
  return `Workspace 365 answered ${outcome.status ?? 'an error'}`;
}

type RetryPlan = {
  reason: RetryReason;
  problem: string;
  log: string;
  status?: number | undefined;
  retryAfterSeconds?: number | undefined;
  /** A fixed delay instead of the jittered backoff. */
  seconds?: number;
};

/**
 * Retries with backoff, except on the final receive: then the worker dead-letters the message itself, with
 * the reason, instead of leaving SQS's redrive policy to move it silently (that stays the crash backstop).
 */
function retryOrGiveUp(
  record: ReceivedMessage,
  deps: DeliveryDeps,
  labels: Labels,
  plan: RetryPlan,
): Promise<DeliveryResult> {
  if (labels.receiveCount >= deps.retry.maxReceives) {
    return deadLetter(record, deps, labels, {
      reason: 'retries_exhausted',
      status: plan.status,
      errorMessage: `gave up after ${labels.receiveCount} attempts; last: ${plan.problem}`,
    });
  }
  const seconds =
    plan.seconds ??
    retryDelaySeconds({
      receiveCount: labels.receiveCount,
      policy: deps.retry,
      retryAfterSeconds: plan.retryAfterSeconds,
      random: deps.random,
    });
  deps.logger.warn(plan.log, {
    ...labels,
    ...defined({ status: plan.status, retryAfterSeconds: plan.retryAfterSeconds }),
    problem: plan.problem,
    retryInSeconds: seconds,
  });
  return retryLater(record, deps, labels, { reason: plan.reason, seconds, status: plan.status });
}

async function retryLater(
  record: ReceivedMessage,
  deps: DeliveryDeps,
  labels: Labels,
  retry: { reason: RetryReason; seconds: number; status?: number | undefined },
): Promise<DeliveryResult> {
  try {
    await deps.queue.changeVisibility(record.receiptHandle, retry.seconds);
  } catch (error) {
    // Not fatal: the message comes back after the queue's own visibility timeout instead.
    deps.logger.warn('could not set the retry delay; the queue visibility timeout applies', {
      ...labels,
      errorName: error instanceof Error ? error.name : typeof error,
    });
  }
  // Only configured parties become a dimension: a poison body must not invent metric series.
  if (labels.partyId && deps.parties.get(labels.partyId))
    deps.metrics.add(MetricName.DeliveryRetried, 'Count', 1, { Party: labels.partyId });
  else deps.metrics.add(MetricName.DeliveryRetried, 'Count', 1);
  return {
    status: 'retry',
    reason: retry.reason,
    visibilityTimeoutSeconds: retry.seconds,
    ...defined({ httpStatus: retry.status }),
  };
}

async function deadLetter(
  record: ReceivedMessage,
  deps: DeliveryDeps,
  labels: Labels,
  why: { reason: DeadLetterReason; errorMessage: string; status?: number | undefined },
): Promise<DeliveryResult> {
  const attributes: DeadLetterAttributes = {
    reason: why.reason,
    errorMessage: why.errorMessage,
    attempts: labels.receiveCount,
    failedAt: deps.clock.now().toISOString(),
    status: why.status,
    partyId: labels.partyId,
    kind: labels.kind,
    sourceMessageId: record.messageId,
  };
  try {
    await deps.queue.sendToDeadLetter(record.body, attributes);
  } catch (error) {
    // Keep it on the main queue rather than lose it; the redrive policy moves it if this keeps failing.
    deps.logger.error('could not move the message to the dead-letter queue; it stays on the queue', {
      ...labels,
      reason: why.reason,
      errorName: error instanceof Error ? error.name : typeof error,
    });
    const seconds = retryDelaySeconds({
      receiveCount: labels.receiveCount,
      policy: deps.retry,
      random: deps.random,
    });
    return retryLater(record, deps, labels, {
      reason: 'dead_letter_unavailable',
      seconds,
      status: why.status,
    });
  }
  deps.metrics.add(MetricName.DeliveryDeadLettered, 'Count', 1, { Reason: why.reason });
  deps.logger.warn('moved to the dead-letter queue', {
    ...labels,
    reason: why.reason,
    ...defined({ status: why.status }),
    errorMessage: why.errorMessage,
  });
  return { status: 'dead-lettered', reason: why.reason, ...defined({ httpStatus: why.status }) };
}

/** Drops undefined fields, so log lines and results carry only what is known. */
function defined<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}
