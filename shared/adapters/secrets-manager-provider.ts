import { BaseProvider } from '@aws-lambda-powertools/parameters/base';
import type { AwsJsonClient } from '../aws/aws-json-client';

/**
 * A Powertools parameters provider over GetSecretValue through the light AWS client: Powertools keeps
 * what it is good at (the cache with maxAge, forceFetch), without loading the SDK's Secrets Manager client.
 * Only the string value is read; the relay's secrets are JSON text.
 */
export class SecretsManagerProvider extends BaseProvider {
  readonly #client: AwsJsonClient;
  readonly #onFetch: ((secretId: string) => void) | undefined;

  constructor(client: AwsJsonClient, onFetch?: (secretId: string) => void) {
    super({});
    this.#client = client;
    this.#onFetch = onFetch;
  }

  /** One real GetSecretValue call: only reached when the cache has no fresh value. */
  protected async _get(secretId: string): Promise<string | undefined> {
    this.#onFetch?.(secretId);
    const output = await this.#client.call<{ SecretString?: string }>('GetSecretValue', {
      SecretId: secretId,
    });
    return output.SecretString;
  }

  protected _getMultiple(): Promise<Record<string, unknown> | undefined> {
    throw new Error('SecretsManagerProvider reads one secret at a time');
  }
}
