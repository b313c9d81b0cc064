import type { RegisteredParty } from '../../shared/ingress/party-registry';
import { type PollRunDeps, runPolls } from '../../shared/polling/poll-runner';

export type LocalPoller = {
  /** Waits for a run in progress, then stops the timer. */
  stop(): Promise<void>;
};

/**
 * Local mode's stand-in for the EventBridge schedule: every `tickMs` the same runner as the poller
 * Lambda looks for polled parties that are due (each party's `poll.intervalSeconds`).
 */
export function startLocalPoller(
  deps: PollRunDeps & { parties: readonly RegisteredParty[] },
  tickMs: number,
): LocalPoller | undefined {
  const polled = deps.parties;
  if (polled.length === 0) return undefined;
  let running: Promise<unknown> | undefined;
  const tick = () => {
    if (running) return;
    running = runPolls(polled, deps, { deadline: Date.now() + Math.max(tickMs, 30_000) })
      .catch((error: unknown) => deps.logger.error('poll run failed', { error: (error as Error).message }))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, tickMs);
  tick();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
