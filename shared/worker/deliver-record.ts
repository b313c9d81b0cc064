import type { SQSMessageAttributes } from 'aws-lambda';
import type { PartyConfig, RetryConfig } from '../config/relay-config';
import { eventKey } from '../dedup/event-key';
import { type CopyVerdict, judgeCopy } from '../dedup/judge-copy';
import type { QueueMessage } from '../envelope/queue-message';
import type { RelayLogger } from '../observability/logger';
import { MetricName } from '../observability/metric-names';
import type { RelayMetrics } from '../observability/metrics';
import type { BackoffBasis, TraceFields } from '../observability/trace-fields';
import type { Clock } from '../ports/clock';
import { type DedupLedger, DedupLedgerUnavailableError } from '../ports/dedup-ledger';
import { type SecretStore, SecretUnavailableError } from '../ports/secret-store';
import { clampVisibilityTimeout, retryDelaySeconds } from '../retry/backoff';
import { formatDuration, MAX_RETRY_WINDOW_SECONDS } from '../retry/schedule';
import { InvalidApiKeyError, type Workspace365Client } from '../workspace365/client';
import type { DeliveryOutcome } from '../workspace365/delivery-outcome';
import { type CircuitBreakers, type CircuitPermit, environmentKey } from './circuit-breaker';
import type { DeadLetterAttributes, DeadLetterReason } from './dead-letter';
import { type DeliveryQueue, MAX_REQUEUE_DELAY_SECONDS } from './delivery-queue';
import { describeApiError } from './error-summary';
import { readEnvelope } from './read-envelope';
import { PRIOR_RECEIVE_COUNT_ATTRIBUTE } from './receive-count';
import type { ReceivedMessage } from './received-message';
import { UndeliveredError, type UndeliveredOutcome } from './undelivered-error';

/** At most this many activity ids go into one log line (a batch to everyone can create thousands). */
const LOGGED_ACTIVITY_IDS = 50;

export type PartyLookup = { get(partyId: string): PartyConfig | undefined };

export type DeliveryDeps = {
  /** Parties by id, from the relay config. */
  parties: PartyLookup;
  secrets: SecretStore;
  workspace365: Pick<Workspace365Client, 'post'>;
  queue: DeliveryQueue;
  /** Which ingress attempt owns each event: only its copies are posted (docs/cost.md). */
  ledger: DedupLedger;
  /**
   * Deletes a delivered message from the queue right away (the handler's prompt deleter, one per
   * invocation): `false` if the queue did not. @default none: the event source deletes it when the batch returns
   */
  deleteDelivered?: (receiptHandle: string) => Promise<boolean>;
  /** Time left in this invocation. @default unbounded */
  remainingTimeMs?: () => number;
  /**
   * The longest one record's attempt can take (a POST, and a second one after a 401). A record is not
   * started with less time left, so the invocation always returns before its timeout: a batch that timed
   * out would come back whole, and the records it had posted would be posted again. @default 0
   */
  attemptBudgetMs?: number;
  metrics: RelayMetrics;
  logger: RelayLogger;
  clock: Clock;
  /** Uniform in [0, 1), for the backoff jitter. */
  random: () => number;
  retry: RetryConfig;
  /** The circuit breakers per Workspace 365 environment (docs/outage.md); without them every message is posted. */
  breakers?: CircuitBreakers | undefined;
  /**
   * Breakers per party, keyed `party:<id>`: a party whose key Workspace 365 refuses even after the secret
   * was read again is paused alone (one probe per cool-down), not the environment it shares.
   */
  partyBreakers?: CircuitBreakers | undefined;
  /**
   * The longest a message waits behind an open breaker, counted from ingress, before it is dead-lettered.
   * @default MAX_RETRY_WINDOW_SECONDS (3 days)
   */
  maxDeferralSeconds?: number;
};

export type RetryReason =
  | 'http'
  | 'timeout'
  | 'network'
  | 'unauthorized'
  | 'secret_unavailable'
  | 'in_progress'
  | 'dedup_unavailable'
  | 'deadline'
  | 'dead_letter_unavailable'
  | 'circuit_open'
  | 'unexpected';

