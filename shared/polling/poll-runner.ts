import type { RegisteredParty } from '../ingress/party-registry';
import { MetricName } from '../observability/metric-names';
import type { RelayMetrics } from '../observability/metrics';
import * as z from '../zod';
import { type PartyPollDeps, type PartyPollReport, pollParty } from './poll-party';

export type PollRunDeps = PartyPollDeps & { metrics: RelayMetrics };

export type PollRunOptions = {
  /** Parties polled at the same time. @default 4 */
  concurrency?: number;
  /** Epoch ms after which no party and no page is started (the Lambda's timeout minus a margin). */
  deadline?: number;
  /** Poll even if the party's interval or a Retry-After says not yet (`relay poll`). @default false */
  force?: boolean;
  dryRun?: boolean;
};

export type PollRunReport = {
  polled: PartyPollReport[];
  /** Not due yet (interval or Retry-After), or left for the next run when time ran out. */
  skipped: { partyId: string; why: 'not_due' | 'out_of_time' }[];
};

/** When a party was last polled and when it may be polled again: a checkpoint of its own. */
export const SCHEDULE_RESOURCE = '_schedule';
const Schedule = z.object({ lastRunAt: z.number(), notBefore: z.optional(z.number()) });
type Schedule = z.output<typeof Schedule>;

/** A run started a little early by the scheduler's jitter still counts as due. */
const DUE_SLACK = 0.1;

/**
 * One scheduled run over the polled parties (docs/polling.md): each party that is due is polled, a few
 * at a time, until the deadline; metrics PollCompleted, PollFailed (Reason) and PollEventsFound, with no
 * per-party dimension (per-party detail is in the log line of each poll).
 */
export async function runPolls(
  parties: readonly RegisteredParty[],
  deps: PollRunDeps,
  options: PollRunOptions = {},
): Promise<PollRunReport> {
  const report: PollRunReport = { polled: [], skipped: [] };
  const queue = parties.filter((party) => party.config.poll !== undefined);
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const outOfTime = () => options.deadline !== undefined && Date.now() >= options.deadline;

  const next = async (): Promise<void> => {
    for (let party = queue.shift(); party !== undefined; party = queue.shift()) {
      const partyId = party.config.id;
      if (outOfTime()) {
        report.skipped.push({ partyId, why: 'out_of_time' });
        continue;
      }
      const schedule = await readSchedule(deps, partyId);
      const now = deps.clock.now().getTime();
      if (!options.force && !isDue(schedule, now, (party.config.poll?.intervalSeconds ?? 60) * 1000)) {
        report.skipped.push({ partyId, why: 'not_due' });
        continue;
      }
      const result = await pollParty(party, deps, {
        ...(options.dryRun ? { dryRun: true } : {}),
        ...(options.deadline === undefined ? {} : { deadline: options.deadline }),
      });
      report.polled.push(result);
      record(result, deps);
      if (!options.dryRun) {
        await saveSchedule(deps, partyId, {
          lastRunAt: now,
          ...(result.retryAfterSeconds === undefined
            ? {}
            : { notBefore: now + result.retryAfterSeconds * 1000 }),
        });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, next));
  return report;
}

function isDue(schedule: Schedule | undefined, now: number, intervalMs: number): boolean {
  if (schedule === undefined) return true;
  if (schedule.notBefore !== undefined && now < schedule.notBefore) return false;
  return now - schedule.lastRunAt >= intervalMs * (1 - DUE_SLACK);
}

function record(result: PartyPollReport, deps: PollRunDeps): void {
  deps.metrics.add(MetricName.PollEventsFound, 'Count', result.found);
  const fields = {
    partyId: result.partyId,
    found: result.found,
    queued: result.queued,
    ...(result.started.length > 0 ? { started: result.started } : {}),
  };
  if (result.status === 'completed') {
    deps.metrics.add(MetricName.PollCompleted, 'Count', 1);
    deps.logger.info('poll completed', fields);
    return;
  }
  // Per reason for the dashboard, and undimensioned for the "polls keep failing" alarm (docs/polling.md).
  deps.metrics.add(MetricName.PollFailed, 'Count', 1, { Reason: result.reason ?? 'internal_error' });
  deps.metrics.add(MetricName.PollFailed, 'Count', 1);
  const level = result.reason === 'rate_limited' || result.reason === 'source_unavailable' ? 'warn' : 'error';
  deps.logger[level]('poll failed', {
    ...fields,
    reason: result.reason,
    error: result.message,
    retryAfterSeconds: result.retryAfterSeconds,
  });
}

async function readSchedule(deps: PollRunDeps, partyId: string): Promise<Schedule | undefined> {
  try {
    const parsed = Schedule.safeParse(await deps.checkpoints.get(partyId, SCHEDULE_RESOURCE));
    return parsed.success ? parsed.data : undefined;
  } catch {
    // Without its schedule the party is polled now: its resource checkpoints still prevent duplicates.
    return undefined;
  }
}

async function saveSchedule(deps: PollRunDeps, partyId: string, schedule: Schedule): Promise<void> {
  try {
    await deps.checkpoints.put(partyId, SCHEDULE_RESOURCE, schedule);
  } catch (error) {
    deps.logger.warn('poll schedule not saved', { partyId, error: (error as Error).message });
  }
}
