import type jsonata from 'jsonata';
import type { PartyAuthConfig } from '../../config/relay-config';
import type { FieldErrors } from '../../workspace365/responses';
import { detectPayloadKind } from '../../workspace365/validate';
import type { MappedPayload, SourceContext, SourceResult, WebhookSource } from '../source';
import { type CompiledTemplate, describeJsonataError, type TemplateExpressionName } from './compile-template';
import { tidyPayload } from './tidy-payload';

const MAX_EVENT_LENGTH = 128;
const MAX_EVENT_ID_LENGTH = 256;

/** Headers a template never sees: credentials and signatures must not end up in a payload. */
const HIDDEN_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'x-api-key',
  'webhook-signature',
  'x-signature-256',
]);

type Evaluation = { ok: true; value: unknown } | { ok: false; result: SourceResult };

/**
 * The template source: the party's JSONata expressions map any JSON body. Each expression gets the
 * body as input and the bindings `$headers` (lower-cased request headers, credentials removed) and
 * `$now` (the request time, ISO 8601).
 */
export function createTemplateSource(template: CompiledTemplate, auth?: PartyAuthConfig): WebhookSource {
  const hidden = new Set(HIDDEN_HEADERS);
  if (auth?.header) hidden.add(auth.header.toLowerCase());
  const { expressions } = template;

  return {
    async map(body, context): Promise<SourceResult> {
      const bindings = { headers: visibleHeaders(context, hidden), now: context.now.toISOString() };
      const run = (name: TemplateExpressionName, expression: jsonata.Expression) =>
        evaluate(name, expression, body, bindings);

      let event = defaultEvent(body);
      if (expressions.event) {
        const evaluated = await run('event', expressions.event);
        if (!evaluated.ok) return evaluated.result;
        if (typeof evaluated.value === 'string' && evaluated.value.trim() !== '') {
          event = evaluated.value.trim().slice(0, MAX_EVENT_LENGTH);
        }
      }

      let eventId: string | undefined;
      if (expressions.eventId) {
        const evaluated = await run('eventId', expressions.eventId);
        if (!evaluated.ok) return evaluated.result;
        const id = eventIdOf(evaluated.value);
        if (id === null) {
          return invalid(
            'eventId',
            `the template's eventId expression must give a string or a number of at most ${MAX_EVENT_ID_LENGTH} characters`,
          );
        }
        eventId = id;
      }
      const identity = eventId === undefined ? { event } : { event, eventId };

      if (expressions.filter) {
        const evaluated = await run('filter', expressions.filter);
        if (!evaluated.ok) return evaluated.result;
        if (!isTruthy(evaluated.value)) {
          return { outcome: 'ignored', ...identity, reason: 'filtered out by the template' };
        }
      }

      const evaluated = await run('payload', expressions.payload);
      if (!evaluated.ok) return evaluated.result;
      const output = toJson(evaluated.value);
      if (output === undefined) {
        return invalid(
          'payload',
          "the template's payload expression gave no result for this body (use the filter option to skip events)",
        );
      }
      const items = Array.isArray(output) ? output : [output];
      if (items.length === 0)
        return { outcome: 'ignored', ...identity, reason: 'the template produced no payload' };

      const payloads: MappedPayload[] = [];
      const dropped: string[] = [];
      const fieldErrors: FieldErrors = {};
      items.forEach((item, index) => {
        const kind = detectPayloadKind(item);
        if (kind === undefined) {
          const name = Array.isArray(output) ? `template.payload[${index}]` : 'template.payload';
          fieldErrors[name] = {
            message: `${Array.isArray(output) ? `item ${index} of the template's output` : "the template's output"} is neither an Activity (with User) nor a Batch Activity (with Scope and Data)`,
          };
        } else {
          const tidied = tidyPayload(kind, item as Record<string, unknown>);
          payloads.push({ kind, payload: tidied.payload });
          const prefix = Array.isArray(output) ? `[${index}].` : '';
          dropped.push(...tidied.dropped.map((field) => `${prefix}${field}`));
        }
      });
      if (Object.keys(fieldErrors).length > 0) {
        return {
          outcome: 'invalid',
          message: "the template's payload is not a Workspace 365 payload",
          fieldErrors,
        };
      }
      return { outcome: 'mapped', ...identity, payloads, ...(dropped.length > 0 ? { dropped } : {}) };
    },
  };
}

async function evaluate(
  name: TemplateExpressionName,
  expression: jsonata.Expression,
  body: unknown,
  bindings: Record<string, unknown>,
): Promise<Evaluation> {
  try {
    return { ok: true, value: await expression.evaluate(body, bindings) };
  } catch (error) {
    return {
      ok: false,
      result: invalid(name, `the template's ${name} expression failed: ${describeJsonataError(error)}`),
    };
  }
}

function invalid(name: TemplateExpressionName, message: string): SourceResult {
  return { outcome: 'invalid', message, fieldErrors: { [`template.${name}`]: { message } } };
}

function visibleHeaders(context: SourceContext, hidden: ReadonlySet<string>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(context.headers)) {
    if (value !== undefined && !hidden.has(name.toLowerCase())) headers[name.toLowerCase()] = value;
  }
  return headers;
}

/** `event` from the body when it is a string, else "webhook" (the option's documented default). */
function defaultEvent(body: unknown): string {
  if (typeof body === 'object' && body !== null && !Array.isArray(body) && 'event' in body) {
    const { event } = body as { event: unknown };
    if (typeof event === 'string' && event.trim() !== '') return event.trim().slice(0, MAX_EVENT_LENGTH);
  }
  return 'webhook';
}

/** The event id as a string; undefined when the expression gave nothing (ingress falls back); null when unusable. */
function eventIdOf(value: unknown): string | undefined | null {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.length <= MAX_EVENT_ID_LENGTH) return value;
  return null;
}

/** JSONata's own truthiness ($boolean): empty strings, 0, empty arrays/objects, null and functions are false. */
export function isTruthy(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.some(isTruthy);
  switch (typeof value) {
    case 'string':
      return value.length > 0;
    case 'number':
      return value !== 0;
    case 'boolean':
      return value;
    case 'object':
      return Object.keys(value).length > 0;
    default:
      return false;
  }
}

/** A plain JSON copy of the output: drops JSONata's sequence markers, functions and undefined members. */
function toJson(value: unknown): unknown {
  if (value === undefined) return undefined;
  const text = JSON.stringify(value);
  return text === undefined ? undefined : JSON.parse(text);
}
