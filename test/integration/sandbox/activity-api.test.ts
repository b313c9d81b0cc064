import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  apiKeyFingerprint,
  type Sandbox,
  SandboxInputError,
  startSandbox,
} from '../../../devkit/workspace365-sandbox';

const KEY = 'sandbox-test-key-1';
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({
    environments: {
      demo: { apiKeys: [KEY] },
      strict: {
        apiKeys: [KEY],
        users: [{ id: 10, upn: 'only.user@strict.example', groups: ['Team'] }],
      },
    },
  });
});
afterEach(() => sandbox.reset());
afterAll(() => sandbox.close());

const activity = { User: { Upn: 'anna.devries@demo.example' }, Title: 'Hello' };

async function post(
  path: string,
  body: unknown,
  headers: Record<string, string> = { Authorization: `Workspace365 ${KEY}` },
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${sandbox.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

describe('authentication', () => {
  it.each([
    ['no Authorization header', {}],
    ['another scheme', { Authorization: `Bearer ${KEY}` }],
    ['the scheme without a token', { Authorization: 'Workspace365' }],
    ['an unknown key', { Authorization: 'Workspace365 not-a-key' }],
  ])('answers 401 with the documented error shape for %s', async (_name, headers) => {
    const answer = await post('/demo/api/activities', activity, headers);
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({
      globalError: { message: expect.stringMatching(/^Authentication issue/) },
    });
    expect(sandbox.activities()).toEqual([]);
  });

  it('matches the scheme case-insensitively, as HTTP defines auth schemes', async () => {
    expect(
      (await post('/demo/api/activities', activity, { Authorization: `workspace365 ${KEY}` })).status,
    ).toBe(200);
  });

  it('answers 401 for an unknown environment', async () => {
    expect((await post('/nowhere/api/activities', activity)).status).toBe(401);
  });
});

describe('key rotation', () => {
  it('setApiKeys replaces the accepted keys: the old key stops working, the new ones work', async () => {
    sandbox.addEnvironment('rotating', { apiKeys: ['old-key'] });
    const as = (key: string) =>
      post('/rotating/api/activities', activity, { Authorization: `Workspace365 ${key}` });
    expect((await as('old-key')).status).toBe(200);

    sandbox.setApiKeys('rotating', ['new-key-a', 'new-key-b']);

    expect((await as('old-key')).status).toBe(401);
    expect((await as('new-key-a')).status).toBe(200);
    expect((await as('new-key-b')).status).toBe(200);
    expect(sandbox.activities({ environment: 'rotating' }).map((a) => a.apiKeyFingerprint)).toEqual([
      apiKeyFingerprint('old-key'),
      apiKeyFingerprint('new-key-a'),
      apiKeyFingerprint('new-key-b'),
    ]);
  });

  it('setApiKeys refuses an environment it does not know', () => {
    expect(() => sandbox.setApiKeys('missing', ['k'])).toThrow(SandboxInputError);
  });
});

describe('validation', () => {
  it('answers 400 with a globalError for a body that is not JSON', async () => {
    const answer = await post('/demo/api/activities', '{"User":');
    expect(answer).toEqual({
      status: 400,
      body: { globalError: { message: 'The request body is not valid JSON' }, fieldErrors: null },
    });
  });

  it('answers 400 with fieldErrors named as Workspace 365 names fields, using the relay schemas', async () => {
    const answer = await post('/demo/api/activities-batch', {
      Scope: { Kind: 1 },
      Data: { Title: ' ', Actions: [{ Kind: 10, Title: 'Open', Url: 'https://x.example' }] },
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      globalError: null,
      fieldErrors: {
        'Scope.Users': { message: 'at least one user is required when Kind is 1' },
        'Data.Title': { message: 'Title must not be empty' },
        'Data.Actions[0].Kind': { message: 'Kind must be between 1 and 9' },
      },
    });
  });

  it('accepts the reference examples as written (string Kinds, lower-case keys)', async () => {
    const answer = await post('/demo/api/activities', {
      User: { upn: 'anna.devries@demo.example' },
      Icon: { Name: 'Phone' },
      Title: 'Test activity',
      Color: { Kind: '1', Value: '#00ff00' },
      Actions: [{ Kind: '1', Title: 'Accept proposal', Url: 'https://x.example/accept' }],
    });
    expect(answer.status).toBe(200);
    expect(sandbox.activities()[0]?.activity).toEqual({
      Icon: { Name: 'Phone' },
      Title: 'Test activity',
      Color: { Kind: 1, Value: '#00ff00' },
      Actions: [{ Kind: 1, Title: 'Accept proposal', Url: 'https://x.example/accept' }],
    });
  });

  it('answers 413 for a body over 1 MiB', async () => {
    const answer = await post('/demo/api/activities', { ...activity, Title: 'x'.repeat(1024 * 1024) });
    expect(answer.status).toBe(413);
    expect(sandbox.activities()).toEqual([]);
  });

  it('answers 405 for a GET on an activity endpoint', async () => {
    const response = await fetch(`${sandbox.url}/demo/api/activities`);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });
});

describe('users', () => {
  it('answers the documented 200 body for a single activity, with increasing ids', async () => {
    const first = await post('/demo/api/activities', activity);
    const second = await post('/demo/api/activities', { User: { Id: 2 }, Title: 'Second' });
    expect(first).toEqual({
      status: 200,
      body: { id: expect.any(Number), user: { id: 1, upn: 'anna.devries@demo.example' } },
    });
    const firstId = (first.body as { id: number }).id;
    expect(second).toEqual({
      status: 200,
      body: { id: firstId + 1, user: { id: 2, upn: 'bram.jansen@demo.example' } },
    });
  });

  it('creates a user for an unknown Upn on a single activity (autoCreateUsers)', async () => {
    const answer = await post('/demo/api/activities', {
      User: { Upn: 'new.person@demo.example' },
      Title: 'Hi',
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ user: { id: 6, upn: 'new.person@demo.example' } });
    expect(sandbox.activities({ upn: 'NEW.PERSON@demo.example' })).toHaveLength(1);
  });

  it('answers 400 on User.Id for an unknown numeric Id, even with autoCreateUsers', async () => {
    const answer = await post('/demo/api/activities', { User: { Id: 999 }, Title: 'Hi' });
    expect(answer).toEqual({
      status: 400,
      body: {
        globalError: null,
        fieldErrors: { 'User.Id': { message: 'no user with this Id in the environment' } },
      },
    });
  });

  it('answers 400 for unknown users in a batch scope, naming each one', async () => {
    const answer = await post('/demo/api/activities-batch', {
      Scope: { Kind: 1, Users: [{ Id: 1 }, { Upn: 'ghost@demo.example' }, { Id: 77 }] },
      Data: { Title: 'x' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      fieldErrors: { 'Scope.Users[1].Upn': expect.any(Object), 'Scope.Users[2].Id': expect.any(Object) },
    });
    expect(sandbox.activities()).toEqual([]);
  });

  it('uses the given user directory instead of the demo one', async () => {
    const batch = await post('/strict/api/activities-batch', { Scope: { Kind: 0 }, Data: { Title: 'x' } });
    expect(batch.body).toEqual([
      { id: expect.any(Number), user: { id: 10, upn: 'only.user@strict.example' } },
    ]);
    const group = await post('/strict/api/activities-batch', {
      Scope: { Kind: 2, Groups: [{ Name: 'Marketing' }] },
      Data: { Title: 'x' },
    });
    expect(group.status).toBe(400);
  });

  it('does not create users when autoCreateUsers is off', async () => {
    const strict = await startSandbox({ autoCreateUsers: false, environments: { demo: { apiKeys: [KEY] } } });
    try {
      const response = await fetch(`${strict.url}/demo/api/activities`, {
        method: 'POST',
        headers: { Authorization: `Workspace365 ${KEY}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ User: { Upn: 'new.person@demo.example' }, Title: 'Hi' }),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ fieldErrors: { 'User.Upn': expect.any(Object) } });
    } finally {
      await strict.close();
    }
  });
});

describe('scripted responses', () => {
  it('are consumed FIFO before normal handling, repeat `times`, and never record an activity', async () => {
    sandbox.script({ status: 503, times: 2 }, { status: 200, body: { id: 123 } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await post('/demo/api/activities', activity)).status);
    expect(statuses).toEqual([503, 503, 200, 200]);
    // Only the last (normally handled) request created an activity.
    expect(sandbox.activities()).toHaveLength(1);
    expect(sandbox.requests().map((request) => request.status)).toEqual([503, 503, 200, 200]);
  });

  it('apply only to the environment and kind they name, leaving others to normal handling', async () => {
    sandbox.addEnvironment('other', { apiKeys: [KEY] });
    sandbox.script({ status: 500, environment: 'other', kind: 'batch' });
    const batch = { Scope: { Kind: 1, Users: [{ Id: 1 }] }, Data: { Title: 'x' } };
    expect((await post('/demo/api/activities-batch', batch)).status).toBe(200);
    expect((await post('/other/api/activities', activity)).status).toBe(200);
    expect((await post('/other/api/activities-batch', batch)).status).toBe(500);
    expect((await post('/other/api/activities-batch', batch)).status).toBe(200);
  });

  it('send the scripted headers and body, after the scripted delay', async () => {
    sandbox.script({
      status: 429,
      headers: { 'Retry-After': '9', 'X-Extra': 'yes' },
      body: 'slow down',
      delayMs: 50,
    });
    const response = await fetch(`${sandbox.url}/demo/api/activities`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('9');
    expect(response.headers.get('x-extra')).toBe('yes');
    expect(await response.text()).toBe('slow down');
  });

  it('reject a malformed entry loudly', () => {
    expect(() => sandbox.script({ status: 42 })).toThrow(SandboxInputError);
    expect(() => sandbox.script({ fault: 'explode' } as never)).toThrow(SandboxInputError);
  });

  it('reset() clears pending scripts, activities and requests', async () => {
    sandbox.script({ status: 500, times: 5 });
    await post('/demo/api/activities', activity);
    sandbox.reset();
    expect(sandbox.requests()).toEqual([]);
    expect((await post('/demo/api/activities', activity)).status).toBe(200);
  });
});

describe('close()', () => {
  it('ends a request held open by a timeout fault instead of waiting for it', async () => {
    const own = await startSandbox({ environments: { demo: { apiKeys: [KEY] } } });
    own.script({ fault: 'timeout' });
    const pending = fetch(`${own.url}/demo/api/activities`, { method: 'POST', body: '{}' }).then(
      () => 'answered',
      () => 'connection ended',
    );
    // Wait until the sandbox has the request before closing.
    while (own.requests().length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await own.close();
    expect(await pending).toBe('connection ended');
  });
});
