import type { RelayLogger } from '../../observability/logger';
import * as z from '../../zod';

/**
 * Resolves a WorkDrive user id to the user's e-mail address (used as the Workspace 365 UPN) with
 * the WorkDrive API: `GET {apiBaseUrl}/api/users/{id}` with `X-API-KEY` (reference 002 addresses
 * users as `/api/users/{id}`). Answers are cached per party: found users for `ttlMs`, unknown users
 * for `negativeTtlMs`; failures are not cached so the next event tries again.
 */

export type UserLookupOutcome =
  | { status: 'found'; upn: string }
  | { status: 'not-found' }
  | { status: 'failed'; reason: string };

export type UserLookupContext = {
  apiKey: string;
  fetch: typeof fetch;
  now: Date;
  logger: RelayLogger;
};

export type WorkDriveUserDirectoryOptions = {
  /** The WorkDrive API server, e.g. `https://api.workdrive.example` (a base already ending in `/api` works too). */
  apiBaseUrl: string;
  /** @default 15 minutes */
  ttlMs?: number;
  /** @default 5 minutes */
  negativeTtlMs?: number;
  /** Per request. @default 3000 */
  timeoutMs?: number;
  /** Oldest entries are dropped beyond this. @default 10000 */
  maxEntries?: number;
};

const Email = z.email();
/** The user object of reference 002; some deployments wrap it as `{ user: {...} }` or `{ data: {...} }`. */
const UserBody = z.union([
  z.looseObject({ email: Email }),
  z.pipe(
    z.looseObject({ user: z.looseObject({ email: Email }) }),
    z.transform((body) => body.user),
  ),
  z.pipe(
    z.looseObject({ data: z.looseObject({ email: Email }) }),
    z.transform((body) => body.data),
  ),
]);

type CacheEntry = { upn: string | undefined; expiresAt: number };

export class WorkDriveUserDirectory {
  readonly #usersEndpoint: string;
  readonly #ttlMs: number;
  readonly #negativeTtlMs: number;
  readonly #timeoutMs: number;
  readonly #maxEntries: number;
  readonly #cache = new Map<string, CacheEntry>();
  readonly #inFlight = new Map<string, Promise<UserLookupOutcome>>();

  constructor(options: WorkDriveUserDirectoryOptions) {
    const base = options.apiBaseUrl.replace(/\/+$/, '');
    this.#usersEndpoint = base.endsWith('/api') ? `${base}/users/` : `${base}/api/users/`;
    this.#ttlMs = options.ttlMs ?? 15 * 60_000;
    this.#negativeTtlMs = options.negativeTtlMs ?? 5 * 60_000;
    this.#timeoutMs = options.timeoutMs ?? 3_000;
    this.#maxEntries = options.maxEntries ?? 10_000;
  }

  async lookup(userId: string, context: UserLookupContext): Promise<UserLookupOutcome> {
    const cached = this.#cache.get(userId);
    if (cached !== undefined && cached.expiresAt > context.now.getTime()) {
      return cached.upn === undefined ? { status: 'not-found' } : { status: 'found', upn: cached.upn };
    }
    // Several recipients of one event, or concurrent events, share one request per user.
    const pending = this.#inFlight.get(userId);
    if (pending !== undefined) return pending;
    const request = this.#fetchUser(userId, context).finally(() => this.#inFlight.delete(userId));
    this.#inFlight.set(userId, request);
    return request;
  }

  async #fetchUser(userId: string, context: UserLookupContext): Promise<UserLookupOutcome> {
    let encodedId: string;
    try {
      encodedId = encodeURIComponent(userId);
    } catch {
      // A lone surrogate is no WorkDrive id: unknown (reported as unresolved), not an outage.
      return { status: 'not-found' };
    }
    let response: Response;
    try {
      response = await context.fetch(`${this.#usersEndpoint}${encodedId}`, {
        method: 'GET',
        headers: { accept: 'application/json', 'x-api-key': context.apiKey },
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      const reason = error instanceof Error && error.name === 'TimeoutError' ? 'timeout' : 'network error';
      return this.#failed(userId, reason, context.logger);
    }
    if (response.status === 404) {
      await response.body?.cancel();
      return this.#remember(userId, undefined, context.now);
    }
    if (!response.ok) {
      await response.body?.cancel();
      const reason = response.status === 401 || response.status === 403 ? 'API key rejected' : 'HTTP error';
      return this.#failed(userId, reason, context.logger, response.status);
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      return this.#failed(userId, 'response is not JSON', context.logger, response.status);
    }
    const user = UserBody.safeParse(body);
    // A user without a usable e-mail address cannot be addressed in Workspace 365: as good as unknown.
    return this.#remember(userId, user.success ? user.data.email : undefined, context.now);
  }

  #remember(userId: string, upn: string | undefined, now: Date): UserLookupOutcome {
    if (this.#cache.size >= this.#maxEntries) {
      const oldest = this.#cache.keys().next();
      if (!oldest.done) this.#cache.delete(oldest.value);
    }
    const ttl = upn === undefined ? this.#negativeTtlMs : this.#ttlMs;
    this.#cache.delete(userId);
    this.#cache.set(userId, { upn, expiresAt: now.getTime() + ttl });
    return upn === undefined ? { status: 'not-found' } : { status: 'found', upn };
  }

  #failed(userId: string, reason: string, logger: RelayLogger, status?: number): UserLookupOutcome {
    logger.warn('WorkDrive user lookup failed', {
      userId,
      reason,
      ...(status === undefined ? {} : { status }),
    });
    return { status: 'failed', reason };
  }
}
