import type { ChaosOptions } from '../../../devkit/workspace365-sandbox';

/** Everything a chaos run can be tuned with from the environment; the defaults are the brief's run. */
export type ChaosSettings = {
  /** Distinct webhooks sent (`CHAOS_WEBHOOKS`). @default 10000 */
  webhooks: number;
  /** Webhooks in flight at once (`CHAOS_CONCURRENCY`). @default 32 */
  concurrency: number;
  /** Seed of the sandbox's fault draws (`CHAOS_SEED`), so a failing run can be replayed. @default 365 */
  seed: number;
  /** The worker's per-request timeout towards Workspace 365 (`CHAOS_CLIENT_TIMEOUT_MS`); long enough that a slow answer on a busy CI machine is not mistaken for a lost one. @default 2500 */
  clientTimeoutMs: number;
  /** How long the queue may take to drain once everything is posted (`CHAOS_DRAIN_TIMEOUT_MS`). @default 600000 */
  drainTimeoutMs: number;
  /** One webhook in this many must fail for good: the sandbox answers it 400. @default 100 */
  permanentFailureEvery: number;
  /** One webhook in this many is sent again by its sender after the 202 (same event id). @default 50 */
  senderRetryEvery: number;
  faults: ChaosOptions;
};

export function readChaosSettings(env: NodeJS.ProcessEnv = process.env): ChaosSettings {
  const seed = whole(env.CHAOS_SEED, 365, 'CHAOS_SEED');
  return {
    webhooks: whole(env.CHAOS_WEBHOOKS, 10_000, 'CHAOS_WEBHOOKS'),
    concurrency: whole(env.CHAOS_CONCURRENCY, 32, 'CHAOS_CONCURRENCY'),
    seed,
    clientTimeoutMs: whole(env.CHAOS_CLIENT_TIMEOUT_MS, 2500, 'CHAOS_CLIENT_TIMEOUT_MS'),
    drainTimeoutMs: whole(env.CHAOS_DRAIN_TIMEOUT_MS, 600_000, 'CHAOS_DRAIN_TIMEOUT_MS'),
    permanentFailureEvery: 100,
    senderRetryEvery: 50,
    // The brief's mix: 5 % 500s, 1 % timeouts, 1 % connection resets, and some 429s with Retry-After.
    faults: {
      error500Rate: 0.05,
      timeoutRate: 0.01,
      resetRate: 0.01,
      rate429: 0.02,
      retryAfterSeconds: 1,
      seed,
    },
  };
}

function whole(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`${name} must be a whole number ≥ 1`);
  return parsed;
}
