import { describe, expect, it } from 'vitest';
import { readBenchSettings, selectMeasurements } from '../support/settings';
import { median, percentile, round } from '../support/stats';

describe('percentile (nearest rank)', () => {
  it('picks the value at the rank, whatever the input order', () => {
    const values = [50, 10, 40, 20, 30, 60, 70, 80, 90, 100];
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(100);
    expect(percentile(values, 10)).toBe(10);
    expect(percentile(values, 0)).toBe(10);
    expect(median([3, 1, 2])).toBe(2);
  });

  it('is NaN for no values and does not reorder the input', () => {
    expect(percentile([], 50)).toBeNaN();
    const values = [3, 1, 2];
    percentile(values, 50);
    expect(values).toEqual([3, 1, 2]);
  });

  it('rounds to the given digits', () => {
    expect(round(1506.94)).toBe(1506.9);
    expect(round(0.14137, 3)).toBe(0.141);
  });
});

describe('bench settings', () => {
  it('has defaults and reads overrides from the environment', () => {
    expect(readBenchSettings({})).toMatchObject({ durationSeconds: 8, connections: 16, e2eWebhooks: 2000 });
    expect(readBenchSettings({ BENCH_DURATION_SECONDS: '3', BENCH_E2E_WEBHOOKS: '100' })).toMatchObject({
      durationSeconds: 3,
      e2eWebhooks: 100,
    });
  });

  it('refuses values that are not whole numbers in range, naming the variable', () => {
    expect(() => readBenchSettings({ BENCH_CONNECTIONS: '0' })).toThrow(/BENCH_CONNECTIONS/);
    expect(() => readBenchSettings({ BENCH_DURATION_SECONDS: '2.5' })).toThrow(/BENCH_DURATION_SECONDS/);
  });

  it('runs every measurement by default, or the ones named, in the bench order', () => {
    expect(selectMeasurements([])).toEqual(['ingress', 'e2e', 'worker', 'secrets', 'lambda', 'bundles']);
    expect(selectMeasurements(['bundles', 'ingress'])).toEqual(['ingress', 'bundles']);
    expect(() => selectMeasurements(['speed'])).toThrow(/unknown measurement speed/);
  });
});
