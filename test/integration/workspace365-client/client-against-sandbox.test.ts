import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { apiKeyFingerprint, type Sandbox, startSandbox } from '../../../devkit/workspace365-sandbox';
import {
  createWorkspace365Client,
  type DeliveryOutcome,
  InvalidApiKeyError,
  type Workspace365Target,
} from '../../../shared/workspace365/client';

// Distinctive, so any leak is found by a plain substring search.
const API_KEY = 'k3y-7a1f0c9e-LEAKCHECK-4d2b';
const OTHER_KEY = 'k3y-second-party-0001';

let sandbox: Sandbox;
let target: Workspace365Target;

beforeAll(async () => {
  sandbox = await startSandbox({
    environments: { acme: { apiKeys: [API_KEY, OTHER_KEY] }, globex: { apiKeys: ['globex-key'] } },
  });
  target = { baseUrl: sandbox.url, environment: 'acme' };
});
afterEach(() => sandbox.reset());
afterAll(() => sandbox.close());

const client = createWorkspace365Client({ timeoutMs: 5_000 });
const activityFor = (upn: string, title = 'Proposal accepted') => ({ User: { Upn: upn }, Title: title });

describe('delivered', () => {
  it('creates a single activity and returns its id', async () => {
    const outcome = await client.postActivity(target, API_KEY, activityFor('anna.devries@demo.example'));

    expect(outcome).toMatchObject({ type: 'delivered', status: 200 });
    const recorded = sandbox.activities();
    expect(recorded).toHaveLength(1);
    expect(outcome.type === 'delivered' && outcome.activityIds).toEqual([recorded[0]?.id]);
    expect(recorded[0]).toMatchObject({
      environment: 'acme',
      user: { id: 1, upn: 'anna.devries@demo.example' },
      activity: { Title: 'Proposal accepted' },
      kind: 'activity',
      apiKeyFingerprint: apiKeyFingerprint(API_KEY),
    });
  });

  it('sends Idempotency-Key and X-Correlation-Id, which the sandbox records with the activity', async () => {
    await client.postActivity(target, API_KEY, activityFor('bram.jansen@demo.example'), {
      idempotencyKey: 'msg-42',
      correlationId: 'corr-42',
    });
    expect(sandbox.activities()[0]).toMatchObject({ idempotencyKey: 'msg-42', correlationId: 'corr-42' });
  });

  const batch = (scope: unknown) => ({ Scope: scope, Data: { Title: 'Company news', Tag: 'News' } });
  const deliveredUsers = async (scope: unknown) => {
    const outcome = await client.postBatchActivity(target, API_KEY, batch(scope) as never);
    expect(outcome.type).toBe('delivered');
    const recorded = sandbox.activities();
    expect(outcome.type === 'delivered' && outcome.activityIds).toEqual(
      recorded.map((activity) => activity.id),
    );
    return recorded.map((activity) => activity.user.upn);
  };

  it('Scope Kind 0 reaches every user of the environment, one id each', async () => {
    expect(await deliveredUsers({ Kind: 0 })).toEqual([
      'anna.devries@demo.example',
      'bram.jansen@demo.example',
      'chloe.bakker@demo.example',
      'daan.visser@demo.example',
      'eva.smit@demo.example',
    ]);
  });

  it('Scope Kind 1 reaches the listed users, by Id or Upn, and the Id wins when both are given', async () => {
    const users = [{ Id: 4 }, { Upn: 'EVA.SMIT@demo.example' }, { Id: 2, Upn: 'anna.devries@demo.example' }];
    expect(await deliveredUsers({ Kind: 1, Users: users })).toEqual([
      'bram.jansen@demo.example',
      'daan.visser@demo.example',
      'eva.smit@demo.example',
    ]);
  });

  it('Scope Kind 2 reaches the members of the named groups, each user once', async () => {
    expect(await deliveredUsers({ Kind: 2, Groups: [{ Name: 'Marketing' }, { Name: 'sales' }] })).toEqual([
      'anna.devries@demo.example',
      'bram.jansen@demo.example',
      'chloe.bakker@demo.example',
      'eva.smit@demo.example',
    ]);
  });

  it('Scope Kind 2 also finds a group by Id (ids follow first appearance: Marketing 1, Everyone 2, Sales 3)', async () => {
    expect(await deliveredUsers({ Kind: 2, Groups: [{ Id: 3 }] })).toEqual([
      'bram.jansen@demo.example',
      'chloe.bakker@demo.example',
      'eva.smit@demo.example',
    ]);
  });
});

