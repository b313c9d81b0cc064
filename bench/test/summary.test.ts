import { describe, expect, it } from 'vitest';
import type { BundlesResult } from '../bundles';
import type { IngressBenchResult } from '../ingress';
import type { LambdaBenchResult } from '../lambda';
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

const lambda: LambdaBenchResult = {
  perMillion: {
    apiGateway: 1,
    lambdaRequests: 0.22,
    lambdaDuration: 0.4,
    sqs: 0.48,
    dynamodb: 1.25,
    logs: 0.55,
    secretsManager: 0,
    dataOut: 0.08,
    total: 3.98,
  },
  dynamoWruPerWebhook: 2,
  dynamoRruPerWebhook: 0,
  logBytesPerWebhook: 1180.4,
  logBytes: { ingress: 600, worker: 300, accessLog: 280.4 },
  awsRequestsPerWebhook: { 'dynamodb.PutItem': 2, 'sqs.SendMessageBatch': 1 },
  ingressInvocationCpuMs: 1.234,
  workerInvocationCpuMs: 9.87,
  billedMs: { ingress: 15, worker: 170 },
  webhooks: 600,
  acceptedWebhooks: 600,
  node: 'v24.22.3',
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
      missedBy: 111.7,
    });
    expect(byName['initMs.worker - emptyNodeMs']).toMatchObject({ value: 109.4, met: false, missedBy: 9.4 });
    expect(byName.secretsCallsPer1000).toMatchObject({ value: 3, met: true });
  });

  it('leaves out what was not measured and lists what failed', () => {
    const summary = summarize({ secrets }, machine, {}, { e2e: 'the queue still held messages' });
    expect(summary.ingressRatio).toBeUndefined();
    expect(summary.targets.map((check) => check.name)).toEqual(['secretsCallsPer1000']);
    expect(summary.failed).toEqual({ e2e: 'the queue still held messages' });
    expect(renderTable(summary, { secrets })).toContain('FAILED e2e: the queue still held messages');
  });

  it('reports the Lambda-shaped figures under the keys the brief names, each against its target', () => {
    const withNode20: BundlesResult = {
      ...bundles,
      secondary: { node: 'v20.20.2', initMs: { ingress: 300, worker: 200 }, emptyNodeMs: 45 },
    };
    const summary = summarize({ lambda, bundles: withNode20 }, machine, {});
    expect(summary).toMatchObject({
      costPerMillion: 3.98,
      dynamoWruPerWebhook: 2,
      logBytesPerWebhook: 1180,
      ingressInvocationCpuMs: 1.23,
      initMs: { ingress: 252.3, worker: 150 },
      initNode: 'v24.21.0',
      initMsNode20: { ingress: 300, worker: 200, emptyNodeMs: 45, node: 'v20.20.2' },
    });
    expect(summary.costPerMillionByService?.dynamodb).toBe(1.25);
    expect(summary.fixedMonthlyUsd1000Parties).toBeLessThan(30);
    const byName = Object.fromEntries(summary.targets.map((check) => [check.name, check]));
    expect(byName.costPerMillion).toMatchObject({ met: false, missedBy: 0.48, target: '≤ 3.5' });
    expect(byName.dynamoWruPerWebhook).toMatchObject({ met: true });
    expect(byName.logBytesPerWebhook).toMatchObject({ met: true });
    expect(byName.ingressInvocationCpuMs).toMatchObject({ met: true });
    expect(byName.fixedMonthlyUsd1000Parties).toMatchObject({ met: true });

    const table = renderTable(summary, { lambda, bundles: withNode20 });
    expect(table).toMatch(/Lambda shape: cost per million webhooks\s+\$3\.98\s+≤ 3\.5 MISSED by 0\.48/);
    expect(table).toMatch(/ {2}dynamodb\s+\$1\.25/);
    expect(table).toContain('dynamodb.PutItem 2, sqs.SendMessageBatch 1');
    expect(table).toMatch(/same, Node v20\.20\.2\s+300 \/ 200 ms/);
    expect(table).toMatch(/fixed monthly, 1,000 parties\s+\$\d+(\.\d+)?\s+≤ 30 met/);
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
