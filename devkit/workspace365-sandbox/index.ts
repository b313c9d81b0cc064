import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PayloadKind } from '../../shared/workspace365/schemas';
import { answerActivityRequest, optionalHeader } from './activity-endpoint';
import { apiKeyFingerprint, presentedApiKey } from './api-keys';
import { handleControl } from './control';
import { parseChaosOptions, parseScript } from './control-schemas';
import { DEFAULT_SEED, type FaultDecision, FaultPlan } from './faults';
import { FEED_PAGE_CSP, renderFeedPage } from './feed-page';
import { canAnswer, isLoopbackAddress, readBody, sendError, sendJson, sendScripted } from './http-io';
import { SandboxState } from './state';
import type { RecordedRequest, Sandbox, SandboxOptions } from './types';

export { apiKeyFingerprint } from './api-keys';
export { SandboxInputError } from './control-schemas';
export { DEFAULT_USERS } from './directory';
export type * from './types';

const API_PATH = /^\/([^/]+)\/api\/(activities|activities-batch)\/?$/;
const FEED_REFRESH_SECONDS = 3;

/**
 * Starts a local stand-in for the Workspace 365 Activity Feed API (in the spirit of stripe-mock): the
 * documented endpoints, auth and error shapes, plus fault injection and inspection for tests.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  const autoCreateUsers = options.autoCreateUsers ?? true;
  const state = new SandboxState();
  for (const [name, config] of Object.entries(options.environments ?? {})) state.addEnvironment(name, config);
  state.restore(options.activities ?? []);
  const faults = new FaultPlan(options.seed ?? DEFAULT_SEED);
  // Delayed answers and chaos hangs; cleared on close so nothing fires after it.
  const timers = new Set<NodeJS.Timeout>();

  const later = (ms: number, work: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      work();
    }, ms);
    timers.add(timer);
  };

  const sandbox: Omit<Sandbox, 'url' | 'close'> = {
    addEnvironment: (name, config) => state.addEnvironment(name, config),
    setApiKeys: (environment, apiKeys) => state.setApiKeys(environment, apiKeys),
    activities: (filter) => state.activities(filter),
    requests: () => state.requests(),
    script: (...responses) => faults.script(parseScript(responses)),
    unscript: (filter) => faults.unscript(filter),
    chaos: (chaosOptions) => faults.chaos(parseChaosOptions(chaosOptions)),
    reset: () => {
      state.reset();
      faults.reset();
    },
  };

  async function handleActivityRequest(
    request: IncomingMessage,
    response: ServerResponse,
    environment: string,
    kind: PayloadKind,
  ): Promise<void> {
    const receivedAt = new Date().toISOString();
    const { headers } = request;
    const credentials = presentedApiKey(headers.authorization);
    const seen: RecordedRequest = {
      environment,
      kind,
      status: 0,
      ...(credentials.ok ? { apiKeyFingerprint: apiKeyFingerprint(credentials.apiKey) } : {}),
      ...optionalHeader('idempotencyKey', headers['idempotency-key']),
      ...optionalHeader('correlationId', headers['x-correlation-id']),
      ...optionalHeader('acceptLanguage', headers['accept-language']),
      at: receivedAt,
    };
    const body = await readBody(request);

    const fault = faults.decide({ environment, kind });
    if (fault) {
      state.logRequest(
        fault.type === 'respond' ? { ...seen, status: fault.status } : { ...seen, fault: fault.type },
      );
      applyFault(fault, request, response);
      return;
    }
    const answer = answerActivityRequest({ environment, kind, headers, body, receivedAt }, state, {
      autoCreateUsers,
    });
    state.logRequest({ ...seen, status: answer.status });
    sendJson(response, answer.status, answer.body, answer.headers);
  }

  function applyFault(fault: FaultDecision, request: IncomingMessage, response: ServerResponse): void {
    if (fault.type === 'reset') {
      request.socket.resetAndDestroy();
      return;
    }
    if (fault.type === 'timeout') {
      // Never answered: the client gives up, or close() ends the connection.
      if (fault.hangMs !== undefined) later(fault.hangMs, () => request.socket.destroy());
      return;
    }
    const send = () => sendScripted(response, fault.status, fault.headers, fault.body);
    if (fault.delayMs > 0) later(fault.delayMs, send);
    else send();
  }

  function sendFeedPage(response: ServerResponse): void {
    const html = renderFeedPage({
      refreshSeconds: FEED_REFRESH_SECONDS,
      environments: state.environmentList().map((environment) => ({
        name: environment.name,
        users: environment.directory.all(),
        activities: state.activities({ environment: environment.name }),
      })),
    });
    response.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': FEED_PAGE_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    });
    response.end(html);
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://sandbox.invalid');
    const api = API_PATH.exec(url.pathname);
    if (api) {
      if (request.method !== 'POST') {
        sendJson(
          response,
          405,
          { globalError: { message: 'use POST' }, fieldErrors: null },
          { Allow: 'POST' },
        );
        return;
      }
      let environment: string;
      try {
        environment = decodeURIComponent(api[1] ?? '');
      } catch {
        sendError(response, 404, 'not found');
        return;
      }
      await handleActivityRequest(
        request,
        response,
        environment,
        api[2] === 'activities' ? 'activity' : 'batch',
      );
      return;
    }
    if (url.pathname === '/' || url.pathname.startsWith('/_sandbox/')) {
      // A dev tool: inspection and control are for the machine it runs on only.
      if (!isLoopbackAddress(request.socket.remoteAddress)) {
        sendError(response, 403, 'the sandbox page and control endpoints answer loopback clients only');
        return;
      }
      if (url.pathname === '/') {
        if (request.method === 'GET' || request.method === 'HEAD') sendFeedPage(response);
        else sendJson(response, 405, { globalError: { message: 'use GET' } }, { Allow: 'GET, HEAD' });
        return;
      }
      await handleControl(request, response, url, {
        ...sandbox,
        hasEnvironment: (name) => state.environment(name) !== undefined,
      });
      return;
    }
    sendError(response, 404, 'not found');
  }

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      // A client that left mid-request needs no answer; anything else is a sandbox bug worth seeing.
      if (!canAnswer(response)) return;
      console.error('sandbox: internal error', error);
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
    ...sandbox,
    url: `http://${urlHost(host)}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        // Ends keep-alive sockets and hung (timeout-fault) requests, which server.close() would wait for.
        server.closeAllConnections();
      }),
  };
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
