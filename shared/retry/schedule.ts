import { type BackoffPolicy, backoffCeilingSeconds, backoffFloorSeconds } from './backoff';

/**
 * The whole retry schedule a policy makes (README "Retry schedule", `relay config explain-retries`): when
 * each attempt of a delivery that keeps failing happens at the earliest and at the latest, counted from
 * its first attempt, and when it is dead-lettered. Delays are whole seconds (SQS visibility timeouts), so
 * the bounds are the rounded-up floor and ceiling of each wait.
 */

/** SQS keeps a message on the main queue this long (infra/constructs/relay-queues.ts uses it as the default). */
export const QUEUE_RETENTION_SECONDS = 7 * 24 * 3600;
/**
 * The latest a schedule may end. A message may spend as long again deferred behind an open circuit
 * breaker (docs/outage.md), so twice this plus a day of backlog fits the queue's 7-day retention.
 */
export const MAX_RETRY_WINDOW_SECONDS = 3 * 24 * 3600;

export type RetrySchedulePolicy = BackoffPolicy & {
  /** Attempts before the delivery is dead-lettered. */
  maxReceives: number;
};

export type ScheduledAttempt = {
  /** 1 = the first delivery attempt. */
  attempt: number;
  /** Seconds after the first attempt, at the earliest (every wait drew its floor). */
  earliestSeconds: number;
  /** Seconds after the first attempt, at the latest (every wait drew its ceiling; no Retry-After). */
  latestSeconds: number;
};

export function retrySchedule(policy: RetrySchedulePolicy): ScheduledAttempt[] {
  const attempts: ScheduledAttempt[] = [{ attempt: 1, earliestSeconds: 0, latestSeconds: 0 }];
  let earliest = 0;
  let latest = 0;
  for (let attempt = 2; attempt <= policy.maxReceives; attempt++) {
    // The wait after attempt n − 1 uses receive count n − 1.
    const ceiling = backoffCeilingSeconds(attempt - 1, policy);
    earliest += Math.ceil(backoffFloorSeconds(ceiling, policy.jitter));
    latest += Math.ceil(ceiling);
    attempts.push({ attempt, earliestSeconds: earliest, latestSeconds: latest });
  }
  return attempts;
}

/** When the final attempt happens (and, if it fails, the delivery is dead-lettered): earliest and latest. */
export function retryWindow(policy: RetrySchedulePolicy): { earliestSeconds: number; latestSeconds: number } {
  const last = retrySchedule(policy).at(-1) ?? { earliestSeconds: 0, latestSeconds: 0 };
  return { earliestSeconds: last.earliestSeconds, latestSeconds: last.latestSeconds };
}

/** `0 s`, `45 s`, `12 min 5 s`, `3 h 2 min`, `28 h`: the two largest units, rounded down. */
export function formatDuration(totalSeconds: number): string {
  const units = [
    ['h', 3600],
    ['min', 60],
    ['s', 1],
  ] as const;
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const first = units.findIndex(([, size]) => seconds >= size);
  const [name, size] = units[first] ?? units[2];
  const count = Math.floor(seconds / size);
  const next = units[first + 1];
  const nextCount = next ? Math.floor((seconds - count * size) / next[1]) : 0;
  return next && nextCount > 0 ? `${count} ${name} ${nextCount} ${next[0]}` : `${count} ${name}`;
}

/**
 * The schedule as a Markdown table; the README's table is this text for the default policy (a test
 * compares them). Long schedules show their first and last attempts, the middle folded into one row.
 */
export function formatRetrySchedule(
  policy: RetrySchedulePolicy,
  options: { head?: number; tail?: number } = {},
): string {
  const rows = retrySchedule(policy);
  const head = options.head ?? 14;
  const tail = options.tail ?? 3;
  const line = (row: ScheduledAttempt) =>
    `| ${row.attempt} | ${formatDuration(row.earliestSeconds)} | ${formatDuration(row.latestSeconds)} |`;
  const shown =
    rows.length <= head + tail + 1
      ? rows.map(line)
      : [
          ...rows.slice(0, head).map(line),
          `| … | every ${formatDuration(Math.ceil(backoffFloorSeconds(policy.capSeconds, policy.jitter)))} | every ${formatDuration(Math.ceil(policy.capSeconds))} |`,
          ...rows.slice(-tail).map(line),
        ];
  const window = retryWindow(policy);
  return [
    '| attempt | earliest | latest |',
    '|---|---|---|',
    ...shown,
    `| dead-lettered after attempt ${policy.maxReceives} fails | ${formatDuration(window.earliestSeconds)} | ${formatDuration(window.latestSeconds)} |`,
  ].join('\n');
}
