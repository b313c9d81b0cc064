import { execFile } from 'node:child_process';
import { readFile, realpath, stat, symlink } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { promisify } from 'node:util';
import { staticRuntimeImports } from '../devkit/bundle-imports';
import { REPO_ROOT } from '../infra/paths';
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
  /**
   * Packages index.mjs imports instead of bundling (the AWS SDK the Lambda runtime ships): every one was
   * loaded, from the project's node_modules, by each measured import. Lazy `import()`s are not listed.
   */
  runtimeModules?: string[];
  /**
   * Reference: median ms for the same process importing only `runtimeModules` (the SDK packages the
   * handler imports at start-up, none of the relay's code) — the part of `initMs` that is the SDK's.
   */
  sdkOnlyMs?: number;
};

export type BundlesResult = {
  functions: Record<FunctionName, BundleFigures>;
  /** Median ms from process start to the end of a script that does nothing, same env and cwd. */
  emptyNodeMs: number;
  emptyRunsMs: number[];
  /** `node --version` of the process that imported the bundles (Node 24 as on Lambda when available). */
  initNode?: string;
  /** The same measurement with a second Node (the bench's own, Node 20 here), for comparison. */
  secondary?: { node: string; initMs: Record<FunctionName, number>; emptyNodeMs: number };
};

/**
 * Bundle size and cold-start import time of each function, on the bundles `cdk synth` builds for a
 * deployment (bench/hosts/synth.ts). Each run is a fresh `node` whose cwd is the unpacked bundle (config
 * beside it) and whose environment is the function's own plus what Lambda sets; it imports index.mjs like
 * the runtime does (the module's top level loads the config and builds its clients) and reports
 * performance.now() — time since the process started. The same process with nothing to import gives
 * `emptyNodeMs`; runs alternate so machine noise hits all alike.
 *
 * A bundle that leaves the AWS SDK to the runtime imports `@aws-sdk/*`; Lambda resolves those to the
 * runtime's own copy. Here they resolve to the project's node_modules, linked into the directory above
 * the bundles, and every run checks that each of them was really loaded from there.
 */
export async function benchBundles(
  options: { runs: number; node: string; secondaryNode?: string },
  workDir: string,
): Promise<BundlesResult> {
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

  // Where Lambda has the runtime's node_modules, the measured bundles find the project's.
  await symlink(join(REPO_ROOT, 'node_modules'), join(workDir, 'node_modules'), 'dir').catch((error) => {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  });
  const runtimeModules = {} as Record<FunctionName, string[]>;
  for (const name of FUNCTION_NAMES) {
    runtimeModules[name] = staticRuntimeImports(
      await readFile(join(synthesized[name].dir, 'index.mjs'), 'utf8'),
    );
  }

  const measure = async (node: string) => {
    const emptyRunsMs: number[] = [];
    const initRuns: Record<FunctionName, number[]> = { ingress: [], worker: [] };
    const sdkRuns: Record<FunctionName, number[]> = { ingress: [], worker: [] };
    for (let index = 0; index < options.runs; index++) {
      emptyRunsMs.push(await startupMs(node, synthesized.ingress, 'ingress', { kind: 'nothing' }));
      for (const name of FUNCTION_NAMES) {
        const modules = runtimeModules[name];
        initRuns[name].push(
          await startupMs(node, synthesized[name], name, { kind: 'handler', runtimeModules: modules }),
        );
        if (modules.length > 0) {
          sdkRuns[name].push(
            await startupMs(node, synthesized[name], name, { kind: 'sdk', runtimeModules: modules }),
          );
        }
      }
    }
    return { emptyRunsMs, initRuns, sdkRuns };
  };
  const { node } = options;
  const { emptyRunsMs, initRuns, sdkRuns } = await measure(node);
  let secondary: BundlesResult['secondary'];
  if (options.secondaryNode) {
    const other = await measure(options.secondaryNode);
    const { stdout } = await run(options.secondaryNode, ['--version']);
    secondary = {
      node: stdout.trim(),
      initMs: { ingress: median(other.initRuns.ingress), worker: median(other.initRuns.worker) },
      emptyNodeMs: median(other.emptyRunsMs),
    };
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
      ...(sdkRuns[name].length > 0 ? { sdkOnlyMs: median(sdkRuns[name]) } : {}),
      largest: bytesByPackage(code, map)
        .slice(0, 6)
        .map(([pkg, bytes]) => [pkg, bytes / 1024]),
      runtime,
      runtimeModules: runtimeModules[name],
    };
  }
  const { stdout: initNode } = await run(node, ['--version']);
  return {
    functions,
    emptyNodeMs: median(emptyRunsMs),
    emptyRunsMs,
    initNode: initNode.trim(),
    ...(secondary ? { secondary } : {}),
  };
}

