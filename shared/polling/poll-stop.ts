/**
 * Why a party's poll stopped early (the `Reason` of `PollFailed`). Its checkpoint stays where the last
 * fully queued page left it, so the next run resumes there.
 */
export const POLL_FAILURE_REASONS = [
  'rate_limited',
  'source_unavailable',
  'auth_failed',
  'bad_response',
  'credentials_missing',
  'secret_unavailable',
  'queue_unavailable',
  'checkpoint_unavailable',
  'internal_error',
] as const;
export type PollFailureReason = (typeof POLL_FAILURE_REASONS)[number];

export class PollStop extends Error {
  override readonly name = 'PollStop';
  constructor(
    readonly reason: PollFailureReason,
    message: string,
    /** From the source's `Retry-After`: the party is not polled again before this many seconds. */
    readonly retryAfterSeconds?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
