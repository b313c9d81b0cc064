import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

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

// Connections are kept between invocations (no TLS handshake per call). A socket the service closed while
// the execution environment was frozen fails with ECONNRESET, which the client retries like the SDK does.
const agents = {
  'http:': new HttpAgent({ keepAlive: true }),
  'https:': new HttpsAgent({ keepAlive: true }),
};

/**
 * node:http(s) with keep-alive agents: ≈ 60 µs of CPU a call where `fetch` (undici) takes ≈ 350 µs on
 * Node 24 (docs/cost.md, "Start fast").
 */
export const nodeHttpTransport: Transport = (url, { headers, body, timeoutMs }) =>
  new Promise<Answer>((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(
      url,
      {
        method: 'POST',
        agent: agents[url.protocol === 'https:' ? 'https:' : 'http:'],
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      },
      (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', fail);
        response.on('end', () => {
          clearTimeout(timer);
          resolve({
            status: response.statusCode ?? 0,
            header: (name) => {
              const value = response.headers[name];
              return Array.isArray(value) ? value.join(', ') : value;
            },
            text: Buffer.concat(chunks).toString('utf8'),
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
