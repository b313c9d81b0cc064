import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyFingerprint, type Sandbox, startSandbox } from '../../../devkit/workspace365-sandbox';
import { isLoopbackAddress } from '../../../devkit/workspace365-sandbox/http-io';
import { createWorkspace365Client } from '../../../shared/workspace365/client';

const KEY = 'control-test-key';
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ environments: { demo: { apiKeys: [KEY] } } });
});
afterEach(() => sandbox.reset());
afterAll(() => sandbox.close());

const client = createWorkspace365Client({ timeoutMs: 2_000 });
const deliver = (upn: string, environment = 'demo', key = KEY) =>
  client.postActivity(
    { baseUrl: sandbox.url, environment },
    key,
    { User: { Upn: upn }, Title: `for ${upn}` },
    {
      idempotencyKey: `idem-${upn}`,
    },
  );

async function control(method: string, path: string, body?: unknown) {
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

describe('GET /_sandbox/activities', () => {
  it('lists recorded activities as JSON, filtered by environment and upn', async () => {
    sandbox.addEnvironment('second', { apiKeys: [KEY] });
    await deliver('anna.devries@demo.example');
    await deliver('bram.jansen@demo.example');
    await deliver('anna.devries@demo.example', 'second');

    const all = await control('GET', '/_sandbox/activities');
    expect(all.status).toBe(200);
    expect(all.body).toHaveLength(3);

    const anna = await control(
      'GET',
      '/_sandbox/activities?environment=demo&upn=anna.devries%40demo.example',
    );
    expect(anna.body).toEqual([
      expect.objectContaining({
        environment: 'demo',
        user: { id: 1, upn: 'anna.devries@demo.example' },
        activity: { Title: 'for anna.devries@demo.example' },
        idempotencyKey: 'idem-anna.devries@demo.example',
        apiKeyFingerprint: apiKeyFingerprint(KEY),
        kind: 'activity',
        receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      }),
    ]);
    const second = await control('GET', '/_sandbox/activities?environment=second');
    expect(second.body).toHaveLength(1);
  });
});

describe('GET /_sandbox/requests', () => {
  it('lists every request with the answer given and the key fingerprint', async () => {
    await deliver('anna.devries@demo.example');
    await deliver('anna.devries@demo.example', 'demo', 'wrong-key');
    const { body } = await control('GET', '/_sandbox/requests');
    expect(body).toEqual([
      expect.objectContaining({
        environment: 'demo',
        kind: 'activity',
        status: 200,
        apiKeyFingerprint: apiKeyFingerprint(KEY),
      }),
      expect.objectContaining({ status: 401, apiKeyFingerprint: apiKeyFingerprint('wrong-key') }),
    ]);
  });
});

describe('POST /_sandbox/script', () => {
  it('queues scripted responses (status, headers, faults) as the programmatic API does', async () => {
    const queued = await control('POST', '/_sandbox/script', [
      { status: 503, headers: { 'Retry-After': '4' } },
      { fault: 'reset' },
    ]);
    expect(queued).toEqual({ status: 200, body: { queued: 2 } });
    expect(await deliver('anna.devries@demo.example')).toMatchObject({
      type: 'retryable',
      status: 503,
      retryAfterSeconds: 4,
    });
    expect(await deliver('anna.devries@demo.example')).toMatchObject({
      type: 'retryable',
      reason: 'network',
    });
    expect(await deliver('anna.devries@demo.example')).toMatchObject({ type: 'delivered' });
    expect(sandbox.activities()).toHaveLength(1);
  });

  it('answers 400 for a script that is not an array of ScriptedResponse', async () => {
    expect((await control('POST', '/_sandbox/script', { status: 500 })).status).toBe(400);
    expect((await control('POST', '/_sandbox/script', [{ status: 500, colour: 'red' }])).status).toBe(400);
    const notJson = await fetch(`${sandbox.url}/_sandbox/script`, { method: 'POST', body: '[' });
    expect(notJson.status).toBe(400);
  });
});

describe('POST /_sandbox/chaos', () => {
  it('turns chaos on and (with null) off again', async () => {
    expect((await control('POST', '/_sandbox/chaos', { error500Rate: 1 })).status).toBe(204);
    expect(await deliver('anna.devries@demo.example')).toMatchObject({ type: 'retryable', status: 500 });
    expect((await control('POST', '/_sandbox/chaos', null)).status).toBe(204);
    expect(await deliver('anna.devries@demo.example')).toMatchObject({ type: 'delivered' });
  });

  it('answers 400 for a rate outside 0–1', async () => {
    expect((await control('POST', '/_sandbox/chaos', { error500Rate: 2 })).status).toBe(400);
  });
});

describe('POST /_sandbox/reset', () => {
  it('clears activities, requests, scripts and chaos', async () => {
    await deliver('anna.devries@demo.example');
    sandbox.script({ status: 500 });
    sandbox.chaos({ rate429: 1 });
    expect((await control('POST', '/_sandbox/reset')).status).toBe(204);
    expect(sandbox.activities()).toEqual([]);
    expect(sandbox.requests()).toEqual([]);
    expect(await deliver('anna.devries@demo.example')).toMatchObject({ type: 'delivered' });
  });
});

describe('PUT /_sandbox/environments/{name}/keys', () => {
  it('rotates the keys of an environment', async () => {
    sandbox.addEnvironment('rotate', { apiKeys: ['before'] });
    expect((await control('PUT', '/_sandbox/environments/rotate/keys', ['after'])).status).toBe(204);
    expect(await deliver('anna.devries@demo.example', 'rotate', 'before')).toMatchObject({
      type: 'unauthorized',
    });
    expect(await deliver('anna.devries@demo.example', 'rotate', 'after')).toMatchObject({
      type: 'delivered',
    });
  });

  it('answers 404 for an unknown environment and 400 for a body that is not a list of keys', async () => {
    expect((await control('PUT', '/_sandbox/environments/nope/keys', ['k'])).status).toBe(404);
    expect((await control('PUT', '/_sandbox/environments/demo/keys', 'k')).status).toBe(400);
  });
});

describe('PUT /_sandbox/environments/{name}', () => {
  it('adds an environment with its own keys and users', async () => {
    const added = await control('PUT', '/_sandbox/environments/initech', {
      apiKeys: ['initech-key'],
      users: [{ id: 7, upn: 'peter@initech.example', groups: ['TPS'] }],
    });
    expect(added.status).toBe(204);
    expect(await deliver('peter@initech.example', 'initech', 'initech-key')).toMatchObject({
      type: 'delivered',
    });
    expect(sandbox.activities({ environment: 'initech' })[0]?.user).toEqual({
      id: 7,
      upn: 'peter@initech.example',
    });
  });
});

it('answers 404 for an unknown control path', async () => {
  expect((await control('GET', '/_sandbox/nothing')).status).toBe(404);
});

describe('isLoopbackAddress (control endpoints and the page are served to loopback clients only)', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['10.0.0.5', false],
    ['192.168.1.20', false],
    ['::ffff:10.0.0.5', false],
    ['fe80::1', false],
    [undefined, false],
  ])('%s → %s', (address, expected) => {
    expect(isLoopbackAddress(address)).toBe(expected);
  });
});
