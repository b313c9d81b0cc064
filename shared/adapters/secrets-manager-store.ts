import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PartySecret } from '../config/secret-value';
import { type SecretStore, SecretUnavailableError } from '../ports/secret-store';
import { describeSecretProblem } from './secret-problem';

export type SecretsManagerStoreOptions = {
  /** How long a fetched secret is reused. @default 300 */
  cacheTtlSeconds?: number;
  /** @default a client built once for the process */
  client?: SecretsManagerClient;
  /** Called once per real Secrets Manager request (the cache hit rate is a metric). */
  onFetch?: (secretName: string) => void;
  /**
   * Put before every `secretName` to form the physical name: the stage prefix `webhook-relay/<stage>/`
   * the stack passes as `SECRET_NAME_PREFIX` (docs/deploy.md). @default '' (the name as configured)
   */
  namePrefix?: string;
};

/**
 * Party secrets from AWS Secrets Manager through Powertools `SecretsProvider`, which owns the cache
 * (maxAge) and the forced refresh after a 401 from Workspace 365.
 */
export class SecretsManagerSecretStore implements SecretStore {
  readonly #provider: SecretsProvider;
  readonly #maxAge: number;
  readonly #onFetch: ((secretName: string) => void) | undefined;
  readonly #namePrefix: string;

  constructor(options: SecretsManagerStoreOptions = {}) {
    const client = options.client ?? new SecretsManagerClient({});
    this.#provider = new SecretsProvider({ awsSdkV3Client: client });
    this.#maxAge = options.cacheTtlSeconds ?? 300;
    this.#onFetch = options.onFetch;
    this.#namePrefix = options.namePrefix ?? '';
    // Count at the SDK, below the Powertools cache, so the metric is exactly the API calls made.
    client.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { SecretId?: string };
        this.#onFetch?.(input.SecretId ?? 'unknown');
        return next(args);
      },
      { step: 'initialize', name: 'countSecretFetches', override: true },
    );
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
      // Powertools wraps the SDK error, whose name (ResourceNotFoundException, AccessDeniedException…)
      // says what went wrong; neither carries the value.
      const sdkError =
        (error as Error).cause instanceof Error ? ((error as Error).cause as Error) : (error as Error);
      throw new SecretUnavailableError(secretName, `could not be read (${sdkError.name})`, { cause: error });
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
