import type { Agent, IncomingMessage } from 'node:http';

/** One exchange with an AWS endpoint: the status, a header getter and the whole body as text. */
export type Answer = { status: number; header(name: string): string | undefined; text: string };

/** Sends a signed `POST` and reads the whole answer within `timeoutMs`, or rejects. */
export type Transport = (
  url: URL,
  request: { headers: Record<string, string>; body: string; timeoutMs: number },
) => Promise<Answer>;

/** A timeout of one attempt; the client retries it like a network error. */
export class AttemptTimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

type HttpModule = typeof import('node:http');

// Connections are kept between invocations (no TLS handshake per call). A socket the service closed while
// the execution environment was frozen fails with ECONNRESET, which the client retries like the SDK does.
const connections = new Map<string, { module: HttpModule; agent: Agent }>();

/**
 * node:http(s) with a keep-alive agent for `protocol` (`https:` in AWS, `http:` for local stand-ins):
 * ≈ 60 µs of CPU a call where `fetch` (undici) takes ≈ 350 µs on Node 24 (docs/cost.md, "Start fast").
 * The module comes from `process.getBuiltinModule`: an ESM `import` of node:http makes Node 24 evaluate
 * its lazy exports, which loads undici (≈ 20–40 ms of cold start) for nothing.
 */
export function nodeHttpTransport(protocol: string): Transport {
  const name = protocol === 'http:' ? 'node:http' : 'node:https';
  let connection = connections.get(name);
  if (!connection) {
    const module = process.getBuiltinModule(name) as HttpModule;
    connection = { module, agent: new module.Agent({ keepAlive: true }) };
    connections.set(name, connection);
  }
  const { module, agent } = connection;
  return (url, { headers, body, timeoutMs }) =>
    new Promise<Answer>((resolve, reject) => {
      // Plain options and raw [name, value, …] headers: Node skips converting a URL and normalising an
      // object per request (≈ 20 µs of the ≈ 80 µs node:http costs per call).
      const raw: string[] = [];
      for (const name in headers) raw.push(name, headers[name] as string);
      raw.push('content-length', String(Buffer.byteLength(body)));
      const request = module.request(
        { host: url.hostname, port: url.port, path: '/', method: 'POST', agent, headers: raw },
        (response: IncomingMessage) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            text += chunk;
          });
          response.on('error', fail);
          response.on('end', () => {
            clearTimeout(timer);
            resolve({
              status: response.statusCode ?? 0,
              header: (headerName) => {
                const value = response.headers[headerName];
                return Array.isArray(value) ? value.join(', ') : value;
              },
              text,
            });
          });
        },
      );
      const timer = setTimeout(() => {
        request.destroy(new AttemptTimeoutError(`no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      function fail(error: Error) {
        clearTimeout(timer);
        reject(error);
      }
      request.on('error', fail);
      request.end(body);
    });
}

/** The same exchange through a `fetch` (a caller's, e.g. to observe or fake requests). */
export function fetchTransport(send: typeof fetch): Transport {
  return async (url, { headers, body, timeoutMs }) => {
    const response = await send(url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    // The timeout covers reading the body too: an answer that stalls half-way is no answer.
    const text = await response.text();
    return { status: response.status, header: (name) => response.headers.get(name) ?? undefined, text };
  };
}
