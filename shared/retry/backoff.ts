/**
 * The retry delay of a delivery: exponential backoff with jitter (AWS Architecture Blog, "Exponential
 * Backoff And Jitter"), never shorter than the server's Retry-After, applied as an SQS visibility timeout.
 * "Equal jitter" (the default) draws from the upper half of the ceiling, so a late retry never comes
 * early; "full jitter" draws from 0 … ceiling (the relay's earlier behaviour).
 */

export const JITTER_MODES = ['equal', 'full'] as const;
export type JitterMode = (typeof JITTER_MODES)[number];

/** SQS refuses a visibility timeout above 12 hours. */
export const MAX_VISIBILITY_TIMEOUT_SECONDS = 43_200;

export type BackoffPolicy = {
  /** Ceiling of the first delay, in seconds. */
  baseSeconds: number;
  /** Largest ceiling, in seconds. */
  capSeconds: number;
  /** How the delay is drawn below the ceiling. @default 'equal' */
  jitter?: JitterMode;
};

/** The upper bound of the jittered delay after the n-th receive: `min(cap, base · 2^(n−1))`. */
export function backoffCeilingSeconds(receiveCount: number, policy: BackoffPolicy): number {
  const exponent = Math.max(0, Math.floor(receiveCount) - 1);
  // 2^1024 is Infinity, which min() turns into the cap: no overflow for large receive counts.
  return Math.min(policy.capSeconds, policy.baseSeconds * 2 ** exponent);
}

/** Rounds up to whole seconds (what SQS takes) and keeps the result within 0 … 12 h. */
export function clampVisibilityTimeout(seconds: number): number {
  if (Number.isNaN(seconds) || seconds <= 0) return 0;
  // Infinity (an absurd Retry-After) lands on the maximum too.
  return Math.min(MAX_VISIBILITY_TIMEOUT_SECONDS, Math.ceil(seconds));
}

export type RetryDelayInput = {
  /** Receives so far, this one included (SQS `ApproximateReceiveCount`). */
  receiveCount: number;
  policy: BackoffPolicy;
  /** The server's `Retry-After`, in seconds: a floor for the delay. */
  retryAfterSeconds?: number | undefined;
  /** Uniform in [0, 1); injected so tests can pin the jitter. */
  random: () => number;
};

/** The lowest delay a jitter mode can draw below `ceiling`: half of it (equal), or nothing (full). */
export function backoffFloorSeconds(ceiling: number, jitter: JitterMode = 'equal'): number {
  return jitter === 'full' ? 0 : ceiling / 2;
}

/**
 * Whole seconds until the next attempt: `random(floor, ceiling)` rounded up (so within ⌈floor⌉ … ⌈ceiling⌉),
 * raised to Retry-After when that is later, clamped to what SQS accepts. Retry-After may exceed the cap:
 * the server said when, and it knows.
 */
export function retryDelaySeconds(input: RetryDelayInput): number {
  const ceiling = backoffCeilingSeconds(input.receiveCount, input.policy);
  const floor = backoffFloorSeconds(ceiling, input.policy.jitter);
  const raw = input.random();
  // A broken source (NaN, out of range) must not cancel the Retry-After floor.
  const draw = Number.isNaN(raw) ? 0 : Math.min(Math.max(raw, 0), 1);
  const jittered = floor + draw * (ceiling - floor);
  return clampVisibilityTimeout(Math.max(jittered, input.retryAfterSeconds ?? 0));
}