const MARKER = 'BENCH_STARTUP_MS=';
const LOADED = 'BENCH_LOADED=';

/** What a measured process imports: nothing, the function's handler, or only the SDK packages it imports. */
type StartupImport =
  | { kind: 'nothing' }
  | { kind: 'handler'; runtimeModules: string[] }
  | { kind: 'sdk'; runtimeModules: string[] };

/**
 * One fresh process, as Lambda starts one: cwd = the bundle, the function's environment. Importing the
 * handler, it then lists the `@aws-sdk/*` packages loaded (and from where) so a run whose SDK imports
 * did not really happen fails instead of looking fast.
 */
async function startupMs(
  node: string,
  fn: SynthesizedFunction,
  name: FunctionName,
  what: StartupImport,
): Promise<number> {
  const report = `process.stdout.write('${MARKER}' + performance.now());`;
  const script =
    what.kind === 'handler'
      ? `const m = await import('./index.mjs'); if (typeof m.handler !== 'function') throw new Error('no handler'); ${report}
       const { createRequire } = await import('node:module'); const { realpathSync } = await import('node:fs');
       const loaded = Object.keys(createRequire(process.cwd() + '/').cache).map((file) => realpathSync(file));
       process.stdout.write(' ${LOADED}' + JSON.stringify(loaded.filter((file) => file.includes('/@aws-sdk/'))));`
      : what.kind === 'sdk'
        ? `for (const m of ${JSON.stringify(what.runtimeModules)}) await import(m); ${report}`
        : report;
  const { stdout } = await run(node, ['--input-type=module', '-e', script], {
    cwd: fn.dir,
    env: lambdaEnvironment(fn, name),
    timeout: 60_000,
  });
  const match = new RegExp(`${MARKER}([\\d.]+)`).exec(stdout);
  if (!match) throw new Error(`${name}: no start-up time in the output`);
  if (what.kind === 'handler') await checkRuntimeModules(name, what.runtimeModules, stdout);
  return Number(match[1]);
}

async function checkRuntimeModules(name: FunctionName, expected: string[], stdout: string): Promise<void> {
  const list = new RegExp(`${LOADED}(\\[.*\\])`).exec(stdout)?.[1];
  const files = list ? (JSON.parse(list) as string[]) : [];
  const sdkRoot = await realpath(join(REPO_ROOT, 'node_modules', '@aws-sdk'));
  const missing = missingRuntimeModules(expected, files, sdkRoot);
  if (missing.length > 0) {
    throw new Error(`${name}: the import did not load ${missing.join(', ')} from the project's node_modules`);
  }
}

/** The `@aws-sdk/*` packages of `expected` with no file among `loadedFiles` under `sdkRoot` (real paths). */
export function missingRuntimeModules(expected: string[], loadedFiles: string[], sdkRoot: string): string[] {
  const prefix = `${sdkRoot}${sep}`;
  const loaded = new Set(
    loadedFiles
      .filter((file) => file.startsWith(prefix))
      .map((file) => `@aws-sdk/${file.slice(prefix.length).split(sep)[0]}`),
  );
  return expected.filter((pkg) => !loaded.has(pkg));
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
    // The SDK warns once per process on Node < 22, which this machine may run; Lambda runs the
    // function on the bundle's own runtime (Node 24), where it stays silent, so its cost is not counted.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...fn.environment,
  };
}
