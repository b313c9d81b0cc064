import { MetricName } from '../observability/metric-names';
import type { TraceFields, TraceStep } from '../observability/trace-fields';
import { type SecretStore, SecretUnavailableError } from '../ports/secret-store';
import { type AcceptEventDeps, acceptSourceEvent } from './accept-event';
import { checkBodySize, checkContentType, parseJsonBody } from './body';
import { correlationIdFor } from './correlation-id';
import { deriveEventId } from './event-id';
import type { PartyRegistry, RegisteredParty } from './party-registry';
import { errorBody, IngressRejection } from './rejection';
import type { IngressRequest, IngressResponse } from './request';

/** A duplicate event id within this window is answered 202 duplicate (docs/architecture.md §4). */
export const DEDUP_WINDOW_SECONDS = 24 * 60 * 60;

/** The ingress core's dependencies: the party registry and secrets, plus what the accept steps need. */
export type IngressDeps = AcceptEventDeps & {
  parties: PartyRegistry;
  secrets: SecretStore;
};

export { DRY_RUN_KEY_MASK } from './accept-event';

/**
 * The ingress pipeline (docs/architecture.md §1), host-independent. Order matters: party → size/content type →
 * verify the raw bytes → parse → source schema → map → W365 rules → dedup → queue → 202.
 * Every refusal is a 4xx/5xx in the W365 error shape with a code; nothing is queued unless all is.
 */
export async function handleWebhook(request: IngressRequest, deps: IngressDeps): Promise<IngressResponse> {
  const correlationId = correlationIdFor(request.headers['x-correlation-id'], request.requestId);
  const party = deps.parties.get(request.partyId);
  // Trace fields (docs/tracing.md); the event id joins once it is known, so later refusals carry it too.
  const log: TraceFields = { partyId: party ? request.partyId : undefined, correlationId };
  try {
    if (!party) throw new IngressRejection('party_unknown', 'no party is configured under this id');
    deps.metrics.add(MetricName.WebhookReceived, 'Count', 1);
    const response = await acceptWebhook(request, party, correlationId, deps, log);
    // One line per webhook: the step and ids say what happened (the counts in the answer add nothing).
    deps.logger.info('webhook handled', { ...log, ...stepOf(response.body), status: response.status });
    return withCorrelation(response, correlationId);
  } catch (error) {
    const rejection = error instanceof IngressRejection ? error : unexpected(error);
    deps.metrics.add(MetricName.WebhookRejected, 'Count', 1, { Reason: rejection.code });
    const level = rejection.status >= 500 ? 'error' : 'info';
    deps.logger[level]('webhook rejected', {
      ...log,
      step: 'rejected',
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
  log: TraceFields,
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
  const outcome = await acceptSourceEvent(party, body, {
    secret,
    headers: request.headers,
    correlationId,
    dryRun: isDryRun(request.query),
    eventIdFor: (sourceEventId) => {
      const eventId = deriveEventId({
        webhookId: verification.webhookId,
        sourceEventId,
        idempotencyKey: request.headers['idempotency-key'],
        rawBody: request.rawBody,
      });
      log.eventId = eventId;
      return eventId;
    },
    deps,
  });
  const unresolved = {
    ...('unresolvedRecipients' in outcome && outcome.unresolvedRecipients?.length
      ? { unresolvedRecipients: outcome.unresolvedRecipients }
      : {}),
    ...('dropped' in outcome && outcome.dropped?.length ? { dropped: outcome.dropped } : {}),
  };
  switch (outcome.outcome) {
    case 'ignored':
      deps.metrics.add(MetricName.WebhookIgnored, 'Count', 1);
      return json(202, { accepted: 0, ignored: outcome.reason });
    case 'dry-run':
      return json(200, {
        dryRun: true,
        event: outcome.event,
        eventId: outcome.eventId,
        requests: outcome.requests,
        ...unresolved,
      });
    case 'duplicate':
      deps.metrics.add(MetricName.WebhookDuplicate, 'Count', 1);
      return json(202, { accepted: 0, duplicate: true });
    case 'queued':
      return json(202, { accepted: outcome.ids.length, ids: outcome.ids, ...unresolved });
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

/**
 * The trace step of a 2xx answer, the delivery ids it queued and why the mapping ignored the event; a
 * dry run is not part of a trace.
 */
function stepOf(body: unknown): { step?: TraceStep; messageIds?: string[]; ignored?: unknown } {
  const { accepted, duplicate, ignored, ids, dryRun } = (body ?? {}) as Record<string, unknown>;
  if (dryRun === true) return {};
  if (duplicate === true) return { step: 'duplicate' };
  if (ignored !== undefined) return { step: 'ignored', ignored };
  if (typeof accepted === 'number' && Array.isArray(ids))
    return { step: 'accepted', messageIds: ids as string[] };
  return {};
}
