import { describe, expect, it, vi } from 'vitest';
import {
  createWorkspace365Client,
  DEFAULT_USER_AGENT,
  endpointUrl,
  InvalidApiKeyError,
  InvalidTargetError,
  MAX_RESPONSE_BYTES,
} from '../../../shared/workspace365/client';
import type { Activity, BatchActivity } from '../../../shared/workspace365/schemas';

const API_KEY = '5f0c6a2e-7d43-4c1b-9a8e-2b1d3c4e5f60';
const target = { baseUrl: 'https://acme.workspace365.net', environment: 'acme' };
const activity: Activity = { User: { Upn: 'anna.devries@demo.example' }, Title: 'Hello' };
const batch: BatchActivity = { Scope: { Kind: 0 }, Data: { Title: 'Hello all' } };

type Call = { url: string; init: RequestInit };

/** A fetch that records each call and answers with what the test gives it. */
function fakeFetch(answer: (call: Call) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const call = { url: String(input), init: init ?? {} };
    calls.push(call);
    return answer(call);
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('endpointUrl', () => {
  it('joins base URL, encoded environment and endpoint, dropping trailing slashes', () => {
    expect(endpointUrl('activity', { baseUrl: 'https://w.example/', environment: 'acme' }).href).toBe(
      'https://w.example/acme/api/activities',
    );
    expect(endpointUrl('batch', { baseUrl: 'https://w.example/base//', environment: 'a b/c' }).href).toBe(
      'https://w.example/base/a%20b%2Fc/api/activities-batch',
    );
  });

  it('throws InvalidTargetError for a base URL that is not a URL', () => {
    expect(() => endpointUrl('activity', { baseUrl: 'not a url', environment: 'x' })).toThrow(
      InvalidTargetError,
    );
  });
});

describe('createWorkspace365Client', () => {
  it('POSTs the JSON body with the documented headers', async () => {
    const { fetch, calls } = fakeFetch(() => json(200, { id: 1 }));
    const client = createWorkspace365Client({ fetch });
    await client.post('activity', { ...target, language: 'nl-NL' }, API_KEY, activity, {
      idempotencyKey: 'msg-1',
      correlationId: 'corr-1',
    });

    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call?.url).toBe('https://acme.workspace365.net/acme/api/activities');
    expect(call?.init.method).toBe('POST');
    expect(call?.init.redirect).toBe('manual');
    expect(JSON.parse(String(call?.init.body))).toEqual(activity);
    const headers = new Headers(call?.init.headers);
    expect(Object.fromEntries(headers)).toEqual({
      authorization: `Workspace365 ${API_KEY}`,
      'content-type': 'application/json',
      accept: 'application/json',
      'accept-language': 'nl-NL',
      'idempotency-key': 'msg-1',
      'x-correlation-id': 'corr-1',
      'user-agent': DEFAULT_USER_AGENT,
    });
  });

  it('leaves optional headers out when not given, and uses a custom User-Agent', async () => {
    const { fetch, calls } = fakeFetch(() => json(200, { id: 1 }));
    await createWorkspace365Client({ fetch, userAgent: 'test-agent/1' }).post(
      'batch',
      target,
      API_KEY,
      batch,
    );
    const headers = new Headers(calls[0]?.init.headers);
    expect(headers.has('accept-language')).toBe(false);
    expect(headers.has('idempotency-key')).toBe(false);
    expect(headers.has('x-correlation-id')).toBe(false);
    expect(headers.get('user-agent')).toBe('test-agent/1');
  });

  it('sends postActivity to /api/activities and postBatchActivity to /api/activities-batch', async () => {
    const { fetch, calls } = fakeFetch(() => json(200, [{ id: 1 }]));
    const client = createWorkspace365Client({ fetch });
    await client.postActivity(target, API_KEY, activity);
    await client.postBatchActivity(target, API_KEY, batch);
    expect(calls.map((call) => new URL(call.url).pathname)).toEqual([
      '/acme/api/activities',
      '/acme/api/activities-batch',
    ]);
  });

  it('measures latency with the injected clock', async () => {
    const times = [1_000, 1_250];
    const { fetch } = fakeFetch(() => json(200, { id: 5 }));
    const client = createWorkspace365Client({ fetch, now: () => times.shift() ?? 0 });
    expect(await client.post('activity', target, API_KEY, activity)).toEqual({
      type: 'delivered',
      status: 200,
      activityIds: [5],
      latencyMs: 250,
    });
  });

  it('uses the injected clock for an HTTP-date Retry-After', async () => {
    const now = Date.UTC(2026, 2, 10, 12, 0, 0);
    const { fetch } = fakeFetch(() => json(503, {}, { 'retry-after': new Date(now + 45_000).toUTCString() }));
    const outcome = await createWorkspace365Client({ fetch, now: () => now }).post(
      'batch',
      target,
      API_KEY,
      batch,
    );
    expect(outcome).toMatchObject({ type: 'retryable', status: 503, reason: 'http', retryAfterSeconds: 45 });
  });

  it('does not read a response body beyond the limit: a huge 200 is delivered without ids', async () => {
    let pulled = 0;
    const chunk = new Uint8Array(64 * 1024).fill(32);
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const { fetch } = fakeFetch(() => new Response(endless, { status: 200 }));
    const outcome = await createWorkspace365Client({ fetch }).post('activity', target, API_KEY, activity);
    expect(outcome).toMatchObject({ type: 'delivered', activityIds: [] });
    expect(pulled).toBeLessThanOrEqual(MAX_RESPONSE_BYTES + 2 * chunk.byteLength);
  });

  it('treats an oversized 400 body as undocumented', async () => {
    const big = JSON.stringify({ globalError: { message: 'x'.repeat(MAX_RESPONSE_BYTES) } });
    const { fetch } = fakeFetch(() => new Response(big, { status: 400 }));
    const outcome = await createWorkspace365Client({ fetch }).post('activity', target, API_KEY, activity);
    expect(outcome).toMatchObject({
      type: 'rejected',
      error: { globalError: { message: 'Workspace 365 answered 400 with an undocumented body' } },
    });
  });

  it('keeps the status when the connection breaks while the body is read', async () => {
    const broken = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"id": 1'));
        controller.error(new Error('socket closed'));
      },
    });
    const { fetch } = fakeFetch(() => new Response(broken, { status: 200 }));
    const outcome = await createWorkspace365Client({ fetch }).post('activity', target, API_KEY, activity);
    expect(outcome).toMatchObject({ type: 'delivered', status: 200, activityIds: [] });
  });

  it('returns retryable network when fetch rejects', async () => {
    const { fetch } = fakeFetch(() => {
      throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') });
    });
    const outcome = await createWorkspace365Client({ fetch }).post('activity', target, API_KEY, activity);
    expect(outcome).toEqual({
      type: 'retryable',
      reason: 'network',
      cause: expect.stringMatching(/^no answer from /),
      latencyMs: expect.any(Number),
    });
  });

  it('keeps the socket error code and address as the cause, never the message', async () => {
    const { fetch } = fakeFetch(() => {
      const socket = Object.assign(new Error(`connect ECONNREFUSED with header Workspace365 ${API_KEY}`), {
        code: 'ECONNREFUSED',
        address: '10.0.0.7',
        port: 8443,
      });
      throw new TypeError('fetch failed', { cause: socket });
    });
    const outcome = await createWorkspace365Client({ fetch }).post('activity', target, API_KEY, activity);
    expect(outcome).toMatchObject({
      type: 'retryable',
      reason: 'network',
      cause: 'ECONNREFUSED 10.0.0.7:8443',
    });
    expect(JSON.stringify(outcome)).not.toContain(API_KEY);
  });

  it('returns retryable timeout when the client timeout fires', async () => {
    const { fetch } = fakeFetch(
      ({ init }) =>
        new Promise<Response>((_resolve, reject) => {
          init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        }),
    );
    const outcome = await createWorkspace365Client({ fetch, timeoutMs: 20 }).post(
      'batch',
      target,
      API_KEY,
      batch,
    );
    expect(outcome).toEqual({ type: 'retryable', reason: 'timeout', latencyMs: expect.any(Number) });
  });

  it("returns retryable timeout when the caller's signal aborts (e.g. the function is out of time)", async () => {
    const { fetch } = fakeFetch(
      ({ init }) =>
        new Promise<Response>((_resolve, reject) => {
          init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        }),
    );
    const controller = new AbortController();
    const pending = createWorkspace365Client({ fetch }).post('batch', target, API_KEY, batch, {
      signal: controller.signal,
    });
    controller.abort();
    expect(await pending).toMatchObject({ type: 'retryable', reason: 'timeout' });
  });

  it.each([
    ['empty', ''],
    ['with a line break', `${API_KEY}\r\nX-Injected: 1`],
    ['with a space', 'two words'],
  ])(
    'throws InvalidApiKeyError, without the key and without sending, for a key that is %s',
    async (_name, key) => {
      const { fetch, calls } = fakeFetch(() => json(200, {}));
      const error = await createWorkspace365Client({ fetch })
        .post('activity', target, key, activity)
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InvalidApiKeyError);
      if (key !== '') expect(String((error as Error).message)).not.toContain(key);
      expect(calls).toHaveLength(0);
    },
  );
});

describe('the default fetch', () => {
  it('is looked up when posting, so a fetch stubbed after the client was built is used', async () => {
    const client = createWorkspace365Client();
    const { fetch, calls } = fakeFetch(() => json(200, { id: 9 }));
    vi.stubGlobal('fetch', fetch);
    try {
      expect(await client.post('activity', target, API_KEY, activity)).toMatchObject({ activityIds: [9] });
      expect(calls).toHaveLength(1);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('throws (with the header name, never the key) for a header value fetch would refuse', async () => {
    const { fetch, calls } = fakeFetch(() => json(200, {}));
    const error = await createWorkspace365Client({ fetch })
      .post('activity', target, API_KEY, activity, { correlationId: 'bad\nvalue' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TypeError);
    expect(String(error)).not.toContain(API_KEY);
    expect(calls).toHaveLength(0);
  });
});
