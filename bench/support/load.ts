import { join } from 'node:path';
import { spawnChild } from './processes';

export type LoadJob = {
  url: string;
  connections: number;
  /** A first run whose figures are thrown away: JIT and connection pools warm up. */
  warmupSeconds: number;
  durationSeconds: number;
  /** Signed webhooks for the bench parties, or Workspace 365 requests from captured queue messages. */
  requests: 'webhooks' | { messagesFile: string };
  /** Requests built before the clock starts. */
  poolSize: number;
};

export type LoadResult = {
  /** 2xx answers per second of the measured run. */
  rps: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Requests sent in the measured run. */
  sent: number;
  pooled: number;
  builtDuringRun: number;
};

/** Runs autocannon in a child process (bench/hosts/load-generator.ts) against `job.url`. */
export async function runLoad(job: LoadJob, workDir: string, name: string): Promise<LoadResult> {
  const child = spawnChild({
    name: `load generator (${name})`,
    args: ['bench/hosts/load-generator.ts'],
    logFile: join(workDir, `load-${name}.log`),
  });
  try {
    child.send(job);
    const timeoutMs = (job.warmupSeconds + job.durationSeconds) * 1000 + 180_000;
    return await child.next<LoadResult>(timeoutMs);
  } finally {
    await child.stop();
  }
}

/** Refuses figures that would not mean what they say. */
export function checkLoad(name: string, result: LoadResult): void {
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(
      `${name}: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  if (result.ok === 0) throw new Error(`${name}: no request succeeded`);
}
