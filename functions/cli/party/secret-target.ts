import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  ResourceExistsException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { FileSecretStore } from '../../../shared/adapters/file-secret-store';
import { SecretsManagerSecretStore } from '../../../shared/adapters/secrets-manager-store';
import type { PartySecret } from '../../../shared/config/secret-value';
import { partySecretId, partySecretPrefix } from '../../../shared/config/stage-names';
import type { SecretStore } from '../../../shared/ports/secret-store';
import { DEFAULT_SECRETS_FILE, resolveSecretsPath } from '../../local/local-settings';
import { sdkBackedClient } from '../sdk-backed-client';

/** Where a party's secret lives: the local secrets file, or Secrets Manager under a stage's prefix. */
export type SecretTarget = {
  /** For messages: "secrets.local.json" or "Secrets Manager (eu-west-1) webhook-relay/prod/…". */
  describe(secretName: string): string;
  /** Reads and validates, never from a cache. */
  store: SecretStore;
  /** Creates the secret; refuses (SecretExistsError) to overwrite one that is already there. */
  create(secretName: string, value: PartySecret, partyId: string): Promise<void>;
};

export class SecretExistsError extends Error {
  override readonly name = 'SecretExistsError';
}

export type SecretTargetOptions = {
  stage?: string;
  region?: string;
  secretsFile?: string;
  /** Local only: a check reads the file local mode reads; an add never writes the committed example. */
  purpose: 'read' | 'create';
};

export function secretTarget(
  options: SecretTargetOptions,
  env: NodeJS.ProcessEnv,
  cwd: string,
  makeClient: (region: string | undefined) => SecretsManagerClient = (region) =>
    new SecretsManagerClient(region ? { region } : {}),
): SecretTarget {
  if (options.stage !== undefined)
    return awsTarget(options.stage, makeClient(options.region), options.region);
  if (options.secretsFile) return fileTarget(resolve(cwd, options.secretsFile));
  if (options.purpose === 'read' || env.RELAY_SECRETS) return fileTarget(resolveSecretsPath(env, cwd));
  // The committed example is never written to: a new secrets.local.json is.
  return fileTarget(resolve(cwd, DEFAULT_SECRETS_FILE));
}

function fileTarget(file: string): SecretTarget {
  return {
    describe: (secretName) => `${file} ("${secretName}")`,
    store: {
      get: (secretName) => new FileSecretStore(file).get(secretName, { forceFetch: true }),
    },
    async create(secretName, value) {
      const all = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
      if (Object.hasOwn(all, secretName)) {
        throw new SecretExistsError(
          `${file} already holds "${secretName}"; rotate it in place (README "Rotate a party's secrets") or remove it first`,
        );
      }
      all[secretName] = value;
      writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
    },
  };
}

function awsTarget(stage: string, client: SecretsManagerClient, region: string | undefined): SecretTarget {
  const where = `Secrets Manager${region ? ` (${region})` : ''}`;
  const store = new SecretsManagerSecretStore({
    client: sdkBackedClient(client, { GetSecretValue: GetSecretValueCommand }),
    namePrefix: partySecretPrefix(stage),
  });
  return {
    describe: (secretName) => `${where} "${partySecretId(stage, secretName)}"`,
    store: { get: (secretName) => store.get(secretName, { forceFetch: true }) },
    async create(secretName, value, partyId) {
      const name = partySecretId(stage, secretName);
      try {
        await client.send(
          new CreateSecretCommand({
            Name: name,
            Description: `Webhook relay party "${partyId}" (stage ${stage}): {"workspace365ApiKey","webhookSecrets":[...]}`,
            SecretString: JSON.stringify(value),
            Tags: [
              { Key: 'app', Value: 'webhook-relay' },
              { Key: 'stage', Value: stage },
              { Key: 'party', Value: partyId },
            ],
          }),
        );
      } catch (error) {
        if (error instanceof ResourceExistsException) {
          throw new SecretExistsError(
            `${where} already holds "${name}"; rotate it in place (README "Rotate a party's secrets") or delete it first`,
            { cause: error },
          );
        }
        // The SDK error names the problem (AccessDenied, no credentials…); it never carries the value.
        throw new Error(`could not create ${where} secret "${name}": ${(error as Error).name}`, {
          cause: error,
        });
      }
    },
  };
}
