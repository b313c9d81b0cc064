import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { MAX_BODY_BYTES } from '../../shared/ingress/body';
import { errorBody } from '../../shared/ingress/rejection';
import type { RelayLogger } from '../../shared/observability/logger';
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
  /** Where unexpected errors are logged (JSON). @default console.error with a JSON line */
  logger?: Pick<RelayLogger, 'error'>;
  /**
   * How much of an oversized body is read and dropped before the 413, so the sender is still reading
   * when it comes (closing on an unread upload resets the connection: the sender sees EPIPE, not 413).
   * @default { maxBytes: 32 MiB, maxMs: 10 000 }
   */
  oversizeDiscard?: { maxBytes?: number; maxMs?: number };
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
  const logger = options.logger ?? jsonErrorLine;
  const discard = {
    maxBytes: options.oversizeDiscard?.maxBytes ?? 32 * 1024 * 1024,
    maxMs: options.oversizeDiscard?.maxMs ?? 10_000,
  };
  const server: Server = createServer((request, response) => {
    void route(request, response).catch((error: unknown) => {
      logger.error('the local HTTP host failed unexpectedly', {
        error:
          error instanceof Error
            ? { name: error.name, message: error.message, stack: error.stack }
            : String(error),
        method: request.method,
        path: (request.url ?? '').split('?')[0],
      });
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
    const { body, truncated, abandoned } = await readBody(request, MAX_BODY_BYTES, discard);
    // An oversized body was dropped while read: `limit + 1` bytes stand for it, so the core's own size
    // check gives the 413 (after the party lookup, as in AWS).
    const event = toHttpApiEvent(request, truncated ? Buffer.alloc(MAX_BODY_BYTES + 1) : body);
    const result = await options.handler(event, localLambdaContext(event.requestContext.requestId));
    const headers = Object.fromEntries(
      Object.entries(result.headers ?? {}).map(([name, value]) => [name, String(value)]),
    );
    response.writeHead(result.statusCode ?? 200, abandoned ? { ...headers, connection: 'close' } : headers);
    response.end(result.body ?? '');
    // Past the discard bound the rest of the upload is not worth reading: end the connection.
    if (abandoned) response.once('finish', () => request.socket.destroySoon());
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
 * Reads at most `limit` bytes. Past that it keeps reading but drops what arrives (the answer is 413
 * either way), up to the discard bound; `abandoned` when the bound, not the end of the body, stopped it.
 */
function readBody(
  request: IncomingMessage,
  limit: number,
  discard: { maxBytes: number; maxMs: number },
): Promise<{ body: Buffer; truncated: boolean; abandoned: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let timer: NodeJS.Timeout | undefined;
    const finish = (result: { body: Buffer; truncated: boolean; abandoned: boolean }) => {
      clearTimeout(timer);
      request.off('data', onData);
      request.off('end', onEnd);
      resolve(result);
    };
    const overflow = () => {
      if (timer) return;
      chunks.length = 0;
      timer = setTimeout(() => abandon(), discard.maxMs);
    };
    const abandon = () => {
      request.pause();
      finish({ body: Buffer.alloc(0), truncated: true, abandoned: true });
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      overflow();
      if (size > limit + discard.maxBytes) abandon();
    };
    const onEnd = () =>
      finish(
        size > limit
          ? { body: Buffer.alloc(0), truncated: true, abandoned: false }
          : { body: Buffer.concat(chunks), truncated: false, abandoned: false },
      );
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      overflow();
      if (declared > limit + discard.maxBytes) return abandon();
    }
    request.on('data', onData);
    request.once('end', onEnd);
    request.once('error', reject);
  });
}

/** Without a logger: still one JSON line per unexpected error. */
const jsonErrorLine: Pick<RelayLogger, 'error'> = {
  error: (message: string, ...extra: unknown[]) => {
    console.error(JSON.stringify({ level: 'ERROR', message, ...Object.assign({}, ...(extra as object[])) }));
  },
};

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
