import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoConfig, demoSecrets } from '../../../devkit/fakes/demo';
import { demoIngressDeps } from '../../../devkit/fakes/demo-ingress';
import { createIngressHandler } from '../../../functions/ingress/create-handler';
import { type IngressServer, startIngressServer } from '../../../functions/local/ingress-server';
import { signWebhook } from '../../../shared/auth';
import { parseRelayConfig } from '../../../shared/config/load-config';
import type { RelayConfig } from '../../../shared/config/relay-config';
import { eventKey } from '../../../shared/dedup/event-key';
import { QueueMessage } from '../../../shared/envelope/queue-message';
import { validatePayload } from '../../../shared/workspace365/validate';
import { afterSigning, bodyOf, type CorpusCase, type Expectation, readManifest, valueAtPath } from './corpus';

const manifest = readManifest();
const demo = demoConfig();
const config: RelayConfig = parseRelayConfig({
  parties: [...demo.parties, ...manifest.extraParties],
  retry: demo.retry,
});
const secrets = demoSecrets();

/** The queue and dedup store of the case being replayed: every case starts with both empty. */
let current = freshState();
let server: IngressServer;
const prototypesBefore = prototypeSnapshot();

beforeAll(async () => {
  server = await startIngressServer({
    handler: (event, context) => createIngressHandler(current.deps)(event, context),
  });
});

afterAll(async () => {
  await server?.close();
});

function freshState() {
  return demoIngressDeps({ config });
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

type Sent = { status: number; text: string; body: Record<string, unknown> };

/** Signs (where the case says so) over the exact bytes, applies `afterSigning`, and posts. */
async function send(testCase: CorpusCase, step: Pick<CorpusCase, 'sign' | 'afterSigning'>, raw: Buffer) {
  const headers: Record<string, string> = {};
  const contentType = testCase.contentType === undefined ? 'application/json' : testCase.contentType;
  if (contentType !== null) headers['content-type'] = contentType;
  const sign = step.sign ?? true;
  const party = config.parties.find((candidate) => candidate.id === testCase.party);
  if (sign !== false && party) {
    const secret = secrets[party.secretName]?.webhookSecrets[0] ?? '';
    const options = sign === true ? {} : sign;
    Object.assign(
      headers,
      signWebhook(party.auth, secret, raw, {
        ...(options.webhookId ? { webhookId: options.webhookId } : {}),
        now: new Date(Date.now() + (options.timestampOffsetSeconds ?? 0) * 1000),
      }),
    );
  }
  let request = { body: raw, headers };
  if (step.afterSigning) {
    request = afterSigning(step.afterSigning, raw, headers);
    // A change that leaves the request as it was would make the case prove nothing.
    expect(
      request.body.equals(raw) && JSON.stringify(request.headers) === JSON.stringify(headers),
      `${step.afterSigning} must change the signed request`,
    ).toBe(false);
  }
  const response = await fetch(`${server.url}/webhooks/${encodeURIComponent(testCase.party)}`, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
  });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as Record<string, unknown> } satisfies Sent;
}

function checkAnswer(sent: Sent, expected: Expectation, queuedBefore: number): void {
  const queued = current.queue.sent.slice(queuedBefore);
  expect(sent.status, sent.text.slice(0, 500)).toBe(expected.status);
  if (expected.status >= 400) {
    const globalError = sent.body.globalError as { code?: unknown; message?: unknown } | undefined;
    expect(globalError?.code).toBe(expected.code);
    expect(typeof globalError?.message === 'string' && globalError.message.length > 0).toBe(true);
    // A clear, short answer: the body (huge strings included) is never echoed back.
    expect(sent.text.length).toBeLessThan(2048);
    if (expected.field !== undefined) {
      const fieldErrors = (sent.body.fieldErrors ?? {}) as Record<string, { message?: unknown }>;
      expect(Object.keys(fieldErrors)).toContain(expected.field);
      expect(typeof fieldErrors[expected.field]?.message).toBe('string');
    }
    expect(queued).toHaveLength(0);
    return;
  }
  if (expected.duplicate !== undefined) expect(sent.body.duplicate).toBe(expected.duplicate);
  if (expected.ignored) expect(typeof sent.body.ignored).toBe('string');
  if (expected.accepted !== undefined) {
    expect(sent.body.accepted).toBe(expected.accepted);
    // A duplicate's own copies are queued before its claim is refused; the caller checks they are not the owner's.
    if (!expected.duplicate) expect(queued).toHaveLength(expected.accepted);
  }
  for (const message of queued) {
    expect(QueueMessage.safeParse(message).success).toBe(true);
    expect(validatePayload(message.kind, message.payload).ok).toBe(true);
    for (const check of expected.payload ?? []) {
      const value = valueAtPath(message.payload, check.path);
      if ('equals' in check) expect(value, check.path).toEqual(check.equals);
      if (check.maxLength !== undefined || check.startsWith !== undefined || check.endsWith !== undefined) {
        expect(typeof value, check.path).toBe('string');
        const text = value as string;
        expect(LONE_SURROGATE.test(text), `${check.path} keeps surrogate pairs whole`).toBe(false);
        if (check.maxLength !== undefined) expect(text.length).toBeLessThanOrEqual(check.maxLength);
        if (check.startsWith !== undefined) expect(text.startsWith(check.startsWith)).toBe(true);
        if (check.endsWith !== undefined) expect(text.endsWith(check.endsWith)).toBe(true);
      }
    }
  }
}

