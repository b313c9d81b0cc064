import { PollStop } from './poll-stop';

export type SourceApiOptions = {
  /** The API base URL from the party's `poll.baseUrl`. */
  baseUrl: string;
  /** The credential header (`X-API-KEY` or `Authorization: Bearer`); never logged. */
  headers: Readonly<Record<string, string>>;
  fetch: typeof fetch;
  /** Per request. @default 10000 */
  timeoutMs?: number;
};

export type SourceApi = {
  /** GET a JSON document; any answer but 2xx JSON is a `PollStop` with its reason. */
  get(
    path: string,
    query?: Readonly<Record<string, string | number | boolean | undefined>>,
  ): Promise<unknown>;
};

/** Longest wait honoured from a `Retry-After` header (a larger value is capped, not ignored). */
const MAX_RETRY_AFTER_SECONDS = 3600;
const DEFAULT_RETRY_AFTER_SECONDS = 60;

/**
 * A read-only client of a source API, classifying answers the way the poller acts on them
 * (docs/polling.md): 429 → rate_limited with its Retry-After, 5xx/network/timeout → source_unavailable,
 * 401/403 → auth_failed, anything else → bad_response. Messages name the path and status, never a body.
 */
export function createSourceApi(options: SourceApiOptions): SourceApi {
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    async get(path, query = {}) {
      const url = new URL(`${base}${path}`);
      for (const [name, value] of Object.entries(query)) {
        if (value !== undefined) url.searchParams.set(name, String(value));
      }
      let response: Response;
      try {
        response = await options.fetch(url, {
          headers: { accept: 'application/json', ...options.headers },
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw new PollStop('source_unavailable', `GET ${path} failed: ${describe(error)}`, undefined, {
          cause: error,
        });
      }
      if (response.status === 429) {
        await response.body?.cancel();
        const wait = retryAfterSeconds(response.headers.get('retry-after'));
        throw new PollStop('rate_limited', `GET ${path} answered 429; next poll after ${wait} s`, wait);
      }
      if (response.status === 401 || response.status === 403) {
        await response.body?.cancel();
        throw new PollStop(
          'auth_failed',
          `GET ${path} answered ${response.status}: the party's API credential is missing, wrong or lacks permission`,
        );
      }
      if (response.status >= 500) {
        await response.body?.cancel();
        const wait = response.headers.has('retry-after')
          ? retryAfterSeconds(response.headers.get('retry-after'))
          : undefined;
        throw new PollStop('source_unavailable', `GET ${path} answered ${response.status}`, wait);
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new PollStop('bad_response', `GET ${path} answered ${response.status}`);
      }
      try {
        return await response.json();
      } catch (error) {
        throw new PollStop('bad_response', `GET ${path} did not answer JSON`, undefined, { cause: error });
      }
    },
  };
}

/** Seconds from a Retry-After header (seconds or an HTTP date), within [1, 3600]. */
export function retryAfterSeconds(value: string | null, now = Date.now()): number {
  if (value === null || value.trim() === '') return DEFAULT_RETRY_AFTER_SECONDS;
  const seconds = /^\d+$/.test(value.trim())
    ? Number(value.trim())
    : Math.ceil((Date.parse(value) - now) / 1000);
  if (!Number.isFinite(seconds)) return DEFAULT_RETRY_AFTER_SECONDS;
  return Math.min(Math.max(seconds, 1), MAX_RETRY_AFTER_SECONDS);
}

function describe(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out';
  return error instanceof Error ? `${error.name}: ${error.message}` : 'network error';
}
