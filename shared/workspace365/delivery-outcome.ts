import { ApiErrorResponse } from './responses';
import { parseRetryAfter } from './retry-after';

/**
 * What one POST to Workspace 365 came to, as the delivery worker acts on it (docs/architecture.md §1, worker step 4).
 * Outcomes never carry request headers, so the API key cannot travel with them.
 */
export type DeliveryOutcome =
  /** 2xx: the activity exists. `activityIds` is empty when the body was not the documented shape. */
  | { type: 'delivered'; status: number; activityIds: number[]; latencyMs: number }
  /** 400, 404 and every other 4xx not listed below (and redirects): sending it again will not help. */
  | { type: 'rejected'; status: number; error: ApiErrorResponse; latencyMs: number }
  /** The key is wrong, revoked or lacks the Activity scope, or the environment is inactive. */
  | { type: 'unauthorized'; status: 401 | 403; latencyMs: number }
  /** 408, 429, 5xx, our timeout or a connection error: try again later (not before `retryAfterSeconds`). */
  | {
      type: 'retryable';
      status?: number;
      reason: 'http' | 'timeout' | 'network';
      /** For `network`: what failed, e.g. `ENOTFOUND intranet.example.invalid (DNS)`; no message text. */
      cause?: string;
      retryAfterSeconds?: number;
      /** For `network`: the connection error's code (e.g. `ECONNRESET`), never its message. */
      netError?: string;
      latencyMs: number;
    };

export type DeliveryOutcomeType = DeliveryOutcome['type'];

/** Statuses worth retrying: the server was busy, slow or broken, not the request. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** An HTTP answer, reduced to what classification needs. */
export type ReceivedResponse = {
  status: number;
  /** The parsed JSON body, or `undefined` when there was none, it was not JSON or it was too large. */
  body: unknown;
  retryAfter?: string | null;
};

/** Maps an HTTP answer to its outcome. Pure, so every rule is unit-tested without a server. */
export function classifyResponse(
  response: ReceivedResponse,
  context: { latencyMs: number; now: Date },
): DeliveryOutcome {
  const { status, body } = response;
  const { latencyMs } = context;
  if (status >= 200 && status < 300) {
    return { type: 'delivered', status, activityIds: activityIdsOf(body), latencyMs };
  }
  if (status === 401 || status === 403) return { type: 'unauthorized', status, latencyMs };
  if (isRetryableStatus(status)) {
    const retryAfterSeconds = parseRetryAfter(response.retryAfter, context.now);
    return retryAfterSeconds === undefined
      ? { type: 'retryable', status, reason: 'http', latencyMs }
      : { type: 'retryable', status, reason: 'http', retryAfterSeconds, latencyMs };
  }
  return { type: 'rejected', status, error: apiErrorOf(status, body), latencyMs };
}

/** The ids of the created activities: from the single object (`id`) or each entry of the batch array. */
export function activityIdsOf(body: unknown): number[] {
  const entries = Array.isArray(body) ? body : [body];
  const ids: number[] = [];
  for (const entry of entries) {
    if (typeof entry !== 'object' || entry === null) continue;
    const id: unknown = (entry as { id?: unknown }).id;
    if (typeof id === 'number' && Number.isSafeInteger(id)) ids.push(id);
  }
  return ids;
}

/**
 * The documented ApiErrorResponse when the body is one (it names a global or at least one field error);
 * otherwise a global error saying what came back, so a dead-lettered message always carries a reason.
 */
export function apiErrorOf(status: number, body: unknown): ApiErrorResponse {
  const parsed = ApiErrorResponse.safeParse(body);
  if (parsed.success && (parsed.data.globalError || parsed.data.fieldErrors)) return parsed.data;
  return {
    globalError: { message: `Workspace 365 answered ${status}${hintFor(status)} with an undocumented body` },
  };
}

function hintFor(status: number): string {
  if (status === 404) return ' (not found: check the base URL and environment name)';
  if (status >= 300 && status < 400) return ' (a redirect, which is not followed: check the base URL)';
  return '';
}
