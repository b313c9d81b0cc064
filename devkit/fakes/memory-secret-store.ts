import type { PartySecret } from '../../shared/config/secret-value';
import { type SecretStore, SecretUnavailableError } from '../../shared/ports/secret-store';

/**
 * A SecretStore with the production store's caching contract: a cached read returns what was read
 * first; `forceFetch` reads the current value. `put` is the operator rotating a secret.
 */
export class MemorySecretStore implements SecretStore {
  readonly #current = new Map<string, PartySecret>();
  readonly #cached = new Map<string, PartySecret>();
  /** Every read: name and whether it was forced. */
  readonly reads: { secretName: string; forceFetch: boolean }[] = [];

  constructor(initial: Record<string, PartySecret> = {}) {
    for (const [name, value] of Object.entries(initial)) this.#current.set(name, value);
  }

  put(secretName: string, value: PartySecret): void {
    this.#current.set(secretName, value);
  }

  delete(secretName: string): void {
    this.#current.delete(secretName);
    this.#cached.delete(secretName);
  }

  async get(secretName: string, options: { forceFetch?: boolean } = {}): Promise<PartySecret> {
    const forceFetch = options.forceFetch ?? false;
    this.reads.push({ secretName, forceFetch });
    const cached = this.#cached.get(secretName);
    if (cached && !forceFetch) return cached;
    const value = this.#current.get(secretName);
    if (!value) throw new SecretUnavailableError(secretName, 'not found');
    this.#cached.set(secretName, value);
    return value;
  }
}
