import { afterEach, describe, expect, it } from 'vitest';
import { type IngressServer, startIngressServer } from '../../../functions/local/ingress-server';
import type { IngressRequest } from '../../../shared/ingress/request';

let server: IngressServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start() {
  const seen: IngressRequest[] = [];
  server = await startIngressServer({
    handle: async (request) => {
      seen.push(request);
      return { status: 202, headers: { 'x-test': 'yes' }, body: { accepted: 1, ids: ['a'] } };
    },
  });
  return { url: server.url, seen };
}

describe('local ingress server', () => {
  it('hands the core the party, lower-cased headers, the exact body bytes and the query', async () => {
    const { url, seen } = await start();
    const body = '{"Title":"héllo 🚀"}';
    const response = await fetch(`${url}/webhooks/acme-1?dryRun=1`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Signature-256': 'sha256=ab' },
      body,
    });
    expect(response.status).toBe(202);
    expect(response.headers.get('x-test')).toBe('yes');
    expect(await response.json()).toEqual({ accepted: 1, ids: ['a'] });
    expect(seen[0]).toMatchObject({
      method: 'POST',
      partyId: 'acme-1',
      query: { dryRun: '1' },
      bodyTruncated: false,
    });
    expect(seen[0]?.headers['x-signature-256']).toBe('sha256=ab');
    expect(Buffer.from(seen[0]?.rawBody ?? []).toString('utf8')).toBe(body);
  });

  it('marks a body over 256 KiB as truncated instead of buffering it', async () => {
    const { url, seen } = await start();
    const response = await fetch(`${url}/webhooks/acme`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(300 * 1024),
    });
    expect(response.status).toBe(202); // the fake core answers; the real one answers 413 on bodyTruncated
    expect(seen[0]?.bodyTruncated).toBe(true);
    expect(seen[0]?.rawBody.byteLength).toBe(0);
  });

  it('answers 404 in the W365 error shape off the webhook route, and 503 once it stops accepting', async () => {
    const { url, seen } = await start();
    const off = await fetch(`${url}/elsewhere`, { method: 'POST', body: '{}' });
    expect(off.status).toBe(404);
    expect(await off.json()).toMatchObject({ globalError: { code: 'party_unknown' } });
    server?.stopAccepting();
    const late = await fetch(`${url}/webhooks/acme`, { method: 'POST', body: '{}' });
    expect(late.status).toBe(503);
    expect(late.headers.get('retry-after')).toBe('5');
    expect(seen).toHaveLength(0);
  });
});
