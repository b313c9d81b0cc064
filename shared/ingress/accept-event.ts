import { IdempotencyPersistenceLayerError } from '@aws-lambda-powertools/idempotency';
import type { PartySecret } from '../config/secret-value';
import {
  type EncodedQueueMessage,
  encodeQueueMessage,
  fitsQueue,
  MAX_QUEUE_MESSAGE_BYTES,
  QUEUE_MESSAGE_VERSION,
} from '../envelope/queue-message';
import { type Once, WorkInProgressError } from '../idempotency/once';
import type { RelayLogger } from '../observability/logger';
import { MetricName } from '../observability/metric-names';
import type { RelayMetrics } from '../observability/metrics';
import type { Clock } from '../ports/clock';
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
  /** Dedup by event id (namespace `ingress`). */
  once: Once;
  metrics: RelayMetrics;
  logger: RelayLogger;
  clock: Clock;
  /** For sources that look things up (the WorkDrive user resolver). */
  fetch?: typeof fetch;
  /** Time left in the invocation; bounds the dedup lock if this process dies mid-request. */
  remainingTimeMs?: () => number;
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

type Accepted = { ids: string[] };

/**
 * The pipeline after a body is trusted (docs/architecture.md §1 steps 4-7): source schema → map → W365
 * rules → dedup → queue. A webhook enters it after its signature is verified; a polled source event after
 * its API answered (docs/polling.md). Refusals are `IngressRejection`s (422 invalid, 503 unavailable,
 * 409 in progress); nothing is queued unless all is.
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
    }),
  );
  checkMessageSizes(messages);

  const result = await enqueueOnce(`${party.config.id}:${eventId}`, messages, deps);
  if (!result.first) return { outcome: 'duplicate', event: mapped.event, eventId };
  deps.metrics.add(MetricName.DeliveryQueued, 'Count', messages.length);
  return { outcome: 'queued', event: mapped.event, eventId, ids: result.value.ids, ...unresolved };
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

async function enqueueOnce(key: string, messages: EncodedQueueMessage[], deps: AcceptEventDeps) {
  try {
    return await deps.once.run<Accepted>(
      key,
      async () => {
        await deps.queue.sendAll(messages);
        return { ids: messages.map((encoded) => encoded.message.id) };
      },
      deps.remainingTimeMs ? { remainingTimeMs: deps.remainingTimeMs() } : {},
    );
  } catch (error) {
    if (error instanceof WorkInProgressError) {
      throw new IngressRejection(
        'duplicate_in_progress',
        'this event is being processed by another request; retry shortly',
        { retryAfterSeconds: 1 },
      );
    }
    if (error instanceof QueueUnavailableError || (error as Error).cause instanceof QueueUnavailableError) {
      throw new IngressRejection(
        'queue_unavailable',
        'the queue is unavailable; nothing was accepted, retry later',
        { retryAfterSeconds: 5, cause: error },
      );
    }
    if (error instanceof IdempotencyPersistenceLayerError) {
      throw new IngressRejection(
        'dedup_unavailable',
        'the dedup store is unavailable; nothing was accepted, retry later',
        { retryAfterSeconds: 5, cause: error },
      );
    }
    throw error;
  }
}
