import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  canAnswer,
  isLoopbackAddress,
  parseJsonBody,
  readBody,
  sendError,
  sendJson,
} from '../workspace365-sandbox/http-io';

/** One request to the source API as the sandbox saw it (no credential, only whether it was accepted). */
export type SeenRequest = { method: string; path: string; query: Record<string, string>; status: number };

/** An answer scripted ahead: the next `times` API requests get this status (and headers). */
export type ScriptedAnswer = { status: number; headers?: Record<string, string>; times?: number };

export type ApiRequest = {
  method: string;
  url: URL;
  /** Path segments after the API prefix, decoded. */
  segments: string[];
  query: URLSearchParams;
  body: unknown;
};
export type ApiAnswer = { status: number; body?: unknown; headers?: Record<string, string> };

export type SourceSandboxSpec = {
  name: string;
  /** True when the request carries a valid credential (answered 401 otherwise). */
  authorized(request: IncomingMessage): boolean;
  /** The documented API; undefined = 404. */
  api(request: ApiRequest): ApiAnswer | undefined;
  /** `/_sandbox/...` control routes (loopback only); undefined = 404. */
  control(request: ApiRequest): ApiAnswer | undefined;
  /** `GET /`: a small page to look and click. */
  page(): string;
  reset(): void;
};

export type SourceSandboxServer = {
  url: string;
  /** The answers scripted ahead and the requests seen (tests and the control endpoints). */
  script(...answers: ScriptedAnswer[]): void;
  requests(): SeenRequest[];
  close(): Promise<void>;
};

/**
 * The HTTP shell shared by the WorkDrive and Huddle API sandboxes (dev tools, never deployed): auth check,
 * scripted faults (429 with Retry-After, 5xx, 401), a request log, loopback-only control endpoints and a
 * page, in the spirit of the Workspace 365 sandbox.
 */
export async function startSourceSandbox(
  spec: SourceSandboxSpec,
  options: { host?: string; port?: number } = {},
): Promise<SourceSandboxServer> {
  const scripted: Required<ScriptedAnswer>[] = [];
  const seen: SeenRequest[] = [];
  const host = options.host ?? '127.0.0.1';

  const script = (...answers: ScriptedAnswer[]) => {
    for (const answer of answers) {
      if (!Number.isInteger(answer.status) || answer.status < 100 || answer.status > 599) {
        throw new Error('status must be an HTTP status code');
      }
      scripted.push({ headers: {}, times: 1, ...answer });
    }
  };

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://sandbox.invalid');
    const method = request.method ?? 'GET';
    const raw = await readBody(request);
    if (raw.tooLarge) {
      sendError(response, 413, 'request body too large');
      return;
    }
    const parsed =
      raw.bytes.length === 0 ? { ok: true as const, value: undefined } : parseJsonBody(raw.bytes);
    const form = (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
    const body = form
      ? Object.fromEntries(new URLSearchParams(raw.bytes.toString('utf8')))
      : parsed.ok
        ? parsed.value
        : null;
    let segments: string[];
    try {
      segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      sendError(response, 404, 'not found');
      return;
    }

    if (url.pathname === '/' || segments[0] === '_sandbox') {
      if (!isLoopbackAddress(request.socket.remoteAddress)) {
        sendError(response, 403, 'the sandbox page and control endpoints answer loopback clients only');
        return;
      }
      if (url.pathname === '/') {
        response.writeHead(200, {
          'Content-Type': 'text/html; charset=utf-8',
          'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
          'Cache-Control': 'no-store',
        });
        response.end(spec.page());
        return;
      }
      const control =
        routeControl(segments.slice(1), method, body, url) ??
        notFoundAs404(() =>
          spec.control({ method, url, segments: segments.slice(1), query: url.searchParams, body }),
        );
      if (!control) {
        sendError(response, 404, 'no such control endpoint');
        return;
      }
      // A form on the page comes back to the page.
      if (form && control.status < 400) {
        response.writeHead(303, { Location: '/' });
        response.end();
        return;
      }
      sendJson(response, control.status, control.body, control.headers);
      return;
    }

    const log = (status: number) =>
      seen.push({ method, path: url.pathname, query: Object.fromEntries(url.searchParams), status });
    if (!spec.authorized(request)) {
      log(401);
      sendJson(response, 401, { message: 'Unauthorized' });
      return;
    }
    const next = scripted[0];
    if (next) {
      next.times -= 1;
      if (next.times <= 0) scripted.shift();
      log(next.status);
      sendJson(response, next.status, { message: `scripted ${next.status}` }, next.headers);
      return;
    }
    const answer = notFoundAs404(() =>
      spec.api({
        method,
        url,
        segments,
        query: url.searchParams,
        body: parsed.ok ? parsed.value : null,
      }),
    );
    const status = answer?.status ?? 404;
    log(status);
    sendJson(response, status, answer ? answer.body : { message: 'Not Found' }, answer?.headers);
  }

  function routeControl(segments: string[], method: string, body: unknown, _url: URL): ApiAnswer | undefined {
    const [what] = segments;
    if (what === 'reset' && method === 'POST') {
      scripted.length = 0;
      seen.length = 0;
      spec.reset();
      return { status: 204 };
    }
    if (what === 'requests' && method === 'GET') return { status: 200, body: { requests: seen } };
    if (what === 'script' && method === 'POST') {
      const answers = Array.isArray(body) ? body : [body];
      try {
        script(...(answers as ScriptedAnswer[]));
      } catch (error) {
        return { status: 400, body: { message: (error as Error).message } };
      }
      return { status: 204 };
    }
    return undefined;
  }

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      if (!canAnswer(response)) return;
      console.error(`${spec.name} sandbox: internal error`, error);
      sendError(response, 500, 'sandbox internal error');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    script,
    requests: () => [...seen],
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Escapes text for the sandbox pages. */
export function html(text: unknown): string {
  return String(text ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `skip`/`pagesize` or `cur_page`/`per_page` as numbers within bounds. */
export function intParam(
  query: URLSearchParams,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = Number(query.get(name) ?? fallback);
  return Number.isInteger(value) ? Math.min(Math.max(value, min), max) : fallback;
}

/** Thrown by a sandbox's `api` or `control` for an unknown object: answered 404 with its message. */
export class NotFound extends Error {}

function notFoundAs404(answer: () => ApiAnswer | undefined): ApiAnswer | undefined {
  try {
    return answer();
  } catch (error) {
    if (error instanceof NotFound) return { status: 404, body: { message: error.message } };
    throw error;
  }
}
