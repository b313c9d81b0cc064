import { type AwsJsonClient, createAwsJsonClient } from '../aws/aws-json-client';
import { PartySecret } from '../config/secret-value';
import { type SecretStore, SecretUnavailableError } from '../ports/secret-store';
import { describeSecretProblem } from './secret-problem';
import { SecretsManagerProvider } from './secrets-manager-provider';

export type SecretsManagerStoreOptions = {
  /** How long a fetched secret is reused. @default 300 */
  cacheTtlSeconds?: number;
  /** @default a Secrets Manager client from the environment (region, endpoint, credentials) */
  client?: AwsJsonClient;
  /** Called once per real Secrets Manager request (the cache hit rate is a metric). */
  onFetch?: (secretName: string) => void;
  /**
   * Put before every `secretName` to form the physical name: the stage prefix `webhook-relay/<stage>/`
   * the stack passes as `SECRET_NAME_PREFIX` (docs/deploy.md). @default '' (the name as configured)
   */
  namePrefix?: string;
};

/**
 * Party secrets from AWS Secrets Manager through a Powertools provider, which owns the cache (maxAge) and
 * the forced refresh after a 401 from Workspace 365.
 */
export class SecretsManagerSecretStore implements SecretStore {
  readonly #provider: SecretsManagerProvider;
  readonly #maxAge: number;
  readonly #namePrefix: string;

  constructor(options: SecretsManagerStoreOptions = {}) {
    // Counted below the Powertools cache, so the metric is exactly the API calls made.
    this.#provider = new SecretsManagerProvider(
      options.client ?? createAwsJsonClient({ service: 'secretsmanager' }),
      options.onFetch,
    );
    this.#maxAge = options.cacheTtlSeconds ?? 300;
    this.#namePrefix = options.namePrefix ?? '';
  }

  async get(configuredName: string, options: { forceFetch?: boolean } = {}): Promise<PartySecret> {
    // Errors name the physical secret: that is what the operator looks for in the console.
    const secretName = `${this.#namePrefix}${configuredName}`;
    let value: unknown;
    try {
      value = await this.#provider.get(secretName, {
        maxAge: this.#maxAge,
        forceFetch: options.forceFetch ?? false,
      });
    } catch (error) {
      // Powertools wraps the client's error, whose name (ResourceNotFoundException, AccessDeniedException,
      // AwsRequestError…) says what went wrong; neither carries the value.
      const clientError =
        (error as Error).cause instanceof Error ? ((error as Error).cause as Error) : (error as Error);
      throw new SecretUnavailableError(secretName, `could not be read (${clientError.name})`, {
        cause: error,
      });
    }
    if (typeof value !== 'string') throw new SecretUnavailableError(secretName, 'has no string value');
    let json: unknown;
    try {
      json = JSON.parse(value);
    } catch {
      // No cause: JSON.parse's message quotes the text, which is the secret.
      throw new SecretUnavailableError(secretName, 'is not valid JSON');
    }
    const parsed = PartySecret.safeParse(json);
    if (!parsed.success) throw new SecretUnavailableError(secretName, describeSecretProblem(parsed.error));
    return parsed.data;
  }
}
