import type { IncomingMessage } from 'node:http';
import type { ApiErrorResponse, FieldErrors } from '../../shared/workspace365/responses';
import type { ActivityWithoutUser, PayloadKind } from '../../shared/workspace365/schemas';
import { validatePayload } from '../../shared/workspace365/validate';
import { apiKeyFingerprint, presentedApiKey } from './api-keys';
import type { Resolution } from './directory';
import { parseJsonBody, type ReadBody } from './http-io';
import type { SandboxState } from './state';

export type Answer = { status: number; body: unknown; headers?: Record<string, string> };

export type ActivityRequest = {
  environment: string;
  kind: PayloadKind;
  headers: IncomingMessage['headers'];
  body: ReadBody;
  receivedAt: string;
};

const globalError = (message: string): ApiErrorResponse => ({ globalError: { message }, fieldErrors: null });
const fieldErrors = (errors: FieldErrors): ApiErrorResponse => ({ globalError: null, fieldErrors: errors });

function unauthorized(reason: string): Answer {
  return {
    status: 401,
    body: globalError(`Authentication issue: ${reason}`),
    headers: { 'WWW-Authenticate': 'Workspace365' },
  };
}

/**
 * The documented behaviour of POST /{environment}/api/activities(-batch): authenticate, validate with
 * the relay's own schemas, resolve the users, record one activity per user and answer with their ids.
 */
export function answerActivityRequest(
  request: ActivityRequest,
  state: SandboxState,
  options: { autoCreateUsers: boolean },
): Answer {
  if (request.body.tooLarge) return { status: 413, body: globalError('The request body is too large') };

  const credentials = presentedApiKey(request.headers.authorization);
  if (!credentials.ok) return unauthorized(credentials.reason);
  const environment = state.environment(request.environment);
  if (!environment) return unauthorized('the API is not configured for this environment');
  if (!environment.keys.accepts(credentials.apiKey))
    return unauthorized('the token is not valid for this environment');

  const json = parseJsonBody(request.body.bytes);
  if (!json.ok) return { status: 400, body: globalError('The request body is not valid JSON') };
  const validated = validatePayload(request.kind, json.value);
  if (!validated.ok) return { status: 400, body: fieldErrors(validated.fieldErrors) };

  let resolution: Resolution;
  let data: ActivityWithoutUser;
  if (validated.kind === 'activity') {
    const { User: lookup, ...rest } = validated.payload;
    data = rest;
    resolution = environment.directory.resolveActivityUser(lookup, options.autoCreateUsers);
  } else {
    data = validated.payload.Data;
    resolution = environment.directory.resolveScope(validated.payload.Scope);
  }
  if (!resolution.ok) return { status: 400, body: fieldErrors(resolution.fieldErrors) };

  const fingerprint = apiKeyFingerprint(credentials.apiKey);
  const created = resolution.users.map((user) => {
    const id = state.nextActivityId();
    state.record({
      id,
      environment: environment.name,
      user: { id: user.id, upn: user.upn },
      activity: structuredClone(data),
      apiKeyFingerprint: fingerprint,
      ...optionalHeader('idempotencyKey', request.headers['idempotency-key']),
      ...optionalHeader('correlationId', request.headers['x-correlation-id']),
      receivedAt: request.receivedAt,
      kind: request.kind,
    });
    return { id, user: { id: user.id, upn: user.upn } };
  });
  return { status: 200, body: validated.kind === 'activity' ? created[0] : created };
}

/** A request header as an optional field: present only when the client sent it. */
export function optionalHeader<Name extends string>(
  name: Name,
  value: string | string[] | undefined,
): Partial<Record<Name, string>> {
  const text = Array.isArray(value) ? value.join(', ') : value;
  return text === undefined ? {} : ({ [name]: text } as Partial<Record<Name, string>>);
}
