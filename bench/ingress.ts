import { join } from 'node:path';
import type { IngressServerMode, IngressTally } from './hosts/ingress-server';
import { demoEnv } from './support/demo';
import { checkLoad, type LoadResult, runLoad } from './support/load';
import { spawnChild } from './support/processes';

export type IngressBenchOptions = { connections: number; warmupSeconds: number; durationSeconds: number };

export type IngressBenchResult = {
  ingressRps: number;
  baselineRps: number;
  ingressRatio: number;
  /** Server CPU time per request answered (user + system, warm-up included), µs: the cost behind the rps. */
  ingressCpuUs: number;
  baselineCpuUs: number;
  /** Reference: the same host doing only the signature check and the JSON parse (no map, validate, dedup, log). */
  floorRps: number;
  floorRatio: number;
  floorCpuUs: number;
  ingress: LoadResult;
  baseline: LoadResult;
  floor: LoadResult;
};

/**
 * The relay's own cost per webhook: the ingress core (verify, parse, map, validate, in-process dedup)
 * behind the local HTTP host with a no-op queue, against a bare node:http server answering 202 — each
 * in a fresh process, loaded the same way (same generator process, unique signed webhooks, connections,
 * warm-up and duration).
 */
export async function benchIngress(
  options: IngressBenchOptions,
  workDir: string,
): Promise<IngressBenchResult> {
  // Enough unique webhooks built up front for either server on a fast machine.
  const poolSize = Math.ceil((options.warmupSeconds + options.durationSeconds) * 12_000);
  const measure = async (mode: IngressServerMode) => {
    const server = spawnChild({
      name: `ingress server (${mode})`,
      args: ['bench/hosts/ingress-server.ts', mode],
      logFile: join(workDir, `ingress-${mode}.log`),
      env: demoEnv(),
    });
    try {
      const { url } = await server.next<{ url: string }>();
      const load = await runLoad({ url, ...options, requests: 'webhooks', poolSize }, workDir, mode);
      server.send('stop');
      const tally = await server.next<IngressTally>();
      checkLoad(mode, load);
      if (mode === 'relay') checkTally(tally, load);
      else if (tally.requests < load.ok)
        throw new Error(`${mode}: ${tally.requests} requests seen, ${load.ok} answered`);
      return { load, cpuUs: tally.cpuMicros / Math.max(1, tally.requests) };
    } finally {
      await server.stop();
    }
  };
  const baseline = await measure('baseline');
  const floor = await measure('floor');
  const ingress = await measure('relay');
  return {
    ingressRps: ingress.load.rps,
    baselineRps: baseline.load.rps,
    ingressRatio: ingress.load.rps / baseline.load.rps,
    ingressCpuUs: ingress.cpuUs,
    baselineCpuUs: baseline.cpuUs,
    floorRps: floor.load.rps,
    floorRatio: floor.load.rps / baseline.load.rps,
    floorCpuUs: floor.cpuUs,
    ingress: ingress.load,
    baseline: baseline.load,
    floor: floor.load,
  };
}

/** Every webhook must have been accepted and queued: a duplicate, ignored or rejected one is cheaper. */
function checkTally(tally: IngressTally, load: LoadResult): void {
  const shortCut = tally.duplicate + tally.ignored + tally.rejected;
  if (shortCut > 0) {
    throw new Error(
      `relay: ${tally.duplicate} duplicates, ${tally.ignored} ignored, ${tally.rejected} rejected — every webhook must be new and valid`,
    );
  }
  if (tally.received < load.ok)
    throw new Error(`relay: ${tally.received} webhooks received, ${load.ok} answered 2xx`);
}
