import { IdempotencyPersistenceLayerError } from '@aws-lambda-powertools/idempotency';
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
import { type SecretStore, SecretUnavailableError } from '../ports/secret-store';
import { type SourceContext, SourceUnavailableError } from '../sources/source';
import { endpointUrl } from '../workspace365/endpoint';
import type { FieldErrors } from '../workspace365/responses';
import { type ValidatedPayload, validatePayload } from '../workspace365/validate';
import { checkBodySize, checkContentType, parseJsonBody } from './body';
import { correlationIdFor } from './correlation-id';
import { deriveEventId, deriveMessageId } from './event-id';
import type { PartyRegistry, RegisteredParty } from './party-registry';
import { errorBody, IngressRejection } from './rejection';
import type { IngressRequest, IngressResponse } from './request';

/** A duplicate event id within this window is answered 202 duplicate (docs/architecture.md §4). */
export const DEDUP_WINDOW_SECONDS = 24 * 60 * 60;

export type IngressDeps = {
  parties: PartyRegistry;
  secrets: SecretStore;
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

type Accepted = { ids: string[] };

/**
 * The ingress pipeline (docs/architecture.md §1), host-independent. Order matters: party → size/content type →
 * verify the raw bytes → parse → source schema → map → W365 rules → dedup → queue → 202.
 * Every refusal is a 4xx/5xx in the W365 error shape with a code; nothing is queued unless all is.
 */
export async function handleWebhook(request: IngressRequest, deps: IngressDeps): Promise<IngressResponse> {
  const correlationId = correlationIdFor(request.headers['x-correlation-id'], request.requestId);
  const party = deps.parties.get(request.partyId);
  const log = { partyId: party ? request.partyId : undefined, correlationId };
  try {
    if (!party) throw new IngressRejection('party_unknown', 'no party is configured under this id');
    deps.metrics.add(MetricName.WebhookReceived, 'Count', 1, { Party: party.config.id });
    const response = await acceptWebhook(request, party, correlationId, deps);
    deps.logger.info('webhook handled', { ...log, status: response.status, ...summary(response.body) });
    return withCorrelation(response, correlationId);
  } catch (error) {
    const rejection = error instanceof IngressRejection ? error : unexpected(error);
    deps.metrics.add(MetricName.WebhookRejected, 'Count', 1, { Reason: rejection.code });
    const level = rejection.status >= 500 ? 'error' : 'info';
    deps.logger[level]('webhook rejected', {
      ...log,
      status: rejection.status,
      code: rejection.code,
      fields: rejection.fieldErrors ? Object.keys(rejection.fieldErrors) : undefined,
      ...(rejection.status >= 500 ? { error: describeCause(error) } : {}),
    });
    return withCorrelation(
      {
        status: rejection.status,
        headers: { 'content-type': 'application/json', ...rejection.headers },
        body: errorBody(rejection.code, rejection.message, rejection.fieldErrors),
      },
      correlationId,
    );
  }
}

async function acceptWebhook(
  request: IngressRequest,
  party: RegisteredParty,
  correlationId: string,
  deps: IngressDeps,
): Promise<IngressResponse> {
  if (request.method.toUpperCase() !== 'POST') {
    throw new IngressRejection('method_not_allowed', 'webhooks are sent with POST');
  }
  checkBodySize(request.rawBody, request.bodyTruncated);
  checkContentType(request.headers['content-type']);

  const secret = await readSecret(party, deps.secrets);
  const verification = party.verifier.verify(
    { headers: request.headers, rawBody: request.rawBody },
    secret.webhookSecrets,
    deps.clock.now(),
  );
  if (!verification.ok) throw new IngressRejection(verification.code, verification.message);

  const body = parseJsonBody(request.rawBody);
  const mapped = await mapEvent(party, body, {
    party: party.config,
    secret,
    headers: request.headers,
    now: deps.clock.now(),
    logger: deps.logger,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  if (mapped.outcome === 'invalid') {
    throw new IngressRejection('source_invalid', mapped.message, { fieldErrors: mapped.fieldErrors });
  }
  const eventId = deriveEventId({
    webhookId: verification.webhookId,
    sourceEventId: mapped.eventId,
    idempotencyKey: request.headers['idempotency-key'],
    rawBody: request.rawBody,
  });
  if (mapped.outcome === 'ignored') {
    deps.metrics.add(MetricName.WebhookIgnored, 'Count', 1, { Party: party.config.id });
    return json(202, { accepted: 0, ignored: mapped.reason });
  }

  const payloads = validateAll(mapped.payloads);
  const unresolved = mapped.unresolvedRecipients?.length
    ? { unresolvedRecipients: mapped.unresolvedRecipients }
    : {};
  if (isDryRun(request.query)) {
    return json(200, {
      dryRun: true,
      event: mapped.event,
      eventId,
      requests: payloads.map((validated) => ({
        method: 'POST',
        url: endpointUrl(validated.kind, party.config.target).href,
        headers: {
          authorization: 'Workspace365 <the party key from its secret>',
          'content-type': 'application/json',
        },
        body: validated.payload,
      })),
      ...unresolved,
    });
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
      correlationId,
    }),
  );
  checkMessageSizes(messages);

  const result = await enqueueOnce(`${party.config.id}:${eventId}`, messages, deps);
  if (!result.first) {
    deps.metrics.add(MetricName.WebhookDuplicate, 'Count', 1, { Party: party.config.id });
    return json(202, { accepted: 0, duplicate: true });
  }
  deps.metrics.add(MetricName.DeliveryQueued, 'Count', messages.length, { Party: party.config.id });
  return json(202, { accepted: messages.length, ids: result.value.ids, ...unresolved });
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

async function readSecret(party: RegisteredParty, secrets: SecretStore) {
  try {
    return await secrets.get(party.config.secretName);
  } catch (error) {
    if (error instanceof SecretUnavailableError) {
      throw new IngressRejection(
        'secret_unavailable',
        "the relay cannot read this party's secret; try again later",
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

async function enqueueOnce(key: string, messages: EncodedQueueMessage[], deps: IngressDeps) {
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

function isDryRun(query: IngressRequest['query']): boolean {
  const value = query.dryRun ?? query.dryrun;
  return value !== undefined && value !== '0' && value !== 'false';
}

function json(status: number, body: unknown): IngressResponse {
  return { status, headers: { 'content-type': 'application/json' }, body };
}

function withCorrelation(response: IngressResponse, correlationId: string): IngressResponse {
  return { ...response, headers: { ...response.headers, 'x-correlation-id': correlationId } };
}

function unexpected(error: unknown): IngressRejection {
  return new IngressRejection('internal_error', 'the relay failed unexpectedly; nothing was accepted', {
    cause: error,
  });
}

/** Error name and message for the log; our own errors never carry secrets or bodies in their message. */
function describeCause(error: unknown): string {
  const cause = error instanceof IngressRejection && error.cause ? error.cause : error;
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : 'unknown error';
}

function summary(body: unknown): Record<string, unknown> {
  const { accepted, duplicate, ignored } = (body ?? {}) as Record<string, unknown>;
  return { accepted, duplicate, ignored };
}
