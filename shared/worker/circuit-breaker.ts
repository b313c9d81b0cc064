import { randomUUID } from 'node:crypto';
import type { CircuitState, CircuitStateStore, StoredCircuit } from '../ports/circuit-state-store';

/**
 * A circuit breaker per Workspace 365 environment, shared by every worker through a `CircuitStateStore`
 * (docs/outage.md). Closed: post. Open: do not post until `retryAt`; then one worker wins the single
 * probe (half-open) with a compare-and-set, and its result closes or re-opens the breaker for everyone.
 *
 * Each worker counts consecutive failures itself and touches the store only on a transition, or to look
 * at the shared state at most every `cacheSeconds`: a few requests per environment per minute, whatever
 * the traffic.
 */

export type CircuitBreakerSettings = {
  /** Consecutive transient failures seen by this worker that open the breaker. */
  failureThreshold: number;
  /** Seconds from opening (or a failed probe) to the next probe. */
  cooldownSeconds: number;
  /** A Retry-After answer pauses the environment until then, with no run of failures needed. */
  pauseOnRetryAfter: boolean;
  /** How long a worker trusts its copy of a closed (or probing) breaker. @default 10 */
  cacheSeconds?: number;
  /** How long one probe may take before another worker may probe instead. @default 30 */
  probeLeaseSeconds?: number;
};

/** What the worker may do for one message. */
export type CircuitPermit =
  | { type: 'closed' }
  /** This worker holds the probe: post, and report the result. */
  | { type: 'probe'; probeId: string }
  /** Do not post before `retryAt` (epoch ms); the breaker has been open since `openedAt`. */
  | { type: 'open'; retryAt: number; openedAt: number };

/**
 * What the environment did with a request: `up` = it answered (2xx, 4xx, 401/403: the environment works,
 * whatever it thought of the request), `down` = 5xx, 408, 429, timeout or connection error.
 */
export type EnvironmentResult = { up: true } | { up: false; retryAfterSeconds?: number | undefined };

export type CircuitTransition = {
  key: string;
  to: 'open' | 'closed' | 'reopened';
  /** Why it opened; on close, why it had been open. */
  cause: 'failures' | 'retry-after';
  /** Since when it has been open (epoch ms). */
  openedAt: number;
  /** When the next probe may go (open, reopened). */
  retryAt?: number;
};

export interface CircuitBreakers {
  readonly cooldownSeconds: number;
  permit(key: string): Promise<CircuitPermit>;
  /** After a permitted request; `undefined` when no request was made after all (releases a probe). */
  report(key: string, permit: CircuitPermit, result: EnvironmentResult | undefined): Promise<void>;
}

export type CircuitBreakerDeps = {
  store: CircuitStateStore;
  settings: CircuitBreakerSettings;
  /** Epoch milliseconds. */
  now: () => number;
  /** Told once per transition, by the worker whose write made it. */
  onTransition?: (transition: CircuitTransition) => void;
  /** The store failed; the breaker then lets requests through (delivery must not depend on it). */
  onStoreError?: (error: unknown, during: 'read' | 'write') => void;
  newProbeId?: () => string;
};

type Entry = { stored: StoredCircuit | undefined; fetchedAt: number; failures: number };

const CLOSED: CircuitPermit = { type: 'closed' };
/** Compare-and-set rounds before a worker gives up on a transition (someone else is making it). */
const MAX_ROUNDS = 3;

