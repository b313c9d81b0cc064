import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SynthesizedFunction } from './hosts/synth';
import { bytesByPackage, type SourceMap } from './support/bundle-breakdown';
import { spawnChild } from './support/processes';
import { median } from './support/stats';

const run = promisify(execFile);

export const FUNCTION_NAMES = ['ingress', 'worker'] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

export type BundleFigures = {
  /** index.mjs, KiB (1024 bytes). */
  bundleKb: number;
  /** index.mjs.map, KiB; read at start-up because the function runs with --enable-source-maps. */
  sourceMapKb: number;
  /** Median ms from process start until the handler module is evaluated (its clients built). */
  initMs: number;
  initRunsMs: number[];
  /** The largest contributors to index.mjs, KiB, from its source map. */
  largest: [string, number][];
  runtime: string;
};

export type BundlesResult = {
  functions: Record<FunctionName, BundleFigures>;
  /** Median ms from process start to the end of a script that does nothing, same env and cwd. */
  emptyNodeMs: number;
  emptyRunsMs: number[];
};

/**
 * Bundle size and cold-start import time of each function, on the bundles `cdk synth` builds for a
 * deployment (bench/hosts/synth.ts). Each run is a fresh `node` whose cwd is the unpacked bundle (config
 * beside it) and whose environment is the function's own plus what Lambda sets; it imports index.mjs like
 * the runtime does (the module's top level loads the config and builds its clients) and reports
 * performance.now() — time since the process started. The same process with nothing to import gives
 * `emptyNodeMs`; runs alternate so machine noise hits all alike.
 */
export async function benchBundles(options: { runs: number }, workDir: string): Promise<BundlesResult> {
  const synth = spawnChild({
    name: 'cdk synth',
    args: ['bench/hosts/synth.ts', join(workDir, 'cdk.out')],
    logFile: join(workDir, 'synth.log'),
  });
  let synthesized: Record<FunctionName, SynthesizedFunction>;
  try {
    synthesized = await synth.next<Record<FunctionName, SynthesizedFunction>>(300_000);
  } finally {
    await synth.stop();
  }

  const emptyRunsMs: number[] = [];
  const initRuns: Record<FunctionName, number[]> = { ingress: [], worker: [] };
  for (let index = 0; index < options.runs; index++) {
    emptyRunsMs.push(await startupMs(synthesized.ingress, 'ingress', false));
    for (const name of FUNCTION_NAMES) initRuns[name].push(await startupMs(synthesized[name], name, true));
  }

  const functions = {} as Record<FunctionName, BundleFigures>;
  for (const name of FUNCTION_NAMES) {
    const { dir, runtime } = synthesized[name];
    const code = await readFile(join(dir, 'index.mjs'), 'utf8');
    const map = JSON.parse(await readFile(join(dir, 'index.mjs.map'), 'utf8')) as SourceMap;
    functions[name] = {
      bundleKb: (await stat(join(dir, 'index.mjs'))).size / 1024,
      sourceMapKb: (await stat(join(dir, 'index.mjs.map'))).size / 1024,
      initMs: median(initRuns[name]),
      initRunsMs: initRuns[name],
      largest: bytesByPackage(code, map)
        .slice(0, 6)
        .map(([pkg, bytes]) => [pkg, bytes / 1024]),
      runtime,
    };
  }
  return { functions, emptyNodeMs: median(emptyRunsMs), emptyRunsMs };
}

const MARKER = 'BENCH_STARTUP_MS=';

/** One fresh process, as Lambda starts one: cwd = the bundle, the function's environment. */
async function startupMs(
  fn: SynthesizedFunction,
  name: FunctionName,
  importHandler: boolean,
): Promise<number> {
  const script = importHandler
    ? `const m = await import('./index.mjs'); if (typeof m.handler !== 'function') throw new Error('no handler'); process.stdout.write('${MARKER}' + performance.now());`
    : `process.stdout.write('${MARKER}' + performance.now());`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    cwd: fn.dir,
    env: lambdaEnvironment(fn, name),
    timeout: 60_000,
  });
  const match = new RegExp(`${MARKER}([\\d.]+)`).exec(stdout);
  if (!match) throw new Error(`${name}: no start-up time in the output`);
  return Number(match[1]);
}

/** What the Lambda runtime sets for a function, then the function's own variables (NODE_OPTIONS included). */
function lambdaEnvironment(fn: SynthesizedFunction, name: FunctionName): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    LAMBDA_TASK_ROOT: fn.dir,
    AWS_REGION: 'eu-west-1',
    AWS_DEFAULT_REGION: 'eu-west-1',
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: `webhook-relay-bench-${name}`,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/webhook-relay-bench-${name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: 'bench',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_SESSION_TOKEN: 'bench',
    // The bundled SDK warns once per process on Node < 22, which this machine may run; Lambda runs the
    // function on the bundle's own runtime (Node 24), where it stays silent, so its cost is not counted.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...fn.environment,
  };
}
