import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchBundles } from './bundles';
import { benchEndToEnd } from './end-to-end';
import { benchIngress } from './ingress';
import { benchLambda } from './lambda';
import { benchSecretsCalls } from './secrets-calls';
import { lambdaNode } from './support/node24';
import { stopAllChildren } from './support/processes';
import { type MeasurementName, readBenchSettings, selectMeasurements } from './support/settings';
import { type MeasurementResults, summarize } from './support/summary';
import { renderTable } from './support/table';
import { benchWorker } from './worker';

// `npm run bench [-- <measurement>…]`: loopback only, about two minutes, every process it starts is
// stopped. Progress goes to stderr; stdout gets the table and, as its last line, `BENCH_JSON {…}`.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** Fixed parts of the method (the knobs are in support/settings.ts). */
const E2E_WARMUP_WEBHOOKS = 200;
/** Local mode's poll loops (functions/local/local-worker.ts). */
const WORKER_POLLERS = 2;
const WORKER_WARMUP_DELIVERIES = 300;
/** The target is per 1000 deliveries, within one TTL: the functions' default SECRETS_CACHE_TTL_SECONDS. */
const SECRETS_DELIVERIES = 1000;
const SECRETS_CACHE_TTL_SECONDS = 300;
/** Uncounted webhooks before the Lambda-shaped run, so its figures are those of warm environments. */
const LAMBDA_WARMUP_WEBHOOKS = 100;

const settings = readBenchSettings();
const selected = selectMeasurements(process.argv.slice(2));
const workDir = await mkdtemp(join(tmpdir(), 'relay-bench-'));

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    process.stderr.write(`\nbench: ${signal}, stopping everything it started…\n`);
    void stopAllChildren()
      .then(() => rm(workDir, { recursive: true, force: true }))
      .finally(() => process.exit(130));
  });
}

const { durationSeconds, warmupSeconds } = settings;
// What Lambda runs (nodejs24.x): fetched once into a cache; BENCH_INIT_NODE overrides it.
const needsLambdaNode = selected.includes('lambda') || selected.includes('bundles');
const lambdaNodePath =
  process.env.BENCH_INIT_NODE ||
  (needsLambdaNode ? await lambdaNode((line) => process.stderr.write(`bench: ${line}\n`)) : null);
if (needsLambdaNode && !lambdaNodePath)
  process.stderr.write('bench: no Node 24 available; using this Node\n');
const steps: Record<MeasurementName, [string, (results: MeasurementResults) => Promise<void>]> = {
  ingress: [
    'ingress vs bare node:http',
    async (results) => {
      results.ingress = await benchIngress(
        { connections: settings.connections, warmupSeconds, durationSeconds },
        workDir,
      );
    },
  ],
  e2e: [
    'local mode end to end',
    async (results) => {
      results.e2e = await benchEndToEnd(
        {
          webhooks: settings.e2eWebhooks,
          concurrency: settings.e2eConcurrency,
          warmupWebhooks: E2E_WARMUP_WEBHOOKS,
        },
        workDir,
      );
    },
  ],
  worker: [
    'worker vs sandbox alone',
    async (results) => {
      results.worker = await benchWorker(
        {
          deliveries: settings.workerDeliveries,
          warmupDeliveries: WORKER_WARMUP_DELIVERIES,
          pollers: WORKER_POLLERS,
          warmupSeconds,
          durationSeconds,
        },
        workDir,
      );
    },
  ],
  secrets: [
    'Secrets Manager calls',
    async (results) => {
      results.secrets = await benchSecretsCalls({
        deliveries: SECRETS_DELIVERIES,
        cacheTtlSeconds: SECRETS_CACHE_TTL_SECONDS,
      });
    },
  ],
  lambda: [
    'Lambda shape: real handlers, counted AWS requests, cost per webhook',
    async (results) => {
      results.lambda = await benchLambda(
        { webhooks: settings.lambdaWebhooks, warmupWebhooks: LAMBDA_WARMUP_WEBHOOKS, node: lambdaNodePath },
        workDir,
      );
    },
  ],
  bundles: [
    'bundles (cdk synth) and cold start',
    async (results) => {
      const node = lambdaNodePath ?? process.execPath;
      results.bundles = await benchBundles(
        {
          runs: settings.initRuns,
          node,
          ...(node !== process.execPath ? { secondaryNode: process.execPath } : {}),
        },
        workDir,
      );
    },
  ],
};

const results: MeasurementResults = {};
const failed: Record<string, string> = {};
const started = performance.now();
for (const name of selected) {
  const [title, measure] = steps[name];
  const stepStarted = performance.now();
  process.stderr.write(`bench: ${title}…`);
  try {
    await measure(results);
    process.stderr.write(` ${((performance.now() - stepStarted) / 1000).toFixed(0)} s\n`);
  } catch (error) {
    if (interrupted) break;
    failed[name] = error instanceof Error ? error.message : String(error);
    process.stderr.write(` failed\n${failed[name]}\n`);
  } finally {
    await stopAllChildren();
  }
}
if (!interrupted) {
  const summary = summarize(
    results,
    { cores: availableParallelism(), node: process.version },
    {
      ...settings,
      e2eWarmupWebhooks: E2E_WARMUP_WEBHOOKS,
      workerPollers: WORKER_POLLERS,
      workerWarmupDeliveries: WORKER_WARMUP_DELIVERIES,
      secretsDeliveries: SECRETS_DELIVERIES,
      secretsCacheTtlSeconds: SECRETS_CACHE_TTL_SECONDS,
      lambdaWarmupWebhooks: LAMBDA_WARMUP_WEBHOOKS,
    },
    failed,
  );
  process.stderr.write(`bench: done in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  if (Object.keys(failed).length > 0) process.stderr.write(`bench: logs kept in ${workDir}\n`);
  else await rm(workDir, { recursive: true, force: true });
  console.log(`${renderTable(summary, results)}\n`);
  console.log(`BENCH_JSON ${JSON.stringify(summary)}`);
  process.exitCode = Object.keys(failed).length > 0 ? 1 : 0;
}
