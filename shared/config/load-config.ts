import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SOURCE_OPTIONS } from '../sources/options';
import { fieldPath } from '../workspace365/field-errors';
import type * as z from '../zod';
import { describeJsonError } from './json-position';
import { nearestKey } from './nearest-key';
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

/** Validates a parsed config, listing every problem at once with its path (parties named by id). */
export function parseRelayConfig(raw: unknown, file = '<inline>'): RelayConfig {
  const parsed = RelayConfig.safeParse(raw);
  const problems = parsed.success
    ? []
    : parsed.error.issues.flatMap((issue) =>
        issue.code === 'unrecognized_keys'
          ? issue.keys.map(
              (key) =>
                `${describePath(raw, [...issue.path, key])}: is not a known key${suggestion(key, knownKeysAt(RelayConfig, issue.path))}`,
            )
          : [`${describePath(raw, issue.path)}: ${issue.message}`],
      );
  if (parsed.success) {
    parsed.data.parties.forEach((party, index) => {
      const schema = SOURCE_OPTIONS[party.source];
      const options = schema.safeParse(party.options);
      if (options.success) {
        party.options = options.data as Record<string, unknown>;
        return;
      }
      for (const issue of options.error.issues) {
        const path = ['parties', index, 'options', ...issue.path];
        if (issue.code === 'unrecognized_keys') {
          for (const key of issue.keys)
            problems.push(
              `${describePath(raw, [...path, key])}: is not a known option for ${party.source}${suggestion(key, knownKeysAt(schema, issue.path))}`,
            );
        } else problems.push(`${describePath(raw, path)}: ${issue.message}`);
      }
    });
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(file, problems);
  return parsed.data;
}

/**
 * `parties[crm-demo].secretName` rather than `parties[4].secretName`: a party is found by its id. The
 * index stays when the id is missing, malformed or used twice (then the id does not say which one).
 */
function describePath(raw: unknown, path: readonly PropertyKey[]): string {
  const [first, index, ...rest] = path;
  if (first !== 'parties' || typeof index !== 'number') return fieldPath(path) || '$';
  const parties = (raw as { parties?: unknown } | null)?.parties;
  const ids = Array.isArray(parties) ? parties.map((party) => (party as { id?: unknown } | null)?.id) : [];
  const id = ids[index];
  const usable =
    typeof id === 'string' &&
    /^[a-z0-9-]{1,64}$/.test(id) &&
    ids.filter((other) => other === id).length === 1;
  return fieldPath(rest, `parties[${usable ? id : index}]`);
}

function suggestion(key: string, known: readonly string[]): string {
  const nearest = nearestKey(key, known);
  return nearest ? ` (did you mean "${nearest}"?)` : '';
}

type SchemaDef = {
  type: string;
  shape?: Record<string, { _zod: { def: SchemaDef } }>;
  element?: { _zod: { def: SchemaDef } };
  innerType?: { _zod: { def: SchemaDef } };
};

/** The keys an object schema allows at `path` (through arrays, defaults and optionals). */
function knownKeysAt(schema: z.ZodMiniType, path: readonly PropertyKey[]): string[] {
  const unwrap = (def: SchemaDef): SchemaDef => (def.innerType ? unwrap(def.innerType._zod.def) : def);
  let def = unwrap(schema._zod.def as unknown as SchemaDef);
  for (const segment of path) {
    const next = typeof segment === 'string' ? def.shape?.[segment] : def.element;
    if (!next) return [];
    def = unwrap(next._zod.def);
  }
  return Object.keys(def.shape ?? {});
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
    throw new ConfigError(file, [`is not valid JSON: ${describeJsonError(text, error)}`], { cause: error });
  }
  return parseRelayConfig(raw, file);
}