describe('rejected', () => {
  it('decodes the field errors of a 400', async () => {
    const payload = {
      User: { Upn: 'anna.devries@demo.example' },
      Title: 'Too many actions',
      Color: { Kind: 1 },
      Actions: [
        { Kind: 1, Title: 'One', Url: 'https://x.example/1' },
        { Kind: 1, Title: 'Two', Url: 'https://x.example/2' },
        { Kind: 1, Title: 'Three', Url: 'https://x.example/3' },
      ],
    };
    const outcome = await client.post('activity', target, API_KEY, payload);

    expect(outcome).toMatchObject({ type: 'rejected', status: 400 });
    const fieldErrors = outcome.type === 'rejected' ? outcome.error.fieldErrors : undefined;
    expect(fieldErrors).toEqual({
      Actions: { message: 'at most 2 actions are allowed' },
      'Color.Value': { message: 'Value is required when Kind is 1 (custom)' },
    });
    expect(sandbox.activities()).toEqual([]);
  });

  it('decodes a 400 for a group the environment does not have', async () => {
    const outcome = await client.post('batch', target, API_KEY, {
      Scope: { Kind: 2, Groups: [{ Name: 'Marketing' }, { Name: 'Nope' }] },
      Data: { Title: 'x' },
    });
    expect(outcome.type === 'rejected' && outcome.error.fieldErrors).toEqual({
      'Scope.Groups[1]': { message: 'no group with this Id or Name in the environment' },
    });
  });

  it('classifies a 404 (wrong base URL path) as rejected', async () => {
    const outcome = await client.postActivity(
      { baseUrl: `${sandbox.url}/not-here`, environment: 'acme' },
      API_KEY,
      activityFor('anna.devries@demo.example'),
    );
    expect(outcome).toMatchObject({
      type: 'rejected',
      status: 404,
      error: { globalError: { message: 'not found' } },
    });
  });

  it('classifies a scripted 404 with no body as rejected with a readable reason', async () => {
    sandbox.script({ status: 404 });
    const outcome = await client.postActivity(target, API_KEY, activityFor('anna.devries@demo.example'));
    expect(outcome).toMatchObject({ type: 'rejected', status: 404 });
    expect(outcome.type === 'rejected' && outcome.error.globalError?.message).toMatch(/answered 404/);
  });
});

describe('unauthorized', () => {
  it('answers 401 for a key the environment does not know', async () => {
    const outcome = await client.postActivity(
      target,
      'unknown-key',
      activityFor('anna.devries@demo.example'),
    );
    expect(outcome).toEqual({ type: 'unauthorized', status: 401, latencyMs: expect.any(Number) });
    expect(sandbox.activities()).toEqual([]);
  });

  it("answers 401 for a valid key used against another party's environment", async () => {
    const outcome = await client.postActivity(
      { ...target, environment: 'globex' },
      API_KEY,
      activityFor('anna.devries@demo.example'),
    );
    expect(outcome).toMatchObject({ type: 'unauthorized', status: 401 });
  });

  it('answers 401 for an environment that does not exist', async () => {
    const outcome = await client.postActivity(
      { ...target, environment: 'initech' },
      API_KEY,
      activityFor('anna.devries@demo.example'),
    );
    expect(outcome).toMatchObject({ type: 'unauthorized', status: 401 });
  });

  it('refuses to send without a key (a missing key never reaches the server)', async () => {
    await expect(
      client.postActivity(target, '', activityFor('anna.devries@demo.example')),
    ).rejects.toBeInstanceOf(InvalidApiKeyError);
    expect(sandbox.requests()).toEqual([]);
  });

  it('classifies 403 as unauthorized', async () => {
    sandbox.script({ status: 403 });
    const outcome = await client.postActivity(target, API_KEY, activityFor('anna.devries@demo.example'));
    expect(outcome).toMatchObject({ type: 'unauthorized', status: 403 });
  });

  it('accepts every key of an environment (one per party)', async () => {
    const outcome = await client.postActivity(target, OTHER_KEY, activityFor('anna.devries@demo.example'));
    expect(outcome.type).toBe('delivered');
    expect(sandbox.activities()[0]?.apiKeyFingerprint).toBe(apiKeyFingerprint(OTHER_KEY));
  });
});

