import type { BundlesResult, FunctionName } from '../bundles';
import type { EndToEndResult } from '../end-to-end';
import type { IngressBenchResult } from '../ingress';
import type { SecretsCallsResult } from '../secrets-calls';
import type { WorkerBenchResult } from '../worker';
import { round } from './stats';

export type MeasurementResults = {
  ingress?: IngressBenchResult;
  e2e?: EndToEndResult;
  worker?: WorkerBenchResult;
  secrets?: SecretsCallsResult;
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
  /** Sizes and concurrency the figures were taken with. */
  method: Record<string, number>;
  targets: TargetCheck[];
  /** Measurements that could not finish, with the reason. */
  failed: Record<string, string>;
};

const TARGETS = {
  ingressRatio: 0.5,
  bundleKb: 300,
  initOverEmptyMs: 150,
  secretsCallsPer1000: 3,
} as const;

export function summarize(
  results: MeasurementResults,
  machine: { cores: number; node: string },
  method: Record<string, number>,
  failed: Record<string, string> = {},
): BenchSummary {
  const summary: BenchSummary = { ...machine, method, targets: [], failed };
  const { ingress, e2e, worker, secrets, bundles } = results;
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