function prototypeSnapshot(): string {
  const ownNames = (target: object) =>
    Object.getOwnPropertyNames(target)
      .sort()
      .map((name) => `${name}:${typeof Object.getOwnPropertyDescriptor(target, name)?.value}`);
  return JSON.stringify({
    object: ownNames(Object.prototype),
    array: ownNames(Array.prototype),
    function: ownNames(Function.prototype),
    string: ownNames(String.prototype),
  });
}

describe('bad-input corpus against a real local ingress', () => {
  it.each(manifest.cases.map((testCase) => [testCase.name, testCase] as const))('%s', async (_, testCase) => {
    current = freshState();
    const raw = bodyOf(testCase);
    const first = await send(testCase, testCase, raw);
    checkAnswer(first, testCase.expect, 0);

    if (testCase.replay) {
      const { replay } = testCase;
      const replayRaw =
        replay.bodyFile !== undefined || replay.bodyText !== undefined || replay.json !== undefined
          ? bodyOf(replay)
          : raw;
      const queuedBefore = current.queue.sent.length;
      const again = await send(testCase, { sign: replay.sign ?? testCase.sign }, replayRaw);
      checkAnswer(again, replay.expect, queuedBefore);
      // A replay's copies may be on the queue (queued, then refused the claim), but they are never the
      // owner's: the worker drops them unposted (docs/cost.md, "One write per webhook").
      for (const copy of current.queue.sent.slice(queuedBefore)) {
        const record = await current.deps.ledger?.read(eventKey(copy.partyId, copy.eventId));
        expect(record?.owner).toBeDefined();
        expect(record?.owner).not.toBe(copy.attempt);
      }
    }

    // The process is still up and answering after every case.
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
  });

  it('left Object.prototype and the other built-in prototypes untouched', () => {
    expect(prototypeSnapshot()).toBe(prototypesBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
  });

  it('names the field at fault in every 422 it expects (except the queue-size refusal, which has none)', () => {
    for (const testCase of manifest.cases.filter((candidate) => candidate.expect.status === 422)) {
      if (testCase.expect.code !== 'message_too_large')
        expect(testCase.expect.field, testCase.name).toBeDefined();
    }
  });

  it('covers every Activity and Batch Activity field with a wrong type', () => {
    const fields = new Set(
      manifest.cases
        .filter((testCase) => testCase.name.startsWith('wrong type:'))
        .map((testCase) => testCase.expect.field),
    );
    for (const field of [
      'User',
      'User.Id',
      'User.Upn',
      'Icon',
      'Icon.Name',
      'Title',
      'Url',
      'Tag',
      'Color',
      'Color.Kind',
      'Color.Value',
      'Actions',
      'Actions[0]',
      'Actions[0].Kind',
      'Actions[0].Title',
      'Actions[0].Url',
      'Scope',
      'Scope.Kind',
      'Scope.Users',
      'Scope.Users[0].Id',
      'Scope.Users[0].Upn',
      'Scope.Groups',
      'Scope.Groups[0].Id',
      'Scope.Groups[0].Name',
      'Data',
      'Data.Title',
      'Data.Url',
      'Data.Tag',
      'Data.Icon',
      'Data.Icon.Name',
      'Data.Color',
      'Data.Color.Kind',
      'Data.Color.Value',
      'Data.Actions',
      'Data.Actions[0].Kind',
      'Data.Actions[0].Title',
      'Data.Actions[0].Url',
    ]) {
      expect(fields, field).toContain(field);
    }
  });
});
