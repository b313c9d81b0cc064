import { describe, expect, it } from 'vitest';
import type { BundlesResult } from '../bundles';
import type { IngressBenchResult } from '../ingress';
import type { SecretsCallsResult } from '../secrets-calls';
import type { LoadResult } from '../support/load';
import { summarize } from '../support/summary';
import { renderTable } from '../support/table';

const load = (rps: number): LoadResult => ({
  rps,
  ok: rps * 8,
  non2xx: 0,
  errors: 0,
  timeouts: 0,
  seconds: 8,
  latencyP50Ms: 2,
  latencyP99Ms: 9,
  sent: rps * 8,
  pooled: 100_000,
  builtDuringRun: 0,
});

const ingress: IngressBenchResult = {
  ingressRps: 1500,
  baselineRps: 10_000,
  ingressRatio: 0.15,
  ingressCpuUs: 410,
  baselineCpuUs: 22,
  floorRps: 4000,
  floorRatio: 0.4,
  floorCpuUs: 120,
  ingress: load(1500),
  baseline: load(10_000),
  floor: load(4000),
};

const bundle = (bundleKb: number, initMs: number) => ({
  bundleKb,
  sourceMapKb: 900,
  initMs,
  initRunsMs: [initMs],
  sdkOnlyMs: 160.6,
  largest: [['zod', 95] as [string, number]],
  runtime: 'nodejs24.x',
});

const bundles: BundlesResult = {
  functions: { ingress: bundle(676.6, 252.3), worker: bundle(280, 150) },
  emptyNodeMs: 40.6,
  emptyRunsMs: [40.6],
  initNode: 'v24.21.0',
};

const secrets: SecretsCallsResult = {
  secretsCallsPer1000: 3,
  calls: 3,
  stubCalls: 3,
  deliveries: 1000,
  parties: 3,
  seconds: 2.5,
};

const machine = { cores: 2, node: 'v20.20.2' };

describe('bench summary', () => {
  it('has the keys the brief asks for, figures first', () => {
    const summary = summarize({ ingress, bundles, secrets }, machine, { durationSeconds: 8 });
    expect(summary).toMatchObject({
      cores: 2,
      node: 'v20.20.2',
      ingressRps: 1500,
      baselineRps: 10_000,
      ingressRatio: 0.15,
      ingressCpuUs: 410,
      baselineCpuUs: 22,
      floorRatio: 0.4,
      bundleKb: { ingress: 676.6, worker: 280 },
      initMs: { ingress: 252.3, worker: 150 },
      emptyNodeMs: 40.6,
      sdkOnlyMs: { ingress: 160.6, worker: 160.6 },
      initNode: 'v24.21.0',
      secretsCallsPer1000: 3,
      method: { durationSeconds: 8 },
    });
    expect(Object.keys(summary).slice(-3)).toEqual(['method', 'targets', 'failed']);
  });

  it('says which targets are met and by how much the others are missed', () => {
    const { targets } = summarize({ ingress, bundles, secrets }, machine, {});
    const byName = Object.fromEntries(targets.map((check) => [check.name, check]));
    expect(byName.ingressRatio).toMatchObject({ met: false, missedBy: 0.35, target: '≥ 0.5' });
    expect(byName['bundleKb.ingress']).toMatchObject({ met: false, missedBy: 376.6 });
    expect(byName['bundleKb.worker']).toMatchObject({ met: true, missedBy: 0 });
    expect(byName['initMs.ingress - emptyNodeMs']).toMatchObject({
      value: 211.7,
      met: false,
      missedBy: 61.7,
    });
    expect(byName['initMs.worker - emptyNodeMs']).toMatchObject({ value: 109.4, met: true });
    expect(byName.secretsCallsPer1000).toMatchObject({ value: 3, met: true });
  });

  it('leaves out what was not measured and lists what failed', () => {
    const summary = summarize({ secrets }, machine, {}, { e2e: 'the queue still held messages' });
    expect(summary.ingressRatio).toBeUndefined();
    expect(summary.targets.map((check) => check.name)).toEqual(['secretsCallsPer1000']);
    expect(summary.failed).toEqual({ e2e: 'the queue still held messages' });
    expect(renderTable(summary, { secrets })).toContain('FAILED e2e: the queue still held messages');
  });

  it('renders a table with each figure and its target verdict', () => {
    const results = { ingress, bundles, secrets };
    const table = renderTable(summarize(results, machine, {}), results);
    expect(table).toContain('2 cores, Node v20.20.2');
    expect(table).toMatch(/ingressRatio\s+0\.15\s+≥ 0\.5 MISSED by 0\.35/);
    expect(table).toContain('server CPU 410 µs/webhook');
    expect(table).toContain('server CPU 22 µs/request');
    expect(table).toContain('nodejs24.x bundle imported by Node v24.21.0');
    expect(table).toContain('212 ms over an empty node (its runtime SDK imports alone: +120 ms)');
    expect(table).toMatch(/floor: same host, signature \+ JSON parse only\s+4000 req\/s\s+ratio 0\.4 /);
    expect(table).toMatch(/worker bundle \(index\.mjs, minified\)\s+280 KB\s+≤ 300 met/);
    expect(table).toMatch(/Secrets Manager calls per 1000 deliveries\s+3\s+≤ 3 met/);
  });
});
