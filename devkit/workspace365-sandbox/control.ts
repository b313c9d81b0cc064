import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  decodePathSegment,
  parseApiKeys,
  parseChaosOptions,
  parseEnvironmentConfig,
  parseScript,
  SandboxInputError,
} from './control-schemas';
import { parseJsonBody, readBody, sendError, sendJson } from './http-io';
import type { Sandbox } from './types';

type Controls = Pick<
  Sandbox,
  'activities' | 'requests' | 'script' | 'chaos' | 'reset' | 'setApiKeys' | 'addEnvironment'
> & { hasEnvironment(name: string): boolean };

const ENVIRONMENT_PATH = /^\/_sandbox\/environments\/([^/]+)$/;
const ENVIRONMENT_KEYS_PATH = /^\/_sandbox\/environments\/([^/]+)\/keys$/;

/**
 * The HTTP face of the programmatic API, for tests that run the sandbox in a child process.
 * Only reached from loopback addresses (checked by the caller).
 */
export async function handleControl(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  controls: Controls,
): Promise<void> {
  const route = `${request.method} ${url.pathname}`;
  try {
    if (route === 'GET /_sandbox/activities') {
      const environment = url.searchParams.get('environment') || undefined;
      const upn = url.searchParams.get('upn') || undefined;
      sendJson(response, 200, controls.activities({ environment, upn }));
      return;
    }
    if (route === 'GET /_sandbox/requests') {
      sendJson(response, 200, controls.requests());
      return;
    }
    if (route === 'POST /_sandbox/reset') {
      controls.reset();
      sendJson(response, 204, undefined);
      return;
    }
    if (route === 'POST /_sandbox/script') {
      const script = parseScript(await readJson(request));
      controls.script(...script);
      sendJson(response, 200, { queued: script.length });
      return;
    }
    if (route === 'POST /_sandbox/chaos') {
      controls.chaos(parseChaosOptions(await readJson(request)));
      sendJson(response, 204, undefined);
      return;
    }
    const keysPath = ENVIRONMENT_KEYS_PATH.exec(url.pathname);
    if (keysPath && request.method === 'PUT') {
      const name = decodePathSegment(keysPath[1] ?? '');
      if (!controls.hasEnvironment(name)) {
        sendError(response, 404, 'unknown environment');
        return;
      }
      controls.setApiKeys(name, parseApiKeys(await readJson(request)));
      sendJson(response, 204, undefined);
      return;
    }
    const environmentPath = ENVIRONMENT_PATH.exec(url.pathname);
    if (environmentPath && request.method === 'PUT') {
      controls.addEnvironment(
        decodePathSegment(environmentPath[1] ?? ''),
        parseEnvironmentConfig(await readJson(request)),
      );
      sendJson(response, 204, undefined);
      return;
    }
    sendError(response, 404, `no sandbox control endpoint ${route}`);
  } catch (error) {
    if (error instanceof SandboxInputError) sendError(response, 400, error.message);
    else throw error;
  }
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const body = await readBody(request);
  if (body.tooLarge) throw new SandboxInputError('the request body is too large');
  const json = parseJsonBody(body.bytes);
  if (!json.ok) throw new SandboxInputError('the request body is not valid JSON');
  return json.value;
}
