import { describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../../devkit/fakes/memory-secret-store';
import { SecretUnavailableError } from '../../../shared/ports/secret-store';
import { coalesceSecretReads } from '../../../shared/worker/coalesce-secret-reads';

describe('coalesceSecretReads', () => {
  it('shares one read among concurrent callers, separately for cached and forced reads', async () => {
    const store = new MemorySecretStore({ s: { workspace365ApiKey: 'k', webhookSecrets: ['w'] } });
    const secrets = coalesceSecretReads(store);
    await Promise.all([secrets.get('s'), secrets.get('s'), secrets.get('s')]);
    await Promise.all([secrets.get('s', { forceFetch: true }), secrets.get('s', { forceFetch: true })]);
    expect(store.reads).toEqual([
      { secretName: 's', forceFetch: false },
      { secretName: 's', forceFetch: true },
    ]);
    await secrets.get('s');
    expect(store.reads).toHaveLength(3);
  });

  it('passes failures to every waiting caller and does not keep them', async () => {
    const store = new MemorySecretStore({});
    const secrets = coalesceSecretReads(store);
    const results = await Promise.allSettled([secrets.get('missing'), secrets.get('missing')]);
    expect(
      results.every(
        (result) => result.status === 'rejected' && result.reason instanceof SecretUnavailableError,
      ),
    ).toBe(true);
    store.put('missing', { workspace365ApiKey: 'k', webhookSecrets: ['w'] });
    expect((await secrets.get('missing')).workspace365ApiKey).toBe('k');
  });
});
