import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SOURCE_OPTIONS } from '../sources/options';
import { fieldPath } from '../workspace365/field-errors';
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

/** Validates a parsed config, listing every problem at once with its path. */
export function parseRelayConfig(raw: unknown, file = '<inline>'): RelayConfig {
  const parsed = RelayConfig.safeParse(raw);
  const problems = parsed.success
    ? []
    : parsed.error.issues.flatMap((issue) =>
        issue.code === 'unrecognized_keys'
          ? issue.keys.map((key) => `${fieldPath([...issue.path, key]) || '$'}: is not a known key`)
          : [`${fieldPath(issue.path) || '$'}: ${issue.message}`],
      );
  if (parsed.success) {
    parsed.data.parties.forEach((party, index) => {
      const options = SOURCE_OPTIONS[party.source].safeParse(party.options);
      if (options.success) {
        party.options = options.data as Record<string, unknown>;
        return;
      }
      for (const issue of options.error.issues) {
        const path = ['parties', index, 'options', ...issue.path];
        if (issue.code === 'unrecognized_keys') {
          for (const key of issue.keys)
            problems.push(`${fieldPath([...path, key])}: is not a known option for ${party.source}`);
        } else problems.push(`${fieldPath(path)}: ${issue.message}`);
      }
    });
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(file, problems);
  return parsed.data;
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
