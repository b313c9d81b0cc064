import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { CREATE_REQUIRE_BANNER } from '../infra/constructs/relay-function';
import { median } from './stats';

const FUNCTIONS = { ingress: 'functions/ingress/handler.ts', worker: 'functions/worker/handler.ts' } as const;

/** What the functions read at cold start; dummy values: nothing is called while the module loads. */
const LAMBDA_ENV = {
  RELAY_CONFIG: 'relay.config.json',
  QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/webhook-relay-queue',
  DLQ_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/webhook-relay-dlq',
  IDEMPOTENCY_TABLE_NAME: 'webhook-relay-idempotency',
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  POWERTOOLS_LOG_LEVEL: 'ERROR',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

const RUNS = 7;

/**
 * Each function bundled exactly as the CDK construct bundles it (esbuild, ESM, minified, the same banner
 * and main fields), then imported by a fresh `node` process with the function's environment and the
 * config beside it: `initMs` is process start → handler module evaluated (clients built), median of 7.
 */
export async function benchBundles(workDir: string) {
  const emptyNodeMs = median(Array.from({ length: RUNS }, () => nodeMs(workDir, '')));
  const bundleKb: Record<string, number> = {};
  const initMs: Record<string, number> = {};
  for (const [name, entry] of Object.entries(FUNCTIONS)) {
    const dir = join(workDir, name);
    mkdirSync(dir, { recursive: true });
    await esbuild.build({
      entryPoints: [entry],
      outfile: join(dir, 'index.mjs'),
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'esm',
      mainFields: ['module', 'main'],
      banner: { js: CREATE_REQUIRE_BANNER },
      minify: true,
      logLevel: 'error',
    });
    copyFileSync('relay.config.example.json', join(dir, 'relay.config.json'));
    bundleKb[name] = Math.round(statSync(join(dir, 'index.mjs')).size / 1024);
    initMs[name] = median(Array.from({ length: RUNS }, () => nodeMs(dir, "await import('./index.mjs');")));
  }
  return { bundleKb, initMs, emptyNodeMs };
}

/** Milliseconds from process start to the end of the script (performance.now() counts from process start). */
function nodeMs(cwd: string, script: string): number {
  const output = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', `${script} console.log(performance.now());`],
    {
      cwd,
      env: { PATH: process.env.PATH ?? '', ...LAMBDA_ENV },
      encoding: 'utf8',
    },
  );
  return Number(output.trim().split('\n').pop());
}
