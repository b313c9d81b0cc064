import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { RegisteredParty } from '../../shared/ingress/party-registry';
import { PowertoolsRelayMetrics } from '../../shared/observability/powertools-metrics';
import { publishMetrics } from '../../shared/observability/publish-metrics';
import { type PollRunDeps, runPolls } from '../../shared/polling/poll-runner';

export type PollerHandlerDeps = PollRunDeps & {
  parties: readonly RegisteredParty[];
  /** Parties polled at the same time. */
  concurrency: number;
  /** Time kept free at the end of the invocation: no page is started inside it. @default 5000 */
  marginMs?: number;
};

export type PollerResult = { polled: number; failed: number; skipped: number };

/**
 * The poller's Lambda handler (started by the schedule; the event carries nothing it needs): polls the
 * parties that are due within the invocation's remaining time; what it cannot finish resumes from the
 * checkpoints on the next run.
 */
export function createPollerHandler(deps: PollerHandlerDeps) {
  const handler = middy(async (_event: unknown, context: Context): Promise<PollerResult> => {
    const remaining = context.getRemainingTimeInMillis?.() ?? 60_000;
    const report = await runPolls(deps.parties, deps, {
      concurrency: deps.concurrency,
      deadline: Date.now() + remaining - (deps.marginMs ?? 5000),
    });
    return {
      polled: report.polled.length,
      failed: report.polled.filter((party) => party.status === 'failed').length,
      skipped: report.skipped.length,
    };
  });
  // A Powertools logger gets the Lambda context on every line; Powertools metrics go out per invocation as one EMF document.
  if (deps.logger instanceof Logger) handler.use(injectLambdaContext(deps.logger));
  if (deps.metrics instanceof PowertoolsRelayMetrics) handler.use(publishMetrics(deps.metrics));
  return handler;
}
