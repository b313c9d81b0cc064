import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../infra/paths';

const run = promisify(execFile);

/** Where fetched Node binaries are kept between runs (not a project dependency, never committed). */
export const NODE_CACHE_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'relay-bench-node');

/** The runtime Lambda runs the functions on (infra: nodejs24.x). */
export const LAMBDA_NODE_MAJOR = 24;

/**
 * A Node 24 binary for this machine, so start-up and CPU are measured on what Lambda runs: the newest
 * `node-linux-<arch>@24` from the npm registry (the official binaries, published as packages), unpacked
 * into NODE_CACHE_DIR once per version. Offline, the newest one already cached is used; with none, null.
 */
export async function lambdaNode(log: (line: string) => void = () => {}): Promise<string | null> {
  const name = `node-${process.platform}-${process.arch}`;
  let version: string | undefined;
  try {
    const { stdout } = await run('npm', ['view', `${name}@${LAMBDA_NODE_MAJOR}`, 'version', '--json'], {
      timeout: 60_000,
    });
    const versions = JSON.parse(stdout) as string | string[];
    version = Array.isArray(versions) ? versions.at(-1) : versions;
  } catch (error) {
    log(`could not ask the npm registry for ${name}@${LAMBDA_NODE_MAJOR} (${(error as Error).message})`);
  }
  if (version) {
    const binary = join(NODE_CACHE_DIR, `${name}-${version}`, 'bin', 'node');
    if (existsSync(binary)) return binary;
    try {
      await fetchPackage(name, version, join(NODE_CACHE_DIR, `${name}-${version}`));
      return binary;
    } catch (error) {
      log(`could not fetch ${name}@${version} (${(error as Error).message})`);
    }
  }
  return newestCached(name);
}

async function fetchPackage(name: string, version: string, into: string): Promise<void> {
  const staging = `${into}.partial`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    const { stdout } = await run(
      'npm',
      ['pack', `${name}@${version}`, '--pack-destination', staging, '--silent'],
      {
        timeout: 300_000,
      },
    );
    const tarball = join(staging, stdout.trim().split('\n').pop() ?? '');
    await run('tar', ['xzf', tarball, '-C', staging, '--strip-components=1']);
    await rm(tarball);
    await rm(into, { recursive: true, force: true });
    await rename(staging, into);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

async function newestCached(name: string): Promise<string | null> {
  const entries = await readdir(NODE_CACHE_DIR).catch(() => [] as string[]);
  const versions = entries
    .filter((entry) => entry.startsWith(`${name}-${LAMBDA_NODE_MAJOR}.`) && !entry.endsWith('.partial'))
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  const newest = versions.at(-1);
  return newest ? join(NODE_CACHE_DIR, newest, 'bin', 'node') : null;
}
