import { describe, expect, it } from 'vitest';
import { standardBackoffMs } from '../../../shared/aws/standard-backoff';

describe('standard backoff', () => {
  it('doubles the ceiling from 100 ms per retry up to 20 s, drawing below it (full jitter)', () => {
    const ceilings = [1, 2, 3, 4, 5, 8, 9, 12, 40].map((retry) => standardBackoffMs(retry, () => 1));
    expect(ceilings).toEqual([100, 200, 400, 800, 1600, 12_800, 20_000, 20_000, 20_000]);
    expect(standardBackoffMs(3, () => 0)).toBe(0);
    expect(standardBackoffMs(3, () => 0.25)).toBe(100);
  });
});
