import { execFile } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { httpApiAdapter } from '../../../../functions/ingress/create-handler';
import { type IngressServer, startIngressServer } from '../../../../functions/local/ingress-server';
import { MAX_BODY_BYTES } from '../../../../shared/ingress/body';
import type { IngressRequest, IngressResponse } from '../../../../shared/ingress/request';

const run = promisify(execFile);
let server: IngressServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

type Logged = { message: string; extra: unknown[] };

async function start(
  handle: (request: IngressRequest) => Promise<IngressResponse>,
  options: { oversizeDiscard?: { maxBytes?: number; maxMs?: number } } = {},
) {
  const logged: Logged[] = [];
  server = await startIngressServer({
    handler: httpApiAdapter(handle),
    logger: { error: (message: string, ...extra: unknown[]) => logged.push({ message, extra }) },
    ...options,
  });
  return { url: server.url, port: server.port, logged };
}

/** The real core's answer to a body over the limit (shared/ingress: 413 payload_too_large). */
const coreLike = async (request: IngressRequest): Promise<IngressResponse> =>
  request.rawBody.length > MAX_BODY_BYTES
    ? { status: 413, headers: {}, body: { globalError: { code: 'payload_too_large' } } }
    : { status: 202, headers: {}, body: { accepted: 1 } };

/**
 * Uploads from another process, as a real sender does (in one process the client and server share an
 * event loop, which hides the race): fetch, then node:http, each size in turn. Prints status or error code.
 */
const UPLOADER = `
import { request } from 'node:http';
const [url, ...sizes] = process.argv.slice(1);
const results = [];
for (const megabytes of sizes.map(Number)) {
  const body = Buffer.alloc(megabytes * 1024 * 1024, 0x61);
  results.push(await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(
    (response) => response.status,
    (error) => error.cause?.code ?? error.message,
  ));
  results.push(await new Promise((resolve) => {
    const req = request(url, { method: 'POST', headers: { 'content-length': body.length } }, (response) => {
      response.resume();
      response.once('end', () => resolve(response.statusCode));
    });
    req.once('error', (error) => resolve(error.code ?? error.message));
    req.end(body);
  }));
}
console.log(JSON.stringify(results));
`;

async function uploadFromAnotherProcess(url: string, megabytes: number[]): Promise<unknown[]> {
  const { stdout } = await run(process.execPath, [
    '--input-type=module',
    '-e',
    UPLOADER,
    url,
    ...megabytes.map(String),
  ]);
  return JSON.parse(stdout) as unknown[];
}

describe('local ingress server: malformed party ids', () => {
  it.each(['%zz', '%E0%A4%A', '%ff'])('POST /webhooks/%s answers 404 party_unknown, not 500', async (raw) => {
    const seen: IngressRequest[] = [];
    const { url, logged } = await start(async (request) => {
      seen.push(request);
      return { status: 202, headers: {}, body: {} };
    });
    const response = await fetch(`${url}/webhooks/${raw}`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      globalError: { code: 'party_unknown', message: expect.stringContaining('percent-encoding') },
    });
    expect(seen).toHaveLength(0);
    expect(logged).toHaveLength(0);
  });

  it('logs every unexpected error (method, path, error; never the body) and answers 500', async () => {
    const { url, logged } = await start(async () => {
      throw new Error('queue client exploded');
    });
    const response = await fetch(`${url}/webhooks/acme?token=abc`, {
      method: 'POST',
      body: '{"secret":"s3"}',
    });
    expect(response.status).toBe(500);
    expect(logged).toHaveLength(1);
    expect(logged[0]?.message).toBe('the local HTTP host failed unexpectedly');
    expect(logged[0]?.extra[0]).toMatchObject({
      method: 'POST',
      path: '/webhooks/acme',
      error: { message: 'queue client exploded' },
    });
    expect(JSON.stringify(logged)).not.toContain('s3');
    expect(JSON.stringify(logged)).not.toContain('token=abc');
  });
});

describe('local ingress server: oversized uploads', () => {
  it('the sender sees the 413 for 4–16 MB uploads (fetch and node:http), not EPIPE', async () => {
    const { url } = await start(coreLike);
    const sizes = [4, 6, 8, 12, 16];
    const outcomes = await uploadFromAnotherProcess(`${url}/webhooks/acme`, sizes);
    expect(outcomes).toEqual(sizes.flatMap(() => [413, 413]));
  });

  it('stops reading a body that never ends once the discard bound is reached', async () => {
    const { port } = await start(coreLike, { oversizeDiscard: { maxBytes: 1024 * 1024, maxMs: 60_000 } });
    const outcome = await new Promise<string>((resolve) => {
      const request = httpRequest({ host: '127.0.0.1', port, path: '/webhooks/acme', method: 'POST' });
      request.once('response', (response) => resolve(`status ${response.statusCode}`));
      request.once('error', () => resolve('connection ended'));
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = () => {
        // A chunked upload with no end: only the server's bound can stop it.
        while (request.write(chunk)) {}
        request.once('drain', pump);
      };
      pump();
    });
    expect(['status 413', 'connection ended']).toContain(outcome);
  });
});
