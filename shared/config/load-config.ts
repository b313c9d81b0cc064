import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fieldPath } from '../zod-errors';
import { RelayConfig } from './relay-config';

export const DEFAULT_CONFIG_FILE = 'relay.config.json';
export const EXAMPLE_CONFIG_FILE = 'relay.config.example.json';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
    options?: ErrorOptions,
  ) {
    super(
      `invalid relay config ${file}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
      options,
    );
  }
}

/** Validates a parsed config in one pass, listing every problem at once with its path. */
export function parseRelayConfig(raw: unknown, file = '<inline>'): RelayConfig {
  const parsed = RelayConfig.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => `${fieldPath([...issue.path, key]) || '$'}: ${unknownKey(raw, issue.path)}`)
      : [`${fieldPath(issue.path) || '$'}: ${issue.message}`],
  );
  throw new ConfigError(file, problems);
}

/** Unknown options are named with their party's source, since each source has its own. */
function unknownKey(raw: unknown, path: readonly PropertyKey[]): string {
  const [parties, index, options] = path;
  if (parties !== 'parties' || typeof index !== 'number' || options !== 'options' || path.length !== 3)
    return 'is not a known key';
  const source = (raw as { parties: { source?: unknown }[] }).parties[index]?.source;
  return `is not a known option for ${String(source)}`;
}

/**
 * Picks the config file: `RELAY_CONFIG`, else `relay.config.json`, else the committed demo
 * `relay.config.example.json`.
 */
export function resolveConfigPath(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  if (env.RELAY_CONFIG) return resolve(cwd, env.RELAY_CONFIG);
  const own = resolve(cwd, DEFAULT_CONFIG_FILE);
  return existsSync(own) ? own : resolve(cwd, EXAMPLE_CONFIG_FILE);
}

export function loadRelayConfig(file: string): RelayConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, ['cannot be read'], { cause: error });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(file, [`is not valid JSON: ${(error as Error).message}`], { cause: error });
  }
  return parseRelayConfig(raw, file);
}
