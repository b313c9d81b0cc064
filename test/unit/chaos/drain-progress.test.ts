import { describe, expect, it } from 'vitest';
import { createDrainProgress } from '../../chaos/support/drain-progress';

describe('chaos suite drain progress', () => {
  it('collects the queue depth for one tally line instead of printing a line every 10 s', () => {
    let clock = 1_000;
    const progress = createDrainProgress(1_000, () => clock);
    progress.record(812);
    clock += 10_000;
    progress.record(301);
    clock += 10_000;
    progress.record(0);
    expect(progress.summary()).toBe('812 @0 s → 301 @10 s → 0 @20 s');
  });

  it('says so when nothing was left to drain', () => {
    expect(createDrainProgress(0).summary()).toBe('nothing left to drain');
  });
});

describe('the chaos suite itself', () => {
  it('prints nothing while it drains (only the final tally)', async () => {
    const { readFileSync } = await import('node:fs');
    const suite = readFileSync('test/chaos/relay-under-chaos.chaos.ts', 'utf8');
    expect(suite.match(/console\.log\(/g) ?? []).toHaveLength(1);
    expect(suite).not.toMatch(/draining: /);
  });
});