/** What became of one record; everything but `retry` means "delete it from the main queue". */
export type DeliveryResult =
  | {
      status: 'delivered';
      messageId: string;
      activityIds: number[];
    }
  /** Not posted: a second copy of an event another attempt owns, or of an attempt given up (docs/cost.md). */
  | { status: 'dropped'; reason: 'not_owner' | 'abandoned' | 'already_delivered' }
  | { status: 'dead-lettered'; reason: DeadLetterReason; httpStatus?: number }
  | { status: 'retry'; reason: RetryReason; visibilityTimeoutSeconds: number; httpStatus?: number }
  /** Not posted: its environment's breaker is open, so a copy waits on the queue (this record is deleted). */
  | { status: 'deferred'; retryInSeconds: number };

/**
 * The record's identity in log lines (trace fields, docs/tracing.md): ids and counts only, never the
 * payload or a key. `latencyMs`, `status` and `netError` join once Workspace 365 was asked.
 */
type Labels = Pick<
  TraceFields,
  'messageId' | 'partyId' | 'eventId' | 'correlationId' | 'latencyMs' | 'netError' | 'status'
> & {
  sqsMessageId: string;
  receiveCount: number;
  kind?: string;
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
    eventId: message.eventId,
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

  const partyKey = `party:${party.id}`;
  const partyPermit: CircuitPermit = deps.partyBreakers
    ? await deps.partyBreakers.permit(partyKey)
    : { type: 'closed' };
  if (partyPermit.type === 'open') {
    return defer(record, message, deps, labels, {
      permit: partyPermit,
      cooldownSeconds: deps.partyBreakers?.cooldownSeconds ?? 60,
      why: `Workspace 365 has refused party ${party.id}'s API key`,
      log: 'party paused: Workspace 365 refuses its API key; delivery deferred',
    });
  }
  const environment = environmentKey(party.target);
  const permit: CircuitPermit = deps.breakers ? await deps.breakers.permit(environment) : { type: 'closed' };
  if (permit.type === 'open') {
    await reportToPartyBreaker(deps, partyKey, partyPermit, undefined);
    return defer(record, message, deps, labels, {
      permit,
      cooldownSeconds: deps.breakers?.cooldownSeconds ?? 60,
      why: `Workspace 365 environment ${environment} has been unavailable`,
      log: 'circuit breaker open; delivery deferred',
      environment,
    });
  }

  const remainingMs = deps.remainingTimeMs?.() ?? Number.POSITIVE_INFINITY;
  if (remainingMs < (deps.attemptBudgetMs ?? 0)) {
    await reportToBreaker(deps, environment, permit, undefined);
    await reportToPartyBreaker(deps, partyKey, partyPermit, undefined);
    deps.logger.info('too little time left in this invocation; looking again at once', {
      ...labels,
      step: 'retry',
      reason: 'deadline',
      retryInSeconds: 1,
      backoff: 'fixed',
    });
    return retryLater(record, deps, labels, { reason: 'deadline', seconds: 1 });
  }

  let activityIds: number[];
  let posted: DeliveryOutcome | undefined;
  const onPosted = (outcome: DeliveryOutcome) => {
    posted = outcome;
  };
  try {
    const ownership = await settleOwnership(message, deps);
    if (ownership.type !== 'deliver') {
      // Nothing was asked of Workspace 365: the breakers' probes, if these were probes, go back.
      await reportToBreaker(deps, environment, permit, undefined);
      await reportToPartyBreaker(deps, partyKey, partyPermit, undefined);
      if (ownership.type === 'wait') return awaitOwner(record, deps, labels, ownership.seconds);
      if (ownership.type === 'already_delivered') {
        deps.logger.info('already delivered by an earlier receive; not posted again', {
          ...labels,
          step: 'already_delivered',
        });
      } else {
        deps.logger.info('a second copy of the event; not posted', {
          ...labels,
          step: 'copy_dropped',
          reason: ownership.type,
        });
      }
      return { status: 'dropped', reason: ownership.type };
    }
    activityIds = await postWithKeyRefresh(message, party, deps, labels, onPosted);
  } catch (error) {
    await reportToBreaker(deps, environment, permit, posted);
    await reportToPartyBreaker(deps, partyKey, partyPermit, posted);
    return settleFailure(error, record, deps, labels);
  }
  await reportToBreaker(deps, environment, permit, posted);
  await reportToPartyBreaker(deps, partyKey, partyPermit, posted);

  deps.metrics.add(MetricName.DeliveryDelivered, 'Count', 1);
  const endToEnd = deps.clock.now().getTime() - Date.parse(message.receivedAt);
  deps.metrics.add(MetricName.EndToEndLatency, 'Milliseconds', Math.max(0, endToEnd));
  // The hot-path line (docs/cost.md, "Logs"): neither this copy's SQS id nor the kind (the delivery id
  // names the message), and the count only when the ids are cut short.
  const { sqsMessageId: _copy, kind: _kind, ...traced } = labels;
  deps.logger.info('delivered', {
    ...traced,
    step: 'delivered',
    activityIds: activityIds.slice(0, LOGGED_ACTIVITY_IDS),
    ...(activityIds.length > LOGGED_ACTIVITY_IDS ? { activityCount: activityIds.length } : {}),
  });
  // After the line: the trace shows the delivery as soon as Workspace 365 has it.
  await settleDelivered(record, message, deps, labels);
  return { status: 'delivered', messageId: message.id, activityIds };
}

