import type { PartySecret } from '../config/secret-value';

/** Reads a party's secret value (docs/architecture.md §3). Secrets Manager in AWS, a JSON file in local mode. */
export interface SecretStore {
  /**
   * Returns the parsed secret. Cached by the implementation; `forceFetch` skips the cache (used once
   * after Workspace 365 answers 401/403, in case the operator rotated the key).
   * Throws `SecretUnavailableError` when it is missing or not the fixed shape.
   */
  get(secretName: string, options?: { forceFetch?: boolean }): Promise<PartySecret>;
}

export class SecretUnavailableError extends Error {
  override readonly name = 'SecretUnavailableError';
  constructor(
    readonly secretName: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    // The reason names the problem (missing, not JSON, which field); never the value.
    super(`secret "${secretName}" is unavailable: ${reason}`, options);
  }
}
