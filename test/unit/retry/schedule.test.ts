import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { configExplainRetries } from '../../../functions/cli/commands/config-explain-retries';
import { DEFAULT_RETRY, RetryConfig } from '../../../shared/config/relay-config';
import { DEFAULT_LEDGER_EXPIRY_SECONDS } from '../../../shared/ports/dedup-ledger';
import { retryDelaySeconds } from '../../../shared/retry/backoff';
import {
  formatDuration,
  formatRetrySchedule,
  MAX_RETRY_WINDOW_SECONDS,
  QUEUE_RETENTION_SECONDS,
  retrySchedule,
  retryWindow,
} from '../../../shared/retry/schedule';

const DAY = 86_400;

describe('the default retry schedule', () => {
  it('keeps retrying a delivery that always fails for at least 24 hours before it is dead-lettered', () => {
    const window = retryWindow(DEFAULT_RETRY);
    expect(window.earliestSeconds).toBeGreaterThanOrEqual(DAY);
    expect(window.latestSeconds).toBeLessThanOrEqual(MAX_RETRY_WINDOW_SECONDS);
    // Within what SQS allows: a redrive policy of at most 1000 receives, visibility at most 12 h.
    expect(DEFAULT_RETRY.maxReceives).toBeLessThanOrEqual(1000);
    expect(DEFAULT_RETRY.capSeconds).toBeLessThanOrEqual(43_200);
  });

  it('is what a config without a retry section gets', () => {
    expect(RetryConfig.parse({})).toEqual(DEFAULT_RETRY);
  });

  it('never makes an attempt earlier than its lower bound, nor later than its upper bound, for any draws', () => {
    const rows = retrySchedule(DEFAULT_RETRY);
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), {
          minLength: DEFAULT_RETRY.maxReceives,
          maxLength: DEFAULT_RETRY.maxReceives,
        }),
        (draws) => {
          let at = 0;
          for (let attempt = 2; attempt <= DEFAULT_RETRY.maxReceives; attempt++) {
            const draw = draws[attempt - 1] ?? 0;
            at += retryDelaySeconds({ receiveCount: attempt - 1, policy: DEFAULT_RETRY, random: () => draw });
            const row = rows[attempt - 1];
            expect(at).toBeGreaterThanOrEqual(row?.earliestSeconds ?? Number.NaN);
            expect(at).toBeLessThanOrEqual(row?.latestSeconds ?? Number.NaN);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('draws each later wait from the upper half of its ceiling (equal jitter): never below half the cap', () => {
    for (const draw of [0, 0.3, 0.999]) {
      const wait = retryDelaySeconds({ receiveCount: 40, policy: DEFAULT_RETRY, random: () => draw });
      expect(wait).toBeGreaterThanOrEqual(DEFAULT_RETRY.capSeconds / 2);
      expect(wait).toBeLessThanOrEqual(DEFAULT_RETRY.capSeconds);
    }
  });

  it("fits the queue: an event's ledger record outlives any copy of its messages (schedule, deferrals, retention)", () => {
    expect(QUEUE_RETENTION_SECONDS).toBeGreaterThanOrEqual(2 * MAX_RETRY_WINDOW_SECONDS + DAY);
    expect(DEFAULT_LEDGER_EXPIRY_SECONDS).toBeGreaterThanOrEqual(
      MAX_RETRY_WINDOW_SECONDS + QUEUE_RETENTION_SECONDS,
    );
  });
});

describe('a schedule config', () => {
  it('keeps an existing three-key config working, with equal jitter unless it asks for full', () => {
    expect(RetryConfig.parse({ baseSeconds: 2, capSeconds: 900, maxReceives: 10 })).toEqual({
      baseSeconds: 2,
      capSeconds: 900,
      maxReceives: 10,
      jitter: 'equal',
    });
    const full = RetryConfig.parse({ baseSeconds: 2, capSeconds: 900, maxReceives: 10, jitter: 'full' });
    expect(retrySchedule(full).map((row) => row.earliestSeconds)).toEqual(Array(10).fill(0));
  });

  it('is refused when it would outlast the queue, naming the key and the reason', () => {
    const parsed = RetryConfig.safeParse({ capSeconds: 43_200, maxReceives: 1000 });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['maxReceives']);
    expect(parsed.error?.issues[0]?.message).toMatch(/at most 72 h fits the queue's retention/);
  });
});

describe('formatDuration', () => {
  it('shows the two largest units', () => {
    expect([0, 45, 725, 10_920, 100_800, 86_400].map(formatDuration)).toEqual([
      '0 s',
      '45 s',
      '12 min 5 s',
      '3 h 2 min',
      '28 h',
      '24 h',
    ]);
  });
});

describe('the README and `relay config explain-retries`', () => {
  const table = formatRetrySchedule(DEFAULT_RETRY);

  it('the README shows the table the code generates for the defaults', () => {
    const readme = readFileSync('README.md', 'utf8');
    const between = /<!-- retry-schedule:start -->\n([\s\S]*?)\n<!-- retry-schedule:end -->/.exec(readme);
    expect(between?.[1]).toBe(table);
  });

  it('prints the schedule of the config and of the values given', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = {
      out: (line: string) => out.push(line),
      err: (line: string) => err.push(line),
      env: {},
      cwd: process.cwd(),
    };
    const args = ['--config', 'relay.config.example.json'];
    expect(await configExplainRetries.run(args, io)).toBe(0);
    expect(out.join('\n')).toContain(table);
    out.length = 0;
    expect(await configExplainRetries.run([...args, '--max-receives', '3', '--cap-seconds', '10'], io)).toBe(
      0,
    );
    expect(out.join('\n')).toContain('| 3 | 3 s | 6 s |');
    await expect(configExplainRetries.run([...args, '--max-receives', '1001'], io)).rejects.toThrow(
      /retry\.maxReceives/,
    );
  });
});