/**
 * Whether this copy is the one to post (docs/cost.md, "One write per webhook"): a strongly consistent
 * read of the event's record, and a claim only for a copy whose attempt died before claiming. A message
 * queued before the ledger existed carries no attempt and is posted as it is.
 */
async function settleOwnership(
  message: QueueMessage,
  deps: DeliveryDeps,
): Promise<Exclude<CopyVerdict, { type: 'claim' }>> {
  const { attempt } = message;
  if (attempt === undefined) return { type: 'deliver' };
  const key = eventKey(message.partyId, message.eventId);
  const copy = {
    attempt,
    messageId: message.id,
    ageSeconds: (deps.clock.now().getTime() - Date.parse(message.receivedAt)) / 1000,
  };
  const verdict = judgeCopy(await deps.ledger.read(key), copy);
  if (verdict.type !== 'claim') return verdict;
  if (await deps.ledger.claim(key, attempt)) return { type: 'deliver' };
  // Another copy claimed first: its attempt's copies are the ones delivered.
  const after = judgeCopy(await deps.ledger.read(key), copy);
  return after.type === 'claim' || after.type === 'wait' ? { type: 'not_owner' } : after;
}

/**
 * No owner on record yet: look again later without spending a receive (a copy carrying this message's
 * count), so a small `maxReceives` cannot dead-letter a copy that was only early; if the copy cannot be
 * sent, the message waits as a retry instead.
 */
async function awaitOwner(
  record: ReceivedMessage,
  deps: DeliveryDeps,
  labels: Labels,
  seconds: number,
): Promise<DeliveryResult> {
  deps.logger.info('the event has no owner on record yet; looking again later', {
    ...labels,
    step: 'retry',
    reason: 'in_progress',
    retryInSeconds: seconds,
    backoff: 'fixed',
  });
  try {
    await requeueWithoutSpendingReceive(record, deps, labels, seconds);
  } catch {
    return retryLater(record, deps, labels, { reason: 'in_progress', seconds });
  }
  return { status: 'deferred', retryInSeconds: seconds };
}

/**
 * A posted message leaves the queue at once, so nothing that happens to the rest of the batch brings it
 * back; if the queue does not delete it, the ledger records it as delivered instead (docs/cost.md).
 */
async function settleDelivered(
  record: ReceivedMessage,
  message: QueueMessage,
  deps: DeliveryDeps,
  labels: Labels,
): Promise<void> {
  if (!deps.deleteDelivered || (await deps.deleteDelivered(record.receiptHandle))) return;
  try {
    await deps.ledger.markDelivered(eventKey(message.partyId, message.eventId), message.id);
  } catch (error) {
    // Only a failed batch after this would bring it back; the event source still deletes it otherwise.
    deps.logger.warn('could not record the delivery after the queue kept the message', {
      ...labels,
      errorName: error instanceof Error ? error.name : typeof error,
    });
  }
}

