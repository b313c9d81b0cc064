import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveConfigPath } from '../../shared/config/load-config';
import { DEFAULT_LOG_FILE_MAX_BYTES } from './log-file-names';

export const DEFAULT_SECRETS_FILE = 'secrets.local.json';
export const EXAMPLE_SECRETS_FILE = 'secrets.local.example.json';

/** Everything local mode reads from its environment (docs/architecture.md §3), with defaults that need no set-up. */
export type LocalSettings = {
  configFile: string;
  secretsFile: string;
  /** Ingress port; 0 = any free port. @default 3000 */
  port: number;
  /** Built-in Workspace 365 sandbox: `auto` serves loopback targets, `off` never starts it. @default auto */
  sandbox: 'auto' | 'off';
  /** Sandbox port; unset = the port of the loopback target URL (4365 in the demo); 0 = any. */
  sandboxPort: number | undefined;
  /** Where the queue state and the CLI's connection file live. @default .state */
  stateDir: string;
  /** How long shutdown keeps delivering before it saves what is left. @default 10000 */
  shutdownGraceMs: number;
  /** Per-request timeout towards Workspace 365 (`WORKSPACE365_TIMEOUT_MS`). @default 10000 */
  workspace365TimeoutMs: number;
  /**
   * Size limit of each generation of the log file `STATE_DIR/relay.log` that `relay trace` reads
   * (`RELAY_LOG_FILE_MAX_BYTES`; 0 = no file). @default 10485760
   */
  logFileMaxBytes: number;
  /**
   * `RELAY_FAST_RETRIES=1`: local only, retry after 1–2 s and give up after 3 receives, so a retry and
   * `retries_exhausted` can be watched in seconds (README, "Reproduce failures locally"). @default false
   */
  fastRetries: boolean;
  /** How often polled parties are checked for being due (`POLL_TICK_MS`; each has its own interval). @default 1000 */
  pollTickMs: number;
  /** `npm start -- --fresh`: forget the saved queue, dedup/delivery records and sandbox feed. @default false */
  fresh: boolean;
};

/** What `RELAY_FAST_RETRIES=1` sets instead of the config's `retry` block. */
export const FAST_RETRIES = { baseSeconds: 1, capSeconds: 2, maxReceives: 3, jitter: 'equal' } as const;

export function readLocalSettings(
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
  argv: readonly string[] = [],
): LocalSettings {
  const { values } = parseArgs({ args: [...argv], options: { fresh: { type: 'boolean' } }, strict: true });
  return {
    fresh: values.fresh === true,
    configFile: resolveConfigPath(env, cwd),
    secretsFile: resolveSecretsPath(env, cwd),
    port: integer(env.PORT, 3000, 'PORT'),
    sandbox: env.RELAY_SANDBOX === 'off' ? 'off' : 'auto',
    sandboxPort: env.SANDBOX_PORT === undefined ? undefined : integer(env.SANDBOX_PORT, 0, 'SANDBOX_PORT'),
    stateDir: resolve(cwd, env.STATE_DIR ?? '.state'),
    shutdownGraceMs: integer(env.RELAY_SHUTDOWN_GRACE_MS, 10_000, 'RELAY_SHUTDOWN_GRACE_MS'),
    workspace365TimeoutMs: integer(env.WORKSPACE365_TIMEOUT_MS, 10_000, 'WORKSPACE365_TIMEOUT_MS'),
    logFileMaxBytes: integer(
      env.RELAY_LOG_FILE_MAX_BYTES,
      DEFAULT_LOG_FILE_MAX_BYTES,
      'RELAY_LOG_FILE_MAX_BYTES',
    ),
    fastRetries: env.RELAY_FAST_RETRIES === '1' || env.RELAY_FAST_RETRIES === 'true',
    pollTickMs: Math.max(integer(env.POLL_TICK_MS, 1000, 'POLL_TICK_MS'), 100),
  };
}

/** `RELAY_SECRETS`, else `secrets.local.json`, else the committed demo file. */
export function resolveSecretsPath(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  if (env.RELAY_SECRETS) return resolve(cwd, env.RELAY_SECRETS);
  const own = resolve(cwd, DEFAULT_SECRETS_FILE);
  return existsSync(own) ? own : resolve(cwd, EXAMPLE_SECRETS_FILE);
}

function integer(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${name} must be a whole number ≥ 0`);
  return parsed;
}
