import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type * as z from '../zod';
import { fieldPath } from '../zod-errors';
import { describeJsonError } from './json-position';
import { nearestKey } from './nearest-key';
import type { SourceName } from './relay-config';
import { RelayConfig } from './relay-config';
import {
  HuddleSourceOptions,
  TemplateSourceOptions,
  WorkDriveSourceOptions,
  Workspace365SourceOptions,
} from './source-options';

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

/** Validates a parsed config in one pass, listing every problem at once with its path (parties named by id). */
export function parseRelayConfig(raw: unknown, file = '<inline>'): RelayConfig {
  const parsed = RelayConfig.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => unknownKey(raw, issue.path, key))
      : [`${describePath(raw, issue.path)}: ${issue.message}`],
  );
  throw new ConfigError(file, problems);
}

/** Each source has its own options, so an unknown option is named with its party's source. */
const OPTIONS_BY_SOURCE: Readonly<Record<SourceName, z.ZodMiniType>> = {
  workspace365: Workspace365SourceOptions,
  workdrive: WorkDriveSourceOptions,
  huddle: HuddleSourceOptions,
  template: TemplateSourceOptions,
};

function unknownKey(raw: unknown, path: readonly PropertyKey[], key: string): string {
  const where = describePath(raw, [...path, key]);
  const [parties, index, options, ...within] = path;
  if (parties === 'parties' && typeof index === 'number' && options === 'options') {
    const source = (raw as { parties: { source?: unknown }[] }).parties[index]?.source;
    const schema = Object.hasOwn(OPTIONS_BY_SOURCE, String(source))
      ? OPTIONS_BY_SOURCE[source as SourceName]
      : undefined;
    return `${where}: is not a known option for ${String(source)}${suggestion(key, schema ? knownKeysAt(schema, within) : [])}`;
  }
  return `${where}: is not a known key${suggestion(key, knownKeysAt(RelayConfig, path))}`;
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
  /** A union's variants (a party: one per source, all with the same party keys). */
  options?: { _zod: { def: SchemaDef } }[];
  shape?: Record<string, { _zod: { def: SchemaDef } }>;
  element?: { _zod: { def: SchemaDef } };
  innerType?: { _zod: { def: SchemaDef } };
};

/** The keys an object schema allows at `path` (through arrays, defaults and optionals). */
function knownKeysAt(schema: z.ZodMiniType, path: readonly PropertyKey[]): string[] {
  const unwrap = (def: SchemaDef): SchemaDef => {
    if (def.innerType) return unwrap(def.innerType._zod.def);
    const variant = def.options?.[0];
    return variant ? unwrap(variant._zod.def) : def;
  };
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
