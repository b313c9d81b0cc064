import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { demoIngressDeps } from '../../../../devkit/fakes/demo-ingress';
import { fromApiGatewayEvent } from '../../../../functions/ingress/api-gateway';
import { createIngressHandler } from '../../../../functions/ingress/create-handler';
import { type IngressServer, startIngressServer } from '../../../../functions/local/ingress-server';

let server: IngressServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A server in front of a stand-in handler that records the HTTP API events it is invoked with. */
async function start() {
  const seen: APIGatewayProxyEventV2[] = [];
  server = await startIngressServer({
    handler: async (event) => {
      seen.push(event);
      return {
        statusCode: 202,
        headers: { 'x-test': 'yes' },
        body: JSON.stringify({ accepted: 1, ids: ['a'] }),
      };
    },
  });
  return { url: server.url, seen };
}

/** A server in front of the real Lambda ingress handler on the demo config. */
async function startReal() {
  const { deps, queue } = demoIngressDeps();
  server = await startIngressServer({ handler: createIngressHandler(deps) });
  return { url: server.url, queue };
}

describe('local ingress server: the Lambda handler behind node:http', () => {
  it('hands the handler an HTTP API event with the party, lower-cased headers, the exact body bytes and the query', async () => {
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
    const event = seen[0] as APIGatewayProxyEventV2;
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /webhooks/{partyId}',
      rawPath: '/webhooks/acme-1',
      pathParameters: { partyId: 'acme-1' },
      isBase64Encoded: true,
    });
    const request = fromApiGatewayEvent(event);
    expect(request).toMatchObject({ method: 'POST', partyId: 'acme-1', query: { dryRun: '1' } });
    expect(request.headers['x-signature-256']).toBe('sha256=ab');
    expect(Buffer.from(request.rawBody).toString('utf8')).toBe(body);
  });

  it('drops a body over 256 KiB as it arrives instead of buffering it: the handler gets one byte past the limit', async () => {
    const { url, seen } = await start();
    const response = await fetch(`${url}/webhooks/acme`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(300 * 1024),
    });
    expect(response.status).toBe(202); // the stand-in answers; the real core answers 413 (next test)
    expect(fromApiGatewayEvent(seen[0] as APIGatewayProxyEventV2).rawBody.byteLength).toBe(256 * 1024 + 1);
  });

  // The rest of the upload is read and dropped, so the sender sees the 413 rather than a reset; only
  // past the discard bound is the connection closed (test/unit/ingress/ingress-server-edges.test.ts).
  it('answers 413 through the real handler for a body over the limit, keeping the connection', async () => {
    const { url, queue } = await startReal();
    const response = await fetch(`${url}/webhooks/crm-demo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(300 * 1024),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ globalError: { code: 'payload_too_large' } });
    expect(response.headers.get('connection')).toBe('keep-alive');
    expect(queue.sent).toHaveLength(0);
  });

  it('answers 404 party_unknown off the webhook route and for a path that does not decode (%zz), not 500', async () => {
    const { url } = await startReal();
    for (const path of ['/elsewhere', '/webhooks/%zz', '/webhooks/a/b']) {
      const response = await fetch(`${url}${path}`, { method: 'POST', body: '{}' });
      expect(response.status, path).toBe(404);
      expect(await response.json()).toMatchObject({ globalError: { code: 'party_unknown' } });
    }
  });

  it('answers 503 with Retry-After once it stops accepting, without invoking the handler', async () => {
    const { url, seen } = await start();
    server?.stopAccepting();
    const late = await fetch(`${url}/webhooks/acme`, { method: 'POST', body: '{}' });
    expect(late.status).toBe(503);
    expect(late.headers.get('retry-after')).toBe('5');
    expect(seen).toHaveLength(0);
  });
});
