import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_BODY_BYTES } from '../../shared/ingress/body';
import { errorBody } from '../../shared/ingress/rejection';
import { type IngressRequest, type IngressResponse, normaliseHeaders } from '../../shared/ingress/request';

export type IngressServerOptions = {
  /** The core, with its dependencies bound (local mode: `req => handleWebhook(req, deps)`). */
  handle: (request: IngressRequest) => Promise<IngressResponse>;
  host?: string;
  /** @default 0 (any free port) */
  port?: number;
};

export type IngressServer = {
  url: string;
  port: number;
  /** New webhooks get 503 from now on (graceful shutdown); the server keeps answering. */
  stopAccepting(): void;
  close(): Promise<void>;
};

const WEBHOOK_PATH = /^\/webhooks\/([^/?#]+)\/?$/;

/** The local host for the ingress core: node:http, same routes and responses as API Gateway. */
export async function startIngressServer(options: IngressServerOptions): Promise<IngressServer> {
  let accepting = true;
  const server: Server = createServer((request, response) => {
    void route(request, response).catch(() => {
      if (!response.headersSent)
        send(response, 500, errorBody('internal_error', 'the relay failed unexpectedly'));
      else response.destroy();
    });
  });
  // Keep-alive clients (load generators) must not hold shutdown hostage.
  server.keepAliveTimeout = 5_000;

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://relay.local');
    if (url.pathname === '/healthz') return send(response, 200, { ok: true, accepting });
    const match = WEBHOOK_PATH.exec(url.pathname);
    if (!match?.[1]) {
      await drain(request);
      return send(response, 404, errorBody('party_unknown', 'webhooks are posted to /webhooks/{partyId}'));
    }
    if (!accepting) {
      await drain(request);
      return send(response, 503, errorBody('queue_unavailable', 'the relay is shutting down; retry later'), {
        'retry-after': '5',
      });
    }
    const { body, truncated } = await readBody(request, MAX_BODY_BYTES);
    const result = await options.handle({
      method: request.method ?? 'GET',
      partyId: decodeURIComponent(match[1]),
      headers: normaliseHeaders(request.headers),
      rawBody: body,
      query: Object.fromEntries(url.searchParams),
      bodyTruncated: truncated,
    });
    send(
      response,
      result.status,
      result.body,
      truncated ? { ...result.headers, connection: 'close' } : result.headers,
    );
    if (truncated) response.once('finish', () => request.socket.destroySoon());
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stopAccepting: () => {
      accepting = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

/**
 * Reads at most `limit` bytes. Past that it stops reading (the answer is 413 either way) instead of
 * buffering whatever a client sends; the connection is closed after the answer.
 */
function readBody(request: IncomingMessage, limit: number): Promise<{ body: Buffer; truncated: boolean }> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    request.pause();
    return Promise.resolve({ body: Buffer.alloc(0), truncated: true });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.off('data', onData);
        request.pause();
        resolve({ body: Buffer.alloc(0), truncated: true });
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.once('end', () => resolve({ body: Buffer.concat(chunks), truncated: false }));
    request.once('error', reject);
  });
}

async function drain(request: IncomingMessage): Promise<void> {
  request.resume();
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}
