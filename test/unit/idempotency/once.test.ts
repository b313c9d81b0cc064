import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InMemoryCacheClient } from '../../../shared/idempotency/in-memory-cache-client';
import { createOnce, WorkInProgressError } from '../../../shared/idempotency/once';
import { createPersistenceStore } from '../../../shared/idempotency/persistence-store';

const newOnce = (cacheClient = new InMemoryCacheClient()) =>
  createOnce(createPersistenceStore({ cacheClient }), { expiresAfterSeconds: 60, namespace: 'test' });

describe('once (Powertools idempotency)', () => {
  it('runs the work the first time and returns the stored result after', async () => {
    const once = newOnce();
    let runs = 0;
    const work = async () => ({ run: ++runs });
    expect(await once.run('k', work)).toEqual({ first: true, value: { run: 1 } });
    expect(await once.run('k', work)).toEqual({ first: false, value: { run: 1 } });
    expect(await once.run('other', work)).toEqual({ first: true, value: { run: 2 } });
  });

  it('keeps no record when the work fails, so the next attempt runs', async () => {
    const once = newOnce();
    await expect(
      once.run('k', async () => {
        throw new Error('queue down');
      }),
    ).rejects.toThrow('queue down');
    expect(await once.run('k', async () => 'ok')).toEqual({ first: true, value: 'ok' });
  });

  it('refuses a concurrent attempt with the same key while the first is in progress', async () => {
    const once = newOnce();
    let release: () => void = () => {};
    const slow = once.run('k', () => new Promise<string>((resolve) => (release = () => resolve('done'))));
    await new Promise((resolve) => setTimeout(resolve, 10));
    await expect(once.run('k', async () => 'second')).rejects.toBeInstanceOf(WorkInProgressError);
    release();
    expect(await slow).toEqual({ first: true, value: 'done' });
  });

  it('forgets a key after its expiry, and a snapshot carries records to a new store', async () => {
    let now = 1_000_000;
    const client = new InMemoryCacheClient(() => now);
    const once = newOnce(client);
    await once.run('k', async () => 'v');
    const restored = new InMemoryCacheClient(() => now);
    restored.restore(client.snapshot());
    expect(await newOnce(restored).run('k', async () => 'again')).toEqual({ first: false, value: 'v' });
    now += 61_000;
    expect(await client.get([...client.snapshot()][0]?.key ?? 'none')).toBeNull();
  });
});

describe('once record keys', () => {
  it('stores a key as Powertools hashes "<namespace>:<key>", so records written by earlier releases still match', async () => {
    const client = new InMemoryCacheClient();
    await newOnce(client).run('party-a:evt_1', async () => 'v');
    const hash = createHash('md5').update(JSON.stringify('test:party-a:evt_1')).digest('base64');
    expect(client.snapshot().map((entry) => entry.key)).toEqual([
      expect.stringMatching(new RegExp(`#${hash.replace(/[+/]/g, '\\$&')}$`)),
    ]);
  });
});
