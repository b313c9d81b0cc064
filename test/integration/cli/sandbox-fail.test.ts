import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../../devkit/workspace365-sandbox';
import { COMMANDS } from '../../../functions/cli/commands';
import { createRouter } from '../../../functions/cli/router';
import { createWorkspace365Client, type Workspace365Target } from '../../../shared/workspace365/client';

// `relay sandbox fail` scripts the sandbox over its HTTP control endpoint; the real client then meets
// exactly the failure asked for.
const API_KEY = 'sandbox-fail-test-key';
let sandbox: Sandbox;
let target: Workspace365Target;

beforeAll(async () => {
  sandbox = await startSandbox({ environments: { demo: { apiKeys: [API_KEY] } } });
  target = { baseUrl: sandbox.url, environment: 'demo' };
});
afterEach(() => sandbox.reset());
afterAll(() => sandbox.close());

const client = createWorkspace365Client({ timeoutMs: 300 });
const post = () =>
  client.postActivity(target, API_KEY, { User: { Upn: 'anna.devries@demo.example' }, Title: 'Hi' });

async function relay(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await createRouter('relay', COMMANDS).run([...argv, '--url', sandbox.url], {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    env: {},
    cwd: process.cwd(),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('relay sandbox fail', () => {
  it('--status 429 --retry-after 7 --times 2: two 429s with Retry-After, then normal service', async () => {
    const result = await relay('sandbox', 'fail', '--status', '429', '--retry-after', '7', '--times', '2');
    expect(result.code).toBe(0);
    expect(result.out).toContain('the next 2 matching request(s) will get 429 with Retry-After: 7');
    expect(await post()).toMatchObject({ type: 'retryable', status: 429, retryAfterSeconds: 7 });
    expect(await post()).toMatchObject({ type: 'retryable', status: 429, retryAfterSeconds: 7 });
    expect(await post()).toMatchObject({ type: 'delivered', status: 200 });
  });

  it('--status 500 (once by default) and --status 400 with a Workspace 365 error body', async () => {
    await relay('sandbox', 'fail', '--status', '500');
    await relay('sandbox', 'fail', '--status', '400');
    expect(await post()).toMatchObject({ type: 'retryable', status: 500, reason: 'http' });
    expect(await post()).toMatchObject({
      type: 'rejected',
      status: 400,
      error: { globalError: { message: 'scripted 400 (relay sandbox fail)' } },
    });
  });

  it('--hang holds the request until the client gives up; --reset-connection drops it', async () => {
    await relay('sandbox', 'fail', '--hang');
    expect(await post()).toMatchObject({ type: 'retryable', reason: 'timeout' });
    await relay('sandbox', 'fail', '--reset-connection');
    expect(await post()).toMatchObject({ type: 'retryable', reason: 'network' });
  });

  it('sandbox reset clears what was scripted', async () => {
    await relay('sandbox', 'fail', '--status', '503', '--times', '5');
    expect((await relay('sandbox', 'reset')).code).toBe(0);
    expect(await post()).toMatchObject({ type: 'delivered' });
  });

  it('usage mistakes exit 2 and name the flag', async () => {
    const none = await relay('sandbox', 'fail');
    expect(none.code).toBe(2);
    expect(none.err).toContain('--status <code>, --hang, --reset-connection');
    const badStatus = await relay('sandbox', 'fail', '--status', '700');
    expect(badStatus.code).toBe(2);
    expect(badStatus.err).toContain('--status must be a whole number from 200 to 599');
    expect((await relay('sandbox', 'fail', '--hang', '--retry-after', '3')).code).toBe(2);
    expect((await relay('sandbox', 'fail', '--status', '500', '--times', '0')).code).toBe(2);
  });
});
