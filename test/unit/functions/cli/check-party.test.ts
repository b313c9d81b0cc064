import { describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../../../devkit/fakes/memory-secret-store';
import { checkParty } from '../../../../functions/cli/party/check-party';
import type { PartyConfig } from '../../../../shared/config/relay-config';

const party: PartyConfig = {
  id: 'acme',
  source: 'workspace365',
  auth: { scheme: 'token' },
  target: { baseUrl: 'https://acme.workspace365.net', environment: 'acme' },
  secretName: 'webhook-relay/acme',
  options: {},
};
const secrets = new MemorySecretStore({
  'webhook-relay/acme': { workspace365ApiKey: 'k', webhookSecrets: ['t'] },
});

const answering = (status: number) => (async () => new Response('{}', { status })) as typeof fetch;
const failing = (error: unknown) =>
  (async () => {
    throw error;
  }) as typeof fetch;
const stepsOf = async (fetch: typeof globalThis.fetch, p: PartyConfig = party) =>
  Object.fromEntries((await checkParty(p, { secrets, fetch })).map((step) => [step.check, step]));

describe('checkParty', () => {
  it('posts an empty activity with the key to the activities endpoint, nothing else', async () => {
    const seen: { url: string; init: RequestInit | undefined }[] = [];
    const fetch = (async (url: URL, init?: RequestInit) => {
      seen.push({ url: String(url), init });
      return new Response('{}', { status: 400 });
    }) as typeof globalThis.fetch;
    const steps = await stepsOf(fetch);
    expect(steps['api key']).toMatchObject({ ok: true });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe('https://acme.workspace365.net/acme/api/activities');
    expect(seen[0]?.init).toMatchObject({ method: 'POST', body: '{}', redirect: 'manual' });
    expect(seen[0]?.init?.headers).toMatchObject({ Authorization: 'Workspace365 k' });
  });

  it.each([
    [401, /refused party "acme"'s Workspace 365 API key \(401\)/],
    [403, /refused party "acme"'s Workspace 365 API key \(403\)/],
    [404, /no Workspace 365 API at https:\/\/acme\.workspace365\.net\/acme\/api\/activities \(404\)/],
    [200, /accepted an empty activity \(200\)/],
    [503, /could not confirm: .* answered 503/],
  ])('fails the key check on %i with a clear reason', async (status, reason) => {
    const steps = await stepsOf(answering(status));
    expect(steps.target?.ok).toBe(true);
    expect(steps['api key']).toMatchObject({ ok: false, detail: expect.stringMatching(reason) });
  });

  it.each([
    ['ENOTFOUND', 'DNS: the host name does not resolve'],
    ['ECONNREFUSED', 'nothing listens on that port'],
    ['CERT_HAS_EXPIRED', 'TLS: the certificate has expired'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'TLS: the certificate is for another host name'],
  ])('names the network cause %s', async (code, hint) => {
    const steps = await stepsOf(
      failing(new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code }) })),
    );
    expect(steps.target).toMatchObject({
      ok: false,
      detail: `https://acme.workspace365.net is not reachable: ${code} (${hint})`,
    });
    expect(steps['api key']).toBeUndefined();
  });

  it('says when the target does not answer in time', async () => {
    const timeout = Object.assign(new Error('The operation was aborted due to timeout'), {
      name: 'TimeoutError',
    });
    const steps = await stepsOf(failing(timeout));
    expect(steps.target?.detail).toContain('no answer in time (timeout)');
  });

  it('flags a webhook secret that cannot sign for the scheme, without quoting it', async () => {
    const store = new MemorySecretStore({
      'webhook-relay/acme': { workspace365ApiKey: 'k', webhookSecrets: ['no-colon-here'] },
    });
    const steps = await checkParty(
      { ...party, auth: { scheme: 'basic' } },
      { secrets: store, fetch: answering(400) },
    );
    const webhookSecrets = steps.find((step) => step.check === 'webhook secrets');
    expect(webhookSecrets).toMatchObject({
      ok: false,
      detail: expect.stringContaining('webhookSecrets[0]: '),
    });
    expect(webhookSecrets?.detail).not.toContain('no-colon-here');
  });

  it('stops after an unreadable secret: no request is made', async () => {
    let requests = 0;
    const fetch = (async () => {
      requests += 1;
      return new Response('{}', { status: 400 });
    }) as typeof globalThis.fetch;
    const steps = await checkParty({ ...party, secretName: 'missing' }, { secrets, fetch });
    expect(steps).toEqual([
      { check: 'secret', ok: false, detail: 'secret "missing" is unavailable: not found' },
    ]);
    expect(requests).toBe(0);
  });
});
