import type { PartySecret } from '../config/secret-value';
import type { SecretStore } from '../ports/secret-store';

/**
 * Concurrent reads of one secret share a single request. The store's cache only helps once a value is in
 * it: a batch of ten records for a cold party would otherwise ask Secrets Manager ten times, and ten
 * 401s at once would force ten refreshes.
 */
export function coalesceSecretReads(store: SecretStore): SecretStore {
  const inFlight = new Map<string, Promise<PartySecret>>();
  return {
    get(secretName, options = {}) {
      const key = `${options.forceFetch ? 'refresh' : 'read'}:${secretName}`;
      const pending = inFlight.get(key);
      if (pending) return pending;
      const read = store.get(secretName, options).finally(() => inFlight.delete(key));
      inFlight.set(key, read);
      return read;
    },
  };
}
