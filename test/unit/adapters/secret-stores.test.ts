import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSecretsManagerStub } from '../../../devkit/secrets-manager-stub';
import { FileSecretStore } from '../../../shared/adapters/file-secret-store';
import { SecretsManagerProvider } from '../../../shared/adapters/secrets-manager-provider';
import { SecretsManagerSecretStore } from '../../../shared/adapters/secrets-manager-store';
import { SecretUnavailableError } from '../../../shared/ports/secret-store';

const value = { workspace365ApiKey: 'key-1', webhookSecrets: ['whsec_abc'] };
let stub: Awaited<ReturnType<typeof startSecretsManagerStub>>;
beforeAll(async () => {
  stub = await startSecretsManagerStub({
    'webhook-relay/a': value,
    'webhook-relay/b': value,
    'not-json': 'hunter2-is-the-key',
    'wrong-shape': { workspace365ApiKey: 'hunter2', webhookSecrets: [] },
  });
});
afterAll(() => stub.close());

describe('SecretsManagerSecretStore', () => {
  it('caches within the TTL, refetches on forceFetch, and counts every real call', async () => {
    const fetched: string[] = [];
    const store = new SecretsManagerSecretStore({
      client: stub.client(),
      onFetch: (name) => fetched.push(name),
    });
    for (let i = 0; i < 5; i++) expect(await store.get('webhook-relay/a')).toEqual(value);
    await store.get('webhook-relay/b');
    expect(fetched).toEqual(['webhook-relay/a', 'webhook-relay/b']);
    await store.get('webhook-relay/a', { forceFetch: true });
    expect(fetched).toEqual(['webhook-relay/a', 'webhook-relay/b', 'webhook-relay/a']);
    expect(stub.calls.filter((name) => name.startsWith('webhook-relay/'))).toEqual(fetched);
  });

  it('rejects a value that is not JSON or not the fixed shape without quoting it', async () => {
    const store = new SecretsManagerSecretStore({ client: stub.client() });
    const notJson = await store.get('not-json').catch((error: unknown) => error);
    expect(notJson).toBeInstanceOf(SecretUnavailableError);
    expect(String((notJson as Error).message)).not.toContain('hunter2');
    expect((notJson as Error).cause).toBeUndefined();
    const wrongShape = await store.get('wrong-shape').catch((error: unknown) => error);
    expect((wrongShape as Error).message).toMatch(/webhookSecrets at least one webhook secret is required/);
    expect((wrongShape as Error).message).not.toContain('hunter2');
  });

  it('reports a missing secret as unavailable, named by the service’s error code', async () => {
    const store = new SecretsManagerSecretStore({ client: stub.client() });
    await expect(store.get('missing')).rejects.toThrow(
      /"missing" is unavailable: could not be read \(ResourceNotFoundException\)/,
    );
  });
});

describe('SecretsManagerProvider', () => {
  it('reads one secret at a time: listing is refused without a call', async () => {
    const fetched: string[] = [];
    const provider = new SecretsManagerProvider(stub.client(), (name) => fetched.push(name));
    await expect(provider.getMultiple('webhook-relay/')).rejects.toThrow('reads one secret at a time');
    expect(await provider.get('webhook-relay/a')).toBe(JSON.stringify(value));
    expect(fetched).toEqual(['webhook-relay/a']);
  });
});

describe('FileSecretStore', () => {
  it('reads the named secret, re-reads the file on forceFetch, and reports missing names', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'secrets-')), 'secrets.json');
    writeFileSync(file, JSON.stringify({ 'webhook-relay/a': value }));
    const store = new FileSecretStore(file);
    expect(await store.get('webhook-relay/a')).toEqual(value);
    writeFileSync(file, JSON.stringify({ 'webhook-relay/a': { ...value, workspace365ApiKey: 'key-2' } }));
    expect((await store.get('webhook-relay/a')).workspace365ApiKey).toBe('key-1');
    expect((await store.get('webhook-relay/a', { forceFetch: true })).workspace365ApiKey).toBe('key-2');
    await expect(store.get('webhook-relay/zz')).rejects.toBeInstanceOf(SecretUnavailableError);
  });
});
