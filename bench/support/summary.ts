import type { BundlesResult, FunctionName } from '../bundles';
import type { EndToEndResult } from '../end-to-end';
import type { IngressBenchResult } from '../ingress';
import type { LambdaBenchResult } from '../lambda';
import type { SecretsCallsResult } from '../secrets-calls';
import type { WorkerBenchResult } from '../worker';
import { type CostLines, fixedMonthly } from './costs';
import { round } from './stats';

export type MeasurementResults = {
  ingress?: IngressBenchResult;
  e2e?: EndToEndResult;
  worker?: WorkerBenchResult;
  secrets?: SecretsCallsResult;
  lambda?: LambdaBenchResult;
  bundles?: BundlesResult;
};

export type TargetCheck = {
  name: string;
  target: string;
  value: number;
  met: boolean;
  /** How far the value is on the wrong side of the target; 0 when met. */
  missedBy: number;
};

/** The single JSON document `npm run bench` prints last (`BENCH_JSON {…}`). */
export type BenchSummary = {
  cores: number;
  node: string;
  ingressRps?: number;
  baselineRps?: number;
  ingressRatio?: number;
  /** Server CPU per request (user + system), µs: what the rps figures cost, less sensitive to a busy machine. */
  ingressCpuUs?: number;
  baselineCpuUs?: number;
  /** Reference, not a target: the same host doing only the signature check and the JSON parse. */
  floorRatio?: number;
  e2eRps?: number;
  e2eP50Ms?: number;
  e2eP99Ms?: number;
  workerRps?: number;
  sandboxRps?: number;
  workerRatio?: number;
  bundleKb?: Record<FunctionName, number>;
  initMs?: Record<FunctionName, number>;
  emptyNodeMs?: number;
  /** Reference: the same process importing only the runtime SDK packages each handler imports. */
  sdkOnlyMs?: Partial<Record<FunctionName, number>>;
  /** The Node that imported the bundles for `initMs` (BENCH_INIT_NODE, else the bench's own). */
  initNode?: string;
  secretsCallsPer1000?: number;
  /** The same start-up figures with the bench's own Node (Node 20 here), for comparison. */
  initMsNode20?: Record<FunctionName, number> & { emptyNodeMs: number; node: string };
  /** USD per million accepted webhooks at list prices (bench/support/prices.ts), usage only. */
  costPerMillion?: number;
  /** The same, per service. */
  costPerMillionByService?: CostLines;
  /** USD a month before traffic, Secrets Manager aside (it is $0.40 per party). */
  fixedMonthlyUsd4Parties?: number;
  fixedMonthlyUsd1000Parties?: number;
  dynamoWruPerWebhook?: number;
  /** Bytes ingested by CloudWatch Logs per accepted webhook: both functions, Lambda's own lines, the access log. */
  logBytesPerWebhook?: number;
  /** Median CPU (user + system) of one warm ingress invocation, ms, on initNode. */
  ingressInvocationCpuMs?: number;
  workerInvocationCpuMs?: number;
  /** Sizes and concurrency the figures were taken with. */
  method: Record<string, number>;
  targets: TargetCheck[];
  /** Measurements that could not finish, with the reason. */
  failed: Record<string, string>;
};

const TARGETS = {
  ingressRatio: 0.5,
  bundleKb: 300,
  initOverEmptyMs: 100,
  secretsCallsPer1000: 3,
  costPerMillion: 3.5,
  fixedMonthlyUsd1000Parties: 30,
  dynamoWruPerWebhook: 2,
  logBytesPerWebhook: 1200,
  ingressInvocationCpuMs: 1.5,
} as const;