describe('retryable', () => {
  it('reads Retry-After in delta-seconds from a 429', async () => {
    sandbox.script({ status: 429, headers: { 'Retry-After': '17' } });
    const outcome = await client.postActivity(target, API_KEY, activityFor('anna.devries@demo.example'));
    expect(outcome).toEqual({
      type: 'retryable',
      status: 429,
      reason: 'http',
      retryAfterSeconds: 17,
      latencyMs: expect.any(Number),
    });
    expect(sandbox.activities()).toEqual([]);
  });

  it('reads Retry-After as an HTTP-date from a 429', async () => {
    const now = Date.UTC(2026, 2, 10, 12, 0, 0);
    const fixedClockClient = createWorkspace365Client({ now: () => now });
    sandbox.script({ status: 429, headers: { 'Retry-After': new Date(now + 120_000).toUTCString() } });
    const outcome = await fixedClockClient.postActivity(
      target,
      API_KEY,
      activityFor('anna.devries@demo.example'),
    );
    expect(outcome).toMatchObject({ type: 'retryable', status: 429, retryAfterSeconds: 120 });
  });

  it.each([500, 503])('classifies %i as retryable http', async (status) => {
    sandbox.script({ status, body: { globalError: { message: 'Internal server error' } } });
    const outcome = await client.postActivity(target, API_KEY, activityFor('anna.devries@demo.example'));
    expect(outcome).toMatchObject({ type: 'retryable', status, reason: 'http' });
    expect(sandbox.activities()).toEqual([]);
  });

  it('gives up on a request the server holds open (timeout fault) and reports a timeout', async () => {
    sandbox.script({ fault: 'timeout' });
    const impatient = createWorkspace365Client({ timeoutMs: 150 });
    const outcome = await impatient.postActivity(target, API_KEY, activityFor('anna.devries@demo.example'));
    expect(outcome).toEqual({ type: 'retryable', reason: 'timeout', latencyMs: expect.any(Number) });
    expect(sandbox.activities()).toEqual([]);
    expect(sandbox.requests()).toMatchObject([{ status: 0, fault: 'timeout' }]);
  });

  it('reports a connection reset as a network error', async () => {
    sandbox.script({ fault: 'reset' });
    const outcome = await client.postActivity(target, API_KEY, activityFor('anna.devries@demo.example'));
    // The error's code (UND_ERR_SOCKET, ECONNRESET …) is kept for the trace; its message never is.
    expect(outcome).toEqual({
      type: 'retryable',
      reason: 'network',
      netError: expect.stringMatching(/^[A-Z][A-Z0-9_]+$/),
      cause: expect.stringMatching(/^(ECONNRESET|no answer from) /),
      latencyMs: expect.any(Number),
    });
    expect(sandbox.activities()).toEqual([]);
  });

  it('reports a refused connection as a network error', async () => {
    const stopped = await startSandbox();
    const url = stopped.url;
    await stopped.close();
    const outcome = await client.postActivity(
      { baseUrl: url, environment: 'acme' },
      API_KEY,
      activityFor('a@x'),
    );
    expect(outcome).toMatchObject({
      type: 'retryable',
      reason: 'network',
      netError: 'ECONNREFUSED',
      cause: `ECONNREFUSED 127.0.0.1:${new URL(url).port}`,
    });
  });

  it('names the host a DNS lookup could not find', async () => {
    const outcome = await client.postActivity(
      { baseUrl: 'https://intranet.example.invalid', environment: 'acme' },
      API_KEY,
      activityFor('a@x'),
    );
    expect(outcome).toMatchObject({
      type: 'retryable',
      reason: 'network',
      cause: expect.stringMatching(/^(ENOTFOUND|EAI_AGAIN) intranet\.example\.invalid \(DNS\)$/),
    });
  });

  it('names a TLS failure (https to a server that does not speak TLS)', async () => {
    const plain = new URL(sandbox.url);
    const outcome = await client.postActivity(
      { baseUrl: `https://127.0.0.1:${plain.port}`, environment: 'acme' },
      API_KEY,
      activityFor('a@x'),
    );
    expect(outcome).toMatchObject({
      type: 'retryable',
      reason: 'network',
      cause: expect.stringMatching(new RegExp(`^TLS error \\w+ talking to 127\\.0\\.0\\.1:${plain.port}$`)),
    });
    expect(JSON.stringify(outcome)).not.toContain(API_KEY);
  });
});

