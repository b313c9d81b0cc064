import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  backoffCeilingSeconds,
  clampVisibilityTimeout,
  MAX_VISIBILITY_TIMEOUT_SECONDS,
  retryDelaySeconds,
} from '../../../shared/retry/backoff';

const policy = { baseSeconds: 2, capSeconds: 900, jitter: 'full' } as const;

describe('backoff ceiling', () => {
  it('doubles from the base per receive and stops at the cap', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffCeilingSeconds(n, policy))).toEqual([2, 4, 8, 16, 32]);
    expect(backoffCeilingSeconds(10, policy)).toBe(900);
    expect(backoffCeilingSeconds(5000, policy)).toBe(900); // 2^4999 overflows to Infinity, the cap wins
    expect(backoffCeilingSeconds(0, policy)).toBe(2);
  });
});

describe('retry delay (full jitter)', () => {
  it('stays within 0 … ⌈min(cap, base·2^(n−1))⌉ whole seconds for any draw', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.double({ min: 0.1, max: 900, noNaN: true }),
        fc.double({ min: 0, max: 43_200, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (receiveCount, baseSeconds, extra, draw) => {
          const rule = {
            baseSeconds,
            capSeconds: Math.min(43_200, baseSeconds + extra),
            jitter: 'full' as const,
          };
          const delay = retryDelaySeconds({ receiveCount, policy: rule, random: () => draw });
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(Math.ceil(backoffCeilingSeconds(receiveCount, rule)));
          expect(delay).toBeLessThanOrEqual(Math.ceil(rule.capSeconds));
        },
      ),
    );
  });

  it('spreads over the whole range: the draw scales the ceiling', () => {
    const at = (draw: number) => retryDelaySeconds({ receiveCount: 4, policy, random: () => draw });
    expect(at(0)).toBe(0);
    expect(at(0.25)).toBe(4);
    expect(at(0.5)).toBe(8);
    expect(at(0.999)).toBe(16);
  });

  it('is never shorter than Retry-After, even above the cap', () => {
    expect(retryDelaySeconds({ receiveCount: 1, policy, random: () => 0, retryAfterSeconds: 30 })).toBe(30);
    expect(retryDelaySeconds({ receiveCount: 1, policy, random: () => 0.9, retryAfterSeconds: 1 })).toBe(2);
    expect(retryDelaySeconds({ receiveCount: 20, policy, random: () => 0, retryAfterSeconds: 3600 })).toBe(
      3600,
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 43_200 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (n, retryAfter, draw) => {
          const delay = retryDelaySeconds({
            receiveCount: n,
            policy,
            random: () => draw,
            retryAfterSeconds: retryAfter,
          });
          expect(delay).toBeGreaterThanOrEqual(retryAfter);
        },
      ),
    );
  });

  it('is clamped to the 12 h SQS allows, whatever Retry-After says', () => {
    expect(
      retryDelaySeconds({ receiveCount: 1, policy, random: () => 0, retryAfterSeconds: 1_000_000 }),
    ).toBe(MAX_VISIBILITY_TIMEOUT_SECONDS);
  });

  it('ignores a broken random source outside [0, 1)', () => {
    expect(retryDelaySeconds({ receiveCount: 3, policy, random: () => 7 })).toBe(8);
    expect(retryDelaySeconds({ receiveCount: 3, policy, random: () => -1 })).toBe(0);
    expect(
      retryDelaySeconds({ receiveCount: 3, policy, random: () => Number.NaN, retryAfterSeconds: 5 }),
    ).toBe(5);
  });
});

describe('clampVisibilityTimeout', () => {
  it('rounds up to whole seconds within 0 … 43 200', () => {
    expect(clampVisibilityTimeout(1.2)).toBe(2);
    expect(clampVisibilityTimeout(0)).toBe(0);
    expect(clampVisibilityTimeout(-5)).toBe(0);
    expect(clampVisibilityTimeout(Number.NaN)).toBe(0);
    expect(clampVisibilityTimeout(50_000)).toBe(43_200);
    expect(clampVisibilityTimeout(Number.POSITIVE_INFINITY)).toBe(43_200);
  });
});