export function summarize(
  results: MeasurementResults,
  machine: { cores: number; node: string },
  method: Record<string, number>,
  failed: Record<string, string> = {},
): BenchSummary {
  const summary: BenchSummary = { ...machine, method, targets: [], failed };
  const { ingress, e2e, worker, secrets, bundles, lambda } = results;
  if (ingress) {
    summary.ingressRps = round(ingress.ingressRps);
    summary.baselineRps = round(ingress.baselineRps);
    summary.ingressRatio = round(ingress.ingressRatio, 3);
    summary.ingressCpuUs = round(ingress.ingressCpuUs);
    summary.baselineCpuUs = round(ingress.baselineCpuUs);
    summary.floorRatio = round(ingress.floorRatio, 3);
    summary.targets.push(atLeast('ingressRatio', summary.ingressRatio, TARGETS.ingressRatio));
  }
  if (e2e) {
    summary.e2eRps = round(e2e.e2eRps);
    summary.e2eP50Ms = round(e2e.e2eP50Ms);
    summary.e2eP99Ms = round(e2e.e2eP99Ms);
  }
  if (worker) {
    summary.workerRps = round(worker.workerRps);
    summary.sandboxRps = round(worker.sandboxRps);
    summary.workerRatio = round(worker.workerRatio, 3);
  }
  if (bundles) {
    const { ingress: ingressBundle, worker: workerBundle } = bundles.functions;
    summary.bundleKb = { ingress: round(ingressBundle.bundleKb), worker: round(workerBundle.bundleKb) };
    summary.initMs = { ingress: round(ingressBundle.initMs), worker: round(workerBundle.initMs) };
    summary.emptyNodeMs = round(bundles.emptyNodeMs);
    if (bundles.initNode) summary.initNode = bundles.initNode;
    const { sdkOnlyMs: ingressSdk } = ingressBundle;
    const { sdkOnlyMs: workerSdk } = workerBundle;
    if (ingressSdk !== undefined && workerSdk !== undefined) {
      summary.sdkOnlyMs = { ingress: round(ingressSdk), worker: round(workerSdk) };
    }
    for (const name of ['ingress', 'worker'] as const) {
      summary.targets.push(atMost(`bundleKb.${name}`, summary.bundleKb[name], TARGETS.bundleKb));
    }
    for (const name of ['ingress', 'worker'] as const) {
      const overEmpty = round(summary.initMs[name] - summary.emptyNodeMs);
      summary.targets.push(atMost(`initMs.${name} - emptyNodeMs`, overEmpty, TARGETS.initOverEmptyMs));
    }
    if (bundles.secondary) {
      const { initMs, emptyNodeMs, node } = bundles.secondary;
      summary.initMsNode20 = {
        ingress: round(initMs.ingress),
        worker: round(initMs.worker),
        emptyNodeMs: round(emptyNodeMs),
        node,
      };
    }
  }
  if (lambda) {
    summary.costPerMillion = round(lambda.perMillion.total, 2);
    const { total: _total, ...lines } = lambda.perMillion;
    summary.costPerMillionByService = Object.fromEntries(
      Object.entries(lines).map(([service, usd]) => [service, round(usd, 3)]),
    ) as CostLines;
    summary.dynamoWruPerWebhook = round(lambda.dynamoWruPerWebhook, 2);
    summary.logBytesPerWebhook = round(lambda.logBytesPerWebhook, 0);
    summary.ingressInvocationCpuMs = round(lambda.ingressInvocationCpuMs, 2);
    summary.workerInvocationCpuMs = round(lambda.workerInvocationCpuMs, 2);
    summary.targets.push(
      atMost('costPerMillion', summary.costPerMillion, TARGETS.costPerMillion),
      atMost('dynamoWruPerWebhook', summary.dynamoWruPerWebhook, TARGETS.dynamoWruPerWebhook),
      atMost('logBytesPerWebhook', summary.logBytesPerWebhook, TARGETS.logBytesPerWebhook),
      atMost('ingressInvocationCpuMs', summary.ingressInvocationCpuMs, TARGETS.ingressInvocationCpuMs),
    );
    // A property of the deployment, not of the run; reported with the usage it adds to.
    summary.fixedMonthlyUsd4Parties = round(fixedMonthly(4).withoutSecrets, 2);
    summary.fixedMonthlyUsd1000Parties = round(fixedMonthly(1000).withoutSecrets, 2);
    summary.targets.push(
      atMost(
        'fixedMonthlyUsd1000Parties',
        summary.fixedMonthlyUsd1000Parties,
        TARGETS.fixedMonthlyUsd1000Parties,
      ),
    );
  }
  if (secrets) {
    summary.secretsCallsPer1000 = round(secrets.secretsCallsPer1000, 2);
    summary.targets.push(
      atMost('secretsCallsPer1000', summary.secretsCallsPer1000, TARGETS.secretsCallsPer1000),
    );
  }
  // Figures first, then how they were taken, what they are held to and what failed.
  const { method: taken, targets, failed: failures, ...figures } = summary;
  return { ...figures, method: taken, targets, failed: failures };
}

function atLeast(name: string, value: number, target: number): TargetCheck {
  const missedBy = round(Math.max(0, target - value), 3);
  return { name, target: `≥ ${target}`, value, met: value >= target, missedBy };
}

function atMost(name: string, value: number, target: number): TargetCheck {
  const missedBy = round(Math.max(0, value - target), 3);
  return { name, target: `≤ ${target}`, value, met: value <= target, missedBy };
}