export function createCircuitBreakers(deps: CircuitBreakerDeps): CircuitBreakers {
  const { store, settings } = deps;
  const cacheMs = (settings.cacheSeconds ?? 10) * 1000;
  const cooldownMs = settings.cooldownSeconds * 1000;
  const leaseMs = (settings.probeLeaseSeconds ?? 30) * 1000;
  const newProbeId = deps.newProbeId ?? randomUUID;
  const entries = new Map<string, Entry>();

  const entryOf = (key: string): Entry => {
    let entry = entries.get(key);
    if (!entry) {
      entry = { stored: undefined, fetchedAt: Number.NEGATIVE_INFINITY, failures: 0 };
      entries.set(key, entry);
    }
    return entry;
  };

  /** Reads the shared state into the entry; `false` when the store failed. */
  const refresh = async (key: string, entry: Entry): Promise<boolean> => {
    try {
      entry.stored = await store.read(key);
      entry.fetchedAt = deps.now();
      return true;
    } catch (error) {
      deps.onStoreError?.(error, 'read');
      // Trust the old copy a while longer rather than hammer a failing store.
      entry.fetchedAt = deps.now();
      return false;
    }
  };

  /** Writes a transition; updates the entry on success. `undefined` when the store failed. */
  const write = async (key: string, entry: Entry, next: CircuitState): Promise<boolean | undefined> => {
    const version = entry.stored?.version ?? 0;
    try {
      const won = await store.compareAndSet(key, version, next);
      if (won) {
        entry.stored = { state: next, version: version + 1 };
        entry.fetchedAt = deps.now();
      }
      return won;
    } catch (error) {
      deps.onStoreError?.(error, 'write');
      return undefined;
    }
  };

  const isStale = (entry: Entry, now: number): boolean => {
    const state = entry.stored?.state;
    // An open breaker cannot change before its retryAt except by being extended: no read needed till then.
    if (state?.status === 'open') return now >= state.retryAt;
    if (state?.status === 'half-open' && now >= state.probeUntil) return true;
    return now - entry.fetchedAt >= cacheMs;
  };

  const permit = async (key: string): Promise<CircuitPermit> => {
    const entry = entryOf(key);
    if (isStale(entry, deps.now())) await refresh(key, entry);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const now = deps.now();
      const state = entry.stored?.state;
      if (!state || state.status === 'closed') return CLOSED;
      if (state.status === 'open' && now < state.retryAt) {
        return { type: 'open', retryAt: state.retryAt, openedAt: state.openedAt };
      }
      if (state.status === 'half-open' && now < state.probeUntil) {
        // Someone is probing: look again when its answer should be in, or after a cool-down at most.
        return {
          type: 'open',
          retryAt: Math.min(state.probeUntil, now + cooldownMs),
          openedAt: state.openedAt,
        };
      }
      // Open past its retryAt, or a probe whose holder went quiet: try to become the prober.
      const probeId = newProbeId();
      const won = await write(key, entry, {
        status: 'half-open',
        openedAt: state.openedAt,
        probeId,
        probeUntil: now + leaseMs,
      });
      if (won === undefined) return CLOSED;
      if (won) return { type: 'probe', probeId };
      await refresh(key, entry);
    }
    const openedAt = openedAtOf(entry.stored?.state) ?? deps.now();
    return { type: 'open', retryAt: deps.now() + cooldownMs, openedAt };
  };

  /** Opens (or extends a Retry-After pause of) the breaker from whatever state this worker last saw. */
  const open = async (key: string, entry: Entry, retryAt: number, cause: 'failures' | 'retry-after') => {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const state = entry.stored?.state;
      if (state?.status === 'half-open') return; // a probe is out; its result decides
      if (state?.status === 'open') {
        if (cause !== 'retry-after' || state.retryAt >= retryAt) return; // already open long enough
        const won = await write(key, entry, { ...state, retryAt, cause });
        if (won !== false) return;
      } else {
        const openedAt = deps.now();
        const won = await write(key, entry, { status: 'open', openedAt, retryAt, cause });
        if (won === undefined) return;
        if (won) {
          entry.failures = 0;
          deps.onTransition?.({ key, to: 'open', cause, openedAt, retryAt });
          return;
        }
      }
      await refresh(key, entry);
    }
  };

  const report = async (key: string, permit: CircuitPermit, result: EnvironmentResult | undefined) => {
    const entry = entryOf(key);
    const now = deps.now();
    const state = entry.stored?.state;
    const mine = permit.type === 'probe' && state?.status === 'half-open' && state.probeId === permit.probeId;
    if (result === undefined) {
      // No request was made: hand the probe back so the next worker probes at once.
      if (mine)
        await write(key, entry, {
          status: 'open',
          openedAt: state.openedAt,
          retryAt: now,
          cause: 'failures',
        });
      return;
    }
    if (result.up) {
      entry.failures = 0;
      if (!mine) return;
      if (await write(key, entry, { status: 'closed' })) {
        deps.onTransition?.({ key, to: 'closed', cause: 'failures', openedAt: state.openedAt });
      }
      return;
    }
    const pause =
      settings.pauseOnRetryAfter && result.retryAfterSeconds !== undefined && result.retryAfterSeconds > 0
        ? result.retryAfterSeconds * 1000
        : 0;
    const cause = pause > 0 ? 'retry-after' : 'failures';
    const retryAt = now + Math.max(pause, pause > 0 ? 0 : cooldownMs);
    if (mine) {
      const reopened = {
        status: 'open',
        openedAt: state.openedAt,
        retryAt: now + Math.max(pause, cooldownMs),
        cause,
      } as const;
      if (await write(key, entry, reopened)) {
        deps.onTransition?.({
          key,
          to: 'reopened',
          cause,
          openedAt: state.openedAt,
          retryAt: reopened.retryAt,
        });
      }
      return;
    }
    if (permit.type !== 'closed') return;
    entry.failures += 1;
    if (pause > 0 || entry.failures >= settings.failureThreshold) await open(key, entry, retryAt, cause);
  };

  return { cooldownSeconds: settings.cooldownSeconds, permit, report };
}

function openedAtOf(state: CircuitState | undefined): number | undefined {
  return state && state.status !== 'closed' ? state.openedAt : undefined;
}

/** The breaker key of a party's target: its base URL and environment (parties posting there share it). */
export function environmentKey(target: { baseUrl: string; environment: string }): string {
  return `${target.baseUrl.replace(/\/+$/, '')}/${target.environment}`;
}