describe('Accept-Language', () => {
  it("is sent when the target has a language, so errors come back in the party's language", async () => {
    await client.postActivity(
      { ...target, language: 'nl-NL' },
      API_KEY,
      activityFor('anna.devries@demo.example'),
    );
    await client.postActivity(target, API_KEY, activityFor('anna.devries@demo.example'));
    const [withLanguage, without] = sandbox.requests();
    expect(withLanguage?.acceptLanguage).toBe('nl-NL');
    // Without a language the client sets none; fetch itself then sends its default (`*`).
    expect(without?.acceptLanguage).not.toBe('nl-NL');
  });
});

describe('the API key never leaks', () => {
  it('is absent from every outcome, every thrown error and everything written to the console', async () => {
    const written: string[] = [];
    const capture = (...args: unknown[]) => {
      written.push(
        args
          .map((arg) => (arg instanceof Error ? `${arg.stack} ${String(arg.cause)}` : String(arg)))
          .join(' '),
      );
    };
    const spies = [
      vi.spyOn(console, 'log').mockImplementation(capture),
      vi.spyOn(console, 'info').mockImplementation(capture),
      vi.spyOn(console, 'warn').mockImplementation(capture),
      vi.spyOn(console, 'error').mockImplementation(capture),
      vi.spyOn(console, 'debug').mockImplementation(capture),
      vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
        written.push(String(chunk));
        return true;
      }),
      vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
        written.push(String(chunk));
        return true;
      }),
    ];
    const outcomes: DeliveryOutcome[] = [];
    const thrown: unknown[] = [];
    try {
      const impatient = createWorkspace365Client({ timeoutMs: 150 });
      const send = (payload: unknown = activityFor('anna.devries@demo.example'), key = API_KEY) =>
        impatient.post('activity', target, key, payload).then(
          (outcome) => outcomes.push(outcome),
          (error: unknown) => thrown.push(error),
        );
      await send();
      await send({ User: {}, Title: '' });
      sandbox.script(
        { status: 429, headers: { 'Retry-After': '5' } },
        { status: 500 },
        { status: 401 },
        { status: 400, body: 'not json' },
        { fault: 'timeout' },
        { fault: 'reset' },
      );
      for (let i = 0; i < 6; i += 1) await send();
      await impatient
        .post('activity', { ...target, environment: 'globex' }, API_KEY, {})
        .then((o) => outcomes.push(o));
      await send(undefined, `${API_KEY}\r\nX-Evil: 1`);
      await send(undefined, `${API_KEY} with space`);
      await impatient
        .post('activity', { baseUrl: 'http://[invalid', environment: 'acme' }, API_KEY, {})
        .catch((error: unknown) => thrown.push(error));
    } finally {
      for (const spy of spies) spy.mockRestore();
    }

    expect(outcomes.map((outcome) => outcome.type).sort()).toEqual(
      [
        'delivered',
        'rejected',
        'retryable',
        'retryable',
        'unauthorized',
        'rejected',
        'retryable',
        'retryable',
        'unauthorized',
      ].sort(),
    );
    expect(thrown).toHaveLength(3);
    for (const outcome of outcomes) expect(JSON.stringify(outcome)).not.toContain(API_KEY);
    for (const error of thrown) {
      expect(error).toBeInstanceOf(Error);
      const text = `${String(error)} ${(error as Error).stack} ${String((error as Error).cause)} ${JSON.stringify(error)}`;
      expect(text).not.toContain(API_KEY);
    }
    expect(written.join('\n')).not.toContain(API_KEY);
    // The sandbox keeps fingerprints only.
    expect(JSON.stringify([sandbox.requests(), sandbox.activities()])).not.toContain(API_KEY);
  });
});
