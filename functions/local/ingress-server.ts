import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { MAX_BODY_BYTES } from '../../shared/ingress/body';
import { errorBody } from '../../shared/ingress/rejection';
import { localLambdaContext, toHttpApiEvent } from './http-api-event';

/** The Lambda ingress handler (`createIngressHandler(deps)`), as API Gateway invokes it. */
export type HttpApiHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

export type IngressServerOptions = {
  /** The same adapter and handler as in AWS: every webhook reaches it as an HTTP API event. */
  handler: HttpApiHandler;
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

/**
 * The local host for the ingress function: node:http in front of the Lambda handler, which gets the
 * HTTP API event API Gateway would send, so routing, path decoding and responses are the Lambda's own.
 * The host keeps only what API Gateway does before the function: its body limit and a health check.
 */
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
    if (new URL(request.url ?? '/', 'http://relay.local').pathname === '/healthz') {
      await drain(request);
      return send(response, 200, { ok: true, accepting });
    }
    if (!accepting) {
      await drain(request);
      return send(response, 503, errorBody('queue_unavailable', 'the relay is shutting down; retry later'), {
        'retry-after': '5',
      });
    }
    const { body, truncated } = await readBody(request, MAX_BODY_BYTES);
    const event = toHttpApiEvent(request, body);
    const result = await options.handler(event, localLambdaContext(event.requestContext.requestId));
    const headers = Object.fromEntries(
      Object.entries(result.headers ?? {}).map(([name, value]) => [name, String(value)]),
    );
    response.writeHead(result.statusCode ?? 200, truncated ? { ...headers, connection: 'close' } : headers);
    response.end(result.body ?? '');
    if (truncated) response.once('finish', () => request.socket.destroySoon());
  }

  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
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
 * Reads at most `limit + 1` bytes. Past the limit it stops reading (the answer is 413 either way) instead
 * of buffering whatever a client sends; the connection is closed after the answer. The handler gets
 * `limit + 1` bytes then, so the core's own size check gives that 413 (after the party lookup, as in AWS).
 */
function readBody(request: IncomingMessage, limit: number): Promise<{ body: Buffer; truncated: boolean }> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    request.pause();
    // Stands for the body that was never read: nothing but the size check looks at it.
    return Promise.resolve({ body: Buffer.alloc(limit + 1), truncated: true });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > limit) {
        request.off('data', onData);
        request.pause();
        resolve({ body: Buffer.concat(chunks).subarray(0, limit + 1), truncated: true });
      }
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
