import { randomUUID } from 'node:crypto';
import type { PartySecret } from '../config/secret-value';
import { eventKey } from '../dedup/event-key';
import {
  type EncodedQueueMessage,
  encodeQueueMessage,
  fitsQueue,
  MAX_QUEUE_MESSAGE_BYTES,
  QUEUE_MESSAGE_VERSION,
} from '../envelope/queue-message';
import type { RelayLogger } from '../observability/logger';
import { MetricName } from '../observability/metric-names';
import type { RelayMetrics } from '../observability/metrics';
import type { Clock } from '../ports/clock';
import type { DedupLedger } from '../ports/dedup-ledger';
import { type MessageQueue, QueueUnavailableError } from '../ports/message-queue';
import { type SourceContext, SourceUnavailableError } from '../sources/source';
import { workspace365Headers } from '../workspace365/client';
import { endpointUrl } from '../workspace365/endpoint';
import type { FieldErrors } from '../workspace365/responses';
import { type ValidatedPayload, validatePayload } from '../workspace365/validate';
import { deriveMessageId } from './event-id';
import type { RegisteredParty } from './party-registry';
import { IngressRejection } from './rejection';

/** What the steps after verification need; the ingress and the poller both provide it. */
export type AcceptEventDeps = {
  queue: MessageQueue;
  /**
   * Who owns each event (docs/cost.md, "One write per webhook"): one conditional write per accepted
   * event. Without one (the CLI feeding a local relay in another process) nothing is deduplicated.
   */
  ledger?: DedupLedger | undefined;
  /** A new attempt id per accept. @default crypto.randomUUID */
  newAttemptId?: () => string;
  metrics: RelayMetrics;
  logger: RelayLogger;
  clock: Clock;
  /** For sources that look things up (the WorkDrive user resolver). */
  fetch?: typeof fetch;
};

export type AcceptEventInput = {
  secret: PartySecret;
  /** Request headers (lower-cased); a poll passes none. */
  headers: Readonly<Record<string, string | undefined>>;
  correlationId: string;
  /** Map and check, queue nothing: the requests that would be sent are returned. */
  dryRun: boolean;
  /** The dedup key from the source's own event id (docs/architecture.md §4 fallbacks for webhooks). */
  eventIdFor(sourceEventId: string | undefined): string;
  deps: AcceptEventDeps;
};

export type WouldSendRequest = {
  method: 'POST';
  url: string;
  headers: Record<string, string>;
  body: unknown;
};

export type EventOutcome =
  | { outcome: 'ignored'; event: string; eventId: string; reason: string }
  | {
      outcome: 'dry-run';
      event: string;
      eventId: string;
      requests: WouldSendRequest[];
      unresolvedRecipients?: string[];
      dropped?: string[];
    }
  | { outcome: 'duplicate'; event: string; eventId: string }
  | {
      outcome: 'queued';
      event: string;
      eventId: string;
      ids: string[];
      unresolvedRecipients?: string[];
      dropped?: string[];
    };

/** Stands for the party's Workspace 365 API key in a dry run; no part of the key is shown. */
export const DRY_RUN_KEY_MASK = '<the party key from its secret>';

/**
 * The pipeline after a body is trusted (docs/architecture.md §1 steps 4-7): source schema → map → W365
 * rules → queue → claim. A webhook enters it after its signature is verified; a polled source event after
 * its API answered (docs/polling.md). Refusals are `IngressRejection`s (422 invalid, 503 unavailable);
 * an attempt whose messages were not all queued is given up, so none of them is delivered.
 */