/** Posts the message: resolves with the activity ids, and throws `UndeliveredError` for every other outcome. */
async function postWithKeyRefresh(
  message: QueueMessage,
  party: PartyConfig,
  deps: DeliveryDeps,
  labels: Labels,
  onPosted: (outcome: DeliveryOutcome) => void,
): Promise<number[]> {
  const post = async (apiKey: string): Promise<DeliveryOutcome> => {
    const outcome = await deps.workspace365.post(message.kind, party.target, apiKey, message.payload, {
      idempotencyKey: message.id,
      correlationId: message.correlationId,
    });
    onPosted(outcome);
    deps.metrics.add(MetricName.Workspace365Latency, 'Milliseconds', outcome.latencyMs);
    // For the trace: the time spent asking Workspace 365 in this attempt, and why it could not be reached.
    labels.latencyMs = (labels.latencyMs ?? 0) + outcome.latencyMs;
    if (outcome.type === 'retryable' && outcome.netError) labels.netError = outcome.netError;
    if ('status' in outcome && outcome.status !== undefined) labels.status = outcome.status;
    else delete labels.status;
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

/**
 * Tells the breaker what the environment did: any answer but 408/429/5xx means it is up (a 400 or a 401
 * is about the request or the party, not the environment); no request at all hands a probe back.
 */
async function reportToBreaker(
  deps: DeliveryDeps,
  environment: string,
  permit: CircuitPermit,
  posted: DeliveryOutcome | undefined,
): Promise<void> {
  if (!deps.breakers) return;
  const result =
    posted === undefined
      ? undefined
      : posted.type === 'retryable'
        ? { up: false as const, retryAfterSeconds: posted.retryAfterSeconds }
        : { up: true as const };
  try {
    await deps.breakers.report(environment, permit, result);
  } catch (error) {
    // The breaker guards the environment; it must never cost a delivery its result.
    deps.logger.warn('could not update the circuit breaker', {
      targetEnvironment: environment,
      errorName: error instanceof Error ? error.name : typeof error,
    });
  }
}

/**
 * Tells the party's breaker whether Workspace 365 took its key: refused (401/403 after the refresh) counts
 * against it, any other answer for it; a transient failure says nothing about the key.
 */
async function reportToPartyBreaker(
  deps: DeliveryDeps,
  partyKey: string,
  permit: CircuitPermit,
  posted: DeliveryOutcome | undefined,
): Promise<void> {
  if (!deps.partyBreakers) return;
  const result =
    posted === undefined || posted.type === 'retryable'
      ? undefined
      : posted.type === 'unauthorized'
        ? { up: false as const }
        : { up: true as const };
  try {
    await deps.partyBreakers.report(partyKey, permit, result);
  } catch (error) {
    deps.logger.warn('could not update the party breaker', {
      partyId: partyKey.slice('party:'.length),
      errorName: error instanceof Error ? error.name : typeof error,
    });
  }
}

/**
 * The environment's (or the party's) breaker is open: put a copy of the message back on the queue for after the next
 * probe, carrying its receive count so this receive is not spent (docs/outage.md), and let the event
 * source delete this one. A message that has waited longer than the relay waits for an environment goes
 * to the DLQ; if the copy cannot be sent, the message waits as a normal retry (spending the receive).
 */
async function defer(
  record: ReceivedMessage,
  message: QueueMessage,
  deps: DeliveryDeps,
  labels: Labels,
  blocked: {
    permit: Extract<CircuitPermit, { type: 'open' }>;
    cooldownSeconds: number;
    /** Why it waits, for the dead-letter reason: "Workspace 365 environment … has been unavailable". */
    why: string;
    log: string;
    environment?: string;
  },
): Promise<DeliveryResult> {
  const { permit } = blocked;
  const where = blocked.environment === undefined ? {} : { targetEnvironment: blocked.environment };
  const now = deps.clock.now().getTime();
  const openForSeconds = Math.max(0, (now - permit.openedAt) / 1000);
  const maxDeferral = deps.maxDeferralSeconds ?? MAX_RETRY_WINDOW_SECONDS;
  if ((now - Date.parse(message.receivedAt)) / 1000 >= maxDeferral) {
    return deadLetter(record, deps, labels, {
      reason: 'retries_exhausted',
      errorMessage: `${blocked.why} (circuit breaker open for ${formatDuration(openForSeconds)}) for longer than a delivery waits (${formatDuration(maxDeferral)} after the webhook arrived)`,
    });
  }
  // Spread the copies past the next probe, wider the longer the outage, so a recovering environment
  // is not met by the whole backlog in one second.
  const cooldown = blocked.cooldownSeconds;
  const spread = Math.min(MAX_REQUEUE_DELAY_SECONDS, Math.max(cooldown, openForSeconds / 2));
  const untilProbe = Math.max(0, (permit.retryAt - now) / 1000);
  const seconds = Math.min(
    MAX_REQUEUE_DELAY_SECONDS,
    Math.max(1, Math.ceil(untilProbe + drawOf(deps.random) * spread)),
  );
  deps.metrics.add(MetricName.DeliveryDeferred, 'Count', 1);
  // The alarm's series is about environments; a paused party has DeliveryAuthFailure and its own alarm.
  if (blocked.environment !== undefined)
    deps.metrics.add(MetricName.CircuitBreakerOpenSeconds, 'Seconds', Math.round(openForSeconds));
  try {
    await requeueWithoutSpendingReceive(record, deps, labels, seconds);
  } catch (error) {
    deps.logger.warn('could not re-queue a deferred delivery; it waits as a retry instead', {
      ...labels,
      ...where,
      errorName: error instanceof Error ? error.name : typeof error,
    });
    return retryLater(record, deps, labels, { reason: 'circuit_open', seconds });
  }
  deps.logger.debug(blocked.log, {
    ...labels,
    ...where,
    retryInSeconds: seconds,
  });
  return { status: 'deferred', retryInSeconds: seconds };
}

/**
 * Puts a copy of the message back on the queue, visible after `seconds`, whose first receive continues
 * this message's count: the receive spent now is given back (docs/outage.md).
 */
function requeueWithoutSpendingReceive(
  record: ReceivedMessage,
  deps: DeliveryDeps,
  labels: Labels,
  seconds: number,
): Promise<void> {
  return deps.queue.requeue(
    {
      body: record.body,
      messageAttributes: {
        ...ingressAttributes(record),
        [PRIOR_RECEIVE_COUNT_ATTRIBUTE]: {
          dataType: 'Number',
          stringValue: String(labels.receiveCount - 1),
          stringListValues: [],
          binaryListValues: [],
        },
      },
    },
    seconds,
  );
}

/** The ingress labels (docs/architecture.md §6) the copy carries, in the record shape `requeue` takes. */
function ingressAttributes(record: ReceivedMessage): SQSMessageAttributes {
  const attributes: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(record.attributes)) {
    if (value)
      attributes[name] = {
        dataType: 'String',
        stringValue: value,
        stringListValues: [],
        binaryListValues: [],
      };
  }
  return attributes;
}

function drawOf(random: () => number): number {
  const draw = random();
  return Number.isNaN(draw) ? 0 : Math.min(Math.max(draw, 0), 1);
}

function settleFailure(
  error: unknown,
  record: ReceivedMessage,
  deps: DeliveryDeps,
  labels: Labels,
): Promise<DeliveryResult> {
  if (error instanceof UndeliveredError) return settleOutcome(error.outcome, record, deps, labels);
  if (error instanceof DedupLedgerUnavailableError) {
    // Whether another copy owns the event cannot be known now: posting could deliver it twice.
    return retryOrGiveUp(record, deps, labels, {
      reason: 'dedup_unavailable',
      problem: error.message,
      log: 'the dedup ledger cannot be read',
    });
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
      // Which party: its log line (`party`); the metric stays one series for the alarm.
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
  if (outcome.reason === 'network')
    return `Workspace 365 could not be reached: ${outcome.cause ?? 'connection error'}`;
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
    step: 'retry',
    reason: plan.reason,
    ...defined({ status: plan.status, retryAfterSeconds: plan.retryAfterSeconds }),
    problem: plan.problem,
    retryInSeconds: seconds,
    backoff: backoffBasis(plan, seconds),
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
  deps.metrics.add(MetricName.DeliveryRetried, 'Count', 1);
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
    const seconds = retryDelaySeconds({
      receiveCount: labels.receiveCount,
      policy: deps.retry,
      random: deps.random,
    });
    deps.logger.error('could not move the message to the dead-letter queue; it stays on the queue', {
      ...labels,
      step: 'retry',
      reason: 'dead_letter_unavailable',
      deadLetterReason: why.reason,
      errorName: error instanceof Error ? error.name : typeof error,
      retryInSeconds: seconds,
      backoff: 'jitter',
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
    step: 'dead_lettered',
    reason: why.reason,
    ...defined({ status: why.status }),
    errorMessage: why.errorMessage,
  });
  return { status: 'dead-lettered', reason: why.reason, ...defined({ httpStatus: why.status }) };
}

/** How the wait was chosen: a fixed one, the server's Retry-After (when it won), or the jittered backoff. */
function backoffBasis(plan: RetryPlan, seconds: number): BackoffBasis {
  if (plan.seconds !== undefined) return 'fixed';
  if (plan.retryAfterSeconds !== undefined && clampVisibilityTimeout(plan.retryAfterSeconds) >= seconds) {
    return 'retry_after';
  }
  return 'jitter';
}

/** Drops undefined fields, so log lines and results carry only what is known. */
function defined<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}
