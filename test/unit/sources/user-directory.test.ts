import { describe, expect, it } from 'vitest';
import { recordingLogger } from '../../../devkit/fakes/recording-logger';
import { silentLogger } from '../../../shared/observability/logger';
import { WorkDriveUserDirectory } from '../../../shared/sources/workdrive/user-directory';
import { fakeWorkDriveApi } from './fake-workdrive-api';

const KNOWN = '0b7c2f0e-6a1e-4f43-9d0a-6c1f4f7c2a11';
const UNKNOWN = '9f8e7d6c-5b4a-4321-8fed-cba987654321';
const T0 = new Date('2026-03-02T12:00:00Z');
const later = (ms: number) => new Date(T0.getTime() + ms);

function setup(
  answers: Parameters<typeof fakeWorkDriveApi>[0] = { [KNOWN]: { email: 'anna@demo.example' } },
) {
  const api = fakeWorkDriveApi(answers);
  const directory = new WorkDriveUserDirectory({
    apiBaseUrl: 'https://api.workdrive.example/',
    ttlMs: 60_000,
    negativeTtlMs: 10_000,
  });
  const context = (now = T0) => ({ apiKey: 'wd-key', fetch: api.fetch, now, logger: silentLogger });
  return { api, directory, context };
}

describe('WorkDrive user directory (API resolver)', () => {
  it('GETs /api/users/{id} with the X-API-KEY header and answers the e-mail address', async () => {
    const { api, directory, context } = setup();
    await expect(directory.lookup(KNOWN, context())).resolves.toEqual({
      status: 'found',
      upn: 'anna@demo.example',
    });
    expect(api.requests).toEqual([
      { url: `https://api.workdrive.example/api/users/${KNOWN}`, apiKey: 'wd-key' },
    ]);
  });

  it('accepts a base URL that already ends in /api', async () => {
    const api = fakeWorkDriveApi({ [KNOWN]: { email: 'anna@demo.example' } });
    const directory = new WorkDriveUserDirectory({ apiBaseUrl: 'https://api.workdrive.example/api' });
    await directory.lookup(KNOWN, { apiKey: 'k', fetch: api.fetch, now: T0, logger: silentLogger });
    expect(api.requests[0]?.url).toBe(`https://api.workdrive.example/api/users/${KNOWN}`);
  });

  it('caches a found user: a second lookup within the TTL makes no call, one after it does', async () => {
    const { api, directory, context } = setup();
    await directory.lookup(KNOWN, context());
    await expect(directory.lookup(KNOWN, context(later(59_000)))).resolves.toMatchObject({ status: 'found' });
    expect(api.requests).toHaveLength(1);
    await directory.lookup(KNOWN, context(later(61_000)));
    expect(api.requests).toHaveLength(2);
  });

  it('caches an unknown user (404) for the shorter negative TTL', async () => {
    const { api, directory, context } = setup();
    await expect(directory.lookup(UNKNOWN, context())).resolves.toEqual({ status: 'not-found' });
    await expect(directory.lookup(UNKNOWN, context(later(9_000)))).resolves.toEqual({ status: 'not-found' });
    expect(api.requests).toHaveLength(1);
    await directory.lookup(UNKNOWN, context(later(11_000)));
    expect(api.requests).toHaveLength(2);
  });

  it('treats a user without an e-mail address as not found', async () => {
    const { directory, context } = setup({ [KNOWN]: {} });
    await expect(directory.lookup(KNOWN, context())).resolves.toEqual({ status: 'not-found' });
  });

  it('reads a user wrapped as { user: {...} }', async () => {
    const wrapped = (async () =>
      Response.json({ user: { id: KNOWN, email: 'anna@demo.example' } })) as typeof fetch;
    const directory = new WorkDriveUserDirectory({ apiBaseUrl: 'https://api.workdrive.example' });
    await expect(
      directory.lookup(KNOWN, { apiKey: 'k', fetch: wrapped, now: T0, logger: silentLogger }),
    ).resolves.toEqual({ status: 'found', upn: 'anna@demo.example' });
  });

  it('reports network errors, rejected keys and server errors as failed, and does not cache them', async () => {
    for (const answer of ['network-error', 401, 503] as const) {
      const { api, directory, context } = setup({ [KNOWN]: answer });
      await expect(directory.lookup(KNOWN, context())).resolves.toMatchObject({ status: 'failed' });
      await directory.lookup(KNOWN, context());
      expect(api.requests, String(answer)).toHaveLength(2);
    }
  });

  it('gives up on a request that does not answer within the timeout', async () => {
    const hanging = ((_url: string, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      })) as typeof fetch;
    const directory = new WorkDriveUserDirectory({
      apiBaseUrl: 'https://api.workdrive.example',
      timeoutMs: 20,
    });
    await expect(
      directory.lookup(KNOWN, { apiKey: 'k', fetch: hanging, now: T0, logger: silentLogger }),
    ).resolves.toEqual({ status: 'failed', reason: 'timeout' });
  });

  it('shares one request between concurrent lookups of the same user', async () => {
    const { api, directory, context } = setup();
    const answers = await Promise.all([
      directory.lookup(KNOWN, context()),
      directory.lookup(KNOWN, context()),
    ]);
    expect(answers).toEqual([
      { status: 'found', upn: 'anna@demo.example' },
      { status: 'found', upn: 'anna@demo.example' },
    ]);
    expect(api.requests).toHaveLength(1);
  });

  it('logs a failure with the user id and reason, never the API key', async () => {
    const { directory } = setup();
    const { lines, logger } = recordingLogger();
    const failing = (async () => new Response('', { status: 403 })) as typeof fetch;
    await directory.lookup(KNOWN, { apiKey: 'super-secret-key', fetch: failing, now: T0, logger });
    expect(lines).toEqual([
      ['WorkDrive user lookup failed', { userId: KNOWN, reason: 'API key rejected', status: 403 }],
    ]);
    expect(JSON.stringify(lines)).not.toContain('super-secret-key');
  });
});
