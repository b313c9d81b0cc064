import { existsSync, readFileSync } from 'node:fs';

/**
 * The keys `npm run sandbox` accepts for its `demo` environment, so the committed demo parties (and a
 * local secrets file the operator made) deliver without further setup.
 */

/** The `workspace365ApiKey` of every secret in a `{ "<secretName>": { … } }` file; none if it is absent. */
export function apiKeysInSecretsFile(file: string): string[] {
  if (!existsSync(file)) return [];
  let secrets: unknown;
  try {
    secrets = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    // The parser's message is left out: it can quote the file's content.
    throw new Error(`${file} is not a readable JSON secrets file`, { cause: error });
  }
  if (typeof secrets !== 'object' || secrets === null) return [];
  return Object.values(secrets).flatMap((secret: unknown) => {
    const key = (secret as { workspace365ApiKey?: unknown } | null)?.workspace365ApiKey;
    return typeof key === 'string' && key !== '' ? [key] : [];
  });
}

/** Keys from the given secrets files plus a comma-separated list (`SANDBOX_API_KEYS`), each once. */
export function demoApiKeys(secretsFiles: readonly string[], commaSeparated = ''): string[] {
  const listed = commaSeparated
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key !== '');
  return [...new Set([...secretsFiles.flatMap(apiKeysInSecretsFile), ...listed])];
}