export async function acceptSourceEvent(
  party: RegisteredParty,
  body: unknown,
  input: AcceptEventInput,
): Promise<EventOutcome> {
  const { deps } = input;
  const mapped = await mapEvent(party, body, {
    party: party.config,
    secret: input.secret,
    headers: input.headers,
    now: deps.clock.now(),
    logger: deps.logger,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  if (mapped.outcome === 'invalid') {
    throw new IngressRejection('source_invalid', mapped.message, { fieldErrors: mapped.fieldErrors });
  }
  const eventId = input.eventIdFor(mapped.eventId);
  if (mapped.outcome === 'ignored') {
    return { outcome: 'ignored', event: mapped.event, eventId, reason: mapped.reason };
  }

  const payloads = validateAll(mapped.payloads);
  const unresolved = {
    ...(mapped.unresolvedRecipients?.length ? { unresolvedRecipients: mapped.unresolvedRecipients } : {}),
    ...(mapped.dropped?.length ? { dropped: mapped.dropped } : {}),
  };
  if (mapped.dropped?.length) {
    // Field names only: the links themselves may come from the payload.
    deps.logger.warn('fields dropped that Workspace 365 would refuse', {
      partyId: party.config.id,
      correlationId: input.correlationId,
      dropped: mapped.dropped,
    });
  }
  if (input.dryRun) {
    return {
      outcome: 'dry-run',
      event: mapped.event,
      eventId,
      requests: payloads.map((validated, index) => ({
        method: 'POST',
        url: endpointUrl(validated.kind, party.config.target).href,
        // Exactly what the worker sends (same function), the key masked: this answer goes to the sender.
        headers: workspace365Headers({
          apiKey: DRY_RUN_KEY_MASK,
          target: party.config.target,
          idempotencyKey: deriveMessageId(party.config.id, eventId, index),
          correlationId: input.correlationId,
        }),
        body: validated.payload,
      })),
      ...unresolved,
    };
  }

  const receivedAt = deps.clock.now().toISOString();
  const attempt = deps.ledger ? (deps.newAttemptId ?? randomUUID)() : undefined;
  const messages = payloads.map((validated, index) =>
    encodeQueueMessage({
      v: QUEUE_MESSAGE_VERSION,
      id: deriveMessageId(party.config.id, eventId, index),
      partyId: party.config.id,
      kind: validated.kind,
      payload: validated.payload as unknown as Record<string, unknown>,
      eventId,
      event: mapped.event,
      receivedAt,
      correlationId: input.correlationId,
      ...(attempt === undefined ? {} : { attempt }),
    }),
  );
  checkMessageSizes(messages);

  const key = eventKey(party.config.id, eventId);
  await queueAll(key, attempt, messages, deps, input.correlationId);
  if (
    attempt !== undefined &&
    !(await claimEvent(key, attempt, deps, party.config.id, input.correlationId))
  ) {
    // Another attempt owns the event; the copies just queued are dropped by the worker, unposted.
    return { outcome: 'duplicate', event: mapped.event, eventId };
  }
  deps.metrics.add(MetricName.DeliveryQueued, 'Count', messages.length);
  const ids = messages.map((encoded) => encoded.message.id);
  return { outcome: 'queued', event: mapped.event, eventId, ids, ...unresolved };
}

async function mapEvent(party: RegisteredParty, body: unknown, context: SourceContext) {
  try {
    return await party.source.map(body, context);
  } catch (error) {
    if (error instanceof SourceUnavailableError) {
      throw new IngressRejection(
        'source_unavailable',
        `${error.message}; nothing was accepted, retry later`,
        { retryAfterSeconds: 30, cause: error },
      );
    }
    throw error;
  }
}

function validateAll(
  payloads: readonly { kind: 'activity' | 'batch'; payload: unknown }[],
): ValidatedPayload[] {
  if (payloads.length === 0) {
    throw new IngressRejection('payload_invalid', 'the event maps to no Workspace 365 activity');
  }
  const fieldErrors: FieldErrors = Object.create(null); // field names come from the input (`__proto__`)
  const valid: ValidatedPayload[] = [];
  payloads.forEach((mapped, index) => {
    const prefix = payloads.length > 1 ? `payloads[${index}].` : '';
    const result = validatePayload(mapped.kind, mapped.payload);
    if (result.ok) valid.push(result);
    else
      for (const [field, error] of Object.entries(result.fieldErrors))
        fieldErrors[`${prefix}${field}`] = error;
  });
  if (Object.keys(fieldErrors).length > 0) {
    throw new IngressRejection(
      'payload_invalid',
      'the Workspace 365 payload this event maps to breaks the Workspace 365 rules',
      { fieldErrors },
    );
  }
  return valid;
}

function checkMessageSizes(messages: readonly EncodedQueueMessage[]): void {
  const index = messages.findIndex((message) => !fitsQueue(message));
  if (index >= 0) {
    throw new IngressRejection(
      'message_too_large',
      `mapped payload ${index} is too large for the queue (limit ${MAX_QUEUE_MESSAGE_BYTES} bytes with its envelope)`,
    );
  }
}

/**
 * Queues every message of the attempt, or gives the attempt up: a queue that refused some of them may
 * have taken others, and those must not be delivered once the sender was told nothing was accepted.
 */
async function queueAll(
  key: string,
  attempt: string | undefined,
  messages: EncodedQueueMessage[],
  deps: AcceptEventDeps,
  correlationId: string,
): Promise<void> {
  try {
    await deps.queue.sendAll(messages);
  } catch (error) {
    if (!(error instanceof QueueUnavailableError || (error as Error).cause instanceof QueueUnavailableError))
      throw error;
    try {
      if (attempt !== undefined) await deps.ledger?.abandon(key, attempt);
    } catch (ledgerError) {
      // Its copies then wait out the grace period and are delivered: the sender's retry is dropped instead.
      deps.logger.warn('could not give up a partly queued attempt', {
        correlationId,
        errorName: (ledgerError as Error).name,
      });
    }
    throw new IngressRejection(
      'queue_unavailable',
      'the queue is unavailable; nothing was accepted, retry later',
      {
        retryAfterSeconds: 5,
        cause: error,
      },
    );
  }
}

/**
 * Claims the event for this attempt once its messages are queued: `false` when another attempt owns it.
 * If the ledger cannot be asked the messages are still on the queue, so the answer is "queued": the
 * worker settles ownership once the grace period has passed (docs/cost.md).
 */
async function claimEvent(
  key: string,
  attempt: string,
  deps: AcceptEventDeps,
  partyId: string,
  correlationId: string,
): Promise<boolean> {
  try {
    return (await deps.ledger?.claim(key, attempt)) ?? true;
  } catch (error) {
    deps.logger.warn('could not record the event in the dedup ledger; the worker will settle it', {
      partyId,
      correlationId,
      errorName: (error as Error).name,
    });
    return true;
  }
}
