import type { RelayConfig } from '../../shared/config/relay-config';
import { type SecretStore, SecretUnavailableError } from '../../shared/ports/secret-store';

/** Some parties have no usable secret in the local secrets file; every one of them is listed. */
export class MissingSecretsError extends Error {
  override readonly name = 'MissingSecretsError';
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(
      `the secrets file ${file} does not serve every party:\n${problems.map((problem) => `  - ${problem}`).join('\n')}\n` +
        'add each secret as { "<secretName>": { "workspace365ApiKey": "…", "webhookSecrets": ["…"] } } (see secrets.local.example.json)',
    );
  }
}

/**
 * Reads every party's secret once at start, so `npm start` lists all missing or malformed secrets at
 * once instead of failing on the first (or answering 503 to the first webhook).
 */
export async function checkPartySecrets(
  config: RelayConfig,
  secrets: SecretStore,
  file: string,
): Promise<void> {
  const problems: string[] = [];
  for (const party of config.parties) {
    try {
      await secrets.get(party.secretName);
    } catch (error) {
      // A file that cannot be read or parsed is one problem for everyone: it propagates as it is.
      if (!(error instanceof SecretUnavailableError)) throw error;
      problems.push(`parties[${party.id}].secretName: ${error.message}`);
    }
  }
  if (problems.length > 0) throw new MissingSecretsError(file, problems);
}
