import { describeConnectionProblem } from './connection-problem';
import { classifyResponse, type DeliveryOutcome } from './delivery-outcome';
import { endpointUrl } from './endpoint';
import type { Activity, BatchActivity, PayloadKind } from './schemas';

export type { DeliveryOutcome } from './delivery-outcome';
export { endpointUrl, InvalidTargetError } from './endpoint';
export { parseRetryAfter } from './retry-after';

/** Where to deliver: the same fields as `PartyTarget` in the relay config, so a party's target fits. */
export type Workspace365Target = { baseUrl: string; environment: string; language?: string };

export type PostOptions = {
  /** Sent as `Idempotency-Key` (the worker uses the queue message id). */
  idempotencyKey?: string;
  /** Sent as `X-Correlation-Id`, so one webhook can be followed across systems. */
  correlationId?: string;
  /** Aborting it ends the request early; the outcome is then `retryable` with reason `timeout`. */
  signal?: AbortSignal;
};

export interface Workspace365Client {
  postActivity(
    target: Workspace365Target,
    apiKey: string,
    payload: Activity,
    options?: PostOptions,
  ): Promise<DeliveryOutcome>;
  postBatchActivity(
    target: Workspace365Target,
    apiKey: string,
    payload: BatchActivity,
    options?: PostOptions,
  ): Promise<DeliveryOutcome>;
  /** Picks the endpoint by kind (`ENDPOINT_PATH`). */
  post(
    kind: PayloadKind,
    target: Workspace365Target,
    apiKey: string,
    payload: unknown,
    options?: PostOptions,
  ): Promise<DeliveryOutcome>;
}

export type Workspace365ClientOptions = {
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Whole request, body included. @default 10000 */
  timeoutMs?: number;
  /** @default DEFAULT_USER_AGENT */
  userAgent?: string;
  /** Wall clock in epoch milliseconds, for latency and HTTP-date `Retry-After`. @default Date.now */
  now?: () => number;
};

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_USER_AGENT = 'webhook-relay-workspace365/0.1';
/** Responses are small JSON documents; anything bigger is not the documented shape and is not read. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

/** A key that cannot be sent as a header value. The message never contains the key. */
export class InvalidApiKeyError extends Error {
  override readonly name = 'InvalidApiKeyError';
  constructor() {
    super('the Workspace 365 API key is empty or contains characters that are not allowed in a header');
  }
}

// Visible ASCII only: no spaces, no CR/LF that could split headers.
const API_KEY = /^[\x21-\x7E]+$/;

/**
 * Every header of a delivery request. The ingress dry run shows the same list (with the key masked),
 * so what a sender previews is what the worker sends.
 */
export function workspace365Headers(request: {
  apiKey: string;
  target: Pick<Workspace365Target, 'language'>;
  userAgent?: string;
  idempotencyKey?: string | undefined;
  correlationId?: string | undefined;
}): Record<string, string> {
  const headers: Record<string, string> = {
    Authorization: `Workspace365 ${request.apiKey}`,
    'Content-Type': 'application/json',
    Accept: 'application/json',
    'User-Agent': request.userAgent ?? DEFAULT_USER_AGENT,
  };
  if (request.target.language) headers['Accept-Language'] = request.target.language;
  if (request.idempotencyKey) headers['Idempotency-Key'] = request.idempotencyKey;
  if (request.correlationId) headers['X-Correlation-Id'] = request.correlationId;
  return headers;
}

export function createWorkspace365Client(options: Workspace365ClientOptions = {}): Workspace365Client {
  // Looked up per call, so a fetch stubbed after the client was built is still used.
  const fetchImpl: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  const now = options.now ?? Date.now;

  async function post(
    kind: PayloadKind,
    target: Workspace365Target,
    apiKey: string,
    payload: unknown,
    postOptions: PostOptions = {},
  ): Promise<DeliveryOutcome> {
    if (!API_KEY.test(apiKey)) throw new InvalidApiKeyError();
    const url = endpointUrl(kind, target);
    const headers = workspace365Headers({
      apiKey,
      target,
      userAgent,
      idempotencyKey: postOptions.idempotencyKey,
      correlationId: postOptions.correlationId,
    });
    // Checked before the request so a bad header value fails loudly instead of looking like a network error.
    new Headers(headers);
    const body = JSON.stringify(payload);

    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = postOptions.signal ? AbortSignal.any([timeout, postOptions.signal]) : timeout;
    const started = now();
    let response: Response;
    try {
      // Redirects are not followed: a POST must not be replayed elsewhere with the key attached.
      response = await fetchImpl(url, { method: 'POST', headers, body, signal, redirect: 'manual' });
    } catch (error) {
      // Only the error's code and address are kept, never its message: undici messages can quote header values.
      const latencyMs = now() - started;
      if (signal.aborted) return { type: 'retryable', reason: 'timeout', latencyMs };
      const netError = errorCode(error);
      return {
        type: 'retryable',
        reason: 'network',
        ...(netError ? { netError } : {}),
        cause: describeConnectionProblem(error, url),
        latencyMs,
      };
    }
    const text = await readText(response, MAX_RESPONSE_BYTES);
    const finished = now();
    return classifyResponse(
      { status: response.status, body: parseJson(text), retryAfter: response.headers.get('retry-after') },
      { latencyMs: finished - started, now: new Date(finished) },
    );
  }

  return {
    post,
    postActivity: (target, apiKey, payload, postOptions) =>
      post('activity', target, apiKey, payload, postOptions),
    postBatchActivity: (target, apiKey, payload, postOptions) =>
      post('batch', target, apiKey, payload, postOptions),
  };
}

/**
 * Reads the body as text, up to `limit` bytes. Once the status is known the outcome is decided by it, so
 * a body that is too large, or a connection that breaks while reading it, just means "no usable body".
 */
async function readText(response: Response, limit: number): Promise<string | undefined> {
  const stream = response.body;
  if (!stream) return '';
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        return undefined;
      }
      chunks.push(value);
    }
  } catch {
    return undefined;
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `ECONNRESET`, `UND_ERR_SOCKET`, …: the code of a fetch failure or of its cause, when it is a plain code. */
function errorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 3; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined || text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
