import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WorkerJob, WorkerResult } from './hosts/worker';
import { captureDeliveries } from './support/deliveries';
import { demoConfig, demoEnv, demoSecrets } from './support/demo';
import { checkLoad, type LoadResult, runLoad } from './support/load';
import { spawnChild } from './support/processes';
import { startSandboxProcess } from './support/sandbox-process';

/** Records per ReceiveMessage / Lambda invocation (the poller's and Lambda's default). */
const BATCH_SIZE = 10;

export type WorkerBenchOptions = {
  deliveries: number;
  warmupDeliveries: number;
  /** Worker poll loops (local mode runs 2). */
  pollers: number;
  warmupSeconds: number;
  durationSeconds: number;
};

export type WorkerBenchResult = {
  workerRps: number;
  sandboxRps: number;
  workerRatio: number;
  /** Requests the worker can have in flight; the sandbox-alone run uses as many connections. */
  concurrency: number;
  worker: WorkerResult;
  sandbox: LoadResult;
};

/**
 * Deliveries per second of the real worker (local mode's: the Lambda handler behind the SQS poller,
 * fauxqs in the same process) against the sandbox in its own process, vs the sandbox's own maximum:
 * autocannon straight at a fresh sandbox with the same Workspace 365 requests, at the worker's maximum
 * concurrency (poll loops × batch size). Both carry real payloads captured from the ingress core.
 */
export async function benchWorker(options: WorkerBenchOptions, workDir: string): Promise<WorkerBenchResult> {
  const messagesFile = join(workDir, 'deliveries.json');
  const templates = await captureDeliveries(demoConfig(), demoSecrets(), 120);
  await writeFile(messagesFile, JSON.stringify(templates));
  const concurrency = options.pollers * BATCH_SIZE;

  const worker = await measureWorker(options, messagesFile, workDir);
  if (worker.retried > 0 || worker.deadLettered > 0) {
    throw new Error(
      `worker: ${worker.retried} retries, ${worker.deadLettered} dead-lettered — the sandbox refused deliveries`,
    );
  }

  const sandbox = await startSandboxProcess(workDir, 'alone');
  let direct: LoadResult;
  try {
    direct = await runLoad(
      {
        url: sandbox.url,
        connections: concurrency,
        warmupSeconds: options.warmupSeconds,
        durationSeconds: options.durationSeconds,
        requests: { messagesFile },
        poolSize: Math.ceil((options.warmupSeconds + options.durationSeconds) * 5_000),
      },
      workDir,
      'sandbox',
    );
  } finally {
    await sandbox.child.stop();
  }
  checkLoad('sandbox', direct);
  return {
    workerRps: worker.rps,
    sandboxRps: direct.rps,
    workerRatio: worker.rps / direct.rps,
    concurrency,
    worker,
    sandbox: direct,
  };
}

async function measureWorker(
  options: WorkerBenchOptions,
  messagesFile: string,
  workDir: string,
): Promise<WorkerResult> {
  const sandbox = await startSandboxProcess(workDir, 'for-worker');
  const host = spawnChild({
    name: 'worker',
    args: ['bench/hosts/worker.ts'],
    logFile: join(workDir, 'worker.log'),
    env: demoEnv(),
  });
  try {
    const job: WorkerJob = {
      sandboxUrl: sandbox.url,
      messagesFile,
      warmup: options.warmupDeliveries,
      deliveries: options.deliveries,
      pollers: options.pollers,
    };
    host.send(job);
    return await host.next<WorkerResult>(600_000);
  } finally {
    await host.stop();
    await sandbox.child.stop();
  }
}
