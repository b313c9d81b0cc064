import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createWorkspace365Client } from '../../../shared/workspace365/client';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const EXAMPLE_KEY = (
  JSON.parse(readFileSync(`${ROOT}secrets.local.example.json`, 'utf8')) as Record<
    string,
    { workspace365ApiKey: string }
  >
)['webhook-relay/w365-demo']?.workspace365ApiKey;

let child: ChildProcess | undefined;
afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  child = undefined;
});

/** Starts `tsx functions/sandbox/main.ts` (what `npm run sandbox` runs) and waits for its listening line. */
function startMain(env: Record<string, string>): Promise<{ url: string; output: () => string }> {
  const started = spawn(process.execPath, ['--import', 'tsx', 'functions/sandbox/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, RELAY_SECRETS: 'does-not-exist.json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = started;
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /sandbox listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) resolve({ url: match[1], output: () => output });
    };
    started.stdout?.on('data', onData);
    started.stderr?.on('data', onData);
    started.once('exit', (code) => reject(new Error(`sandbox exited early with ${code}: ${output}`)));
  });
}

describe('npm run sandbox', () => {
  it('serves environment demo with the example keys and SANDBOX_API_KEYS, and stops cleanly on SIGTERM', async () => {
    const { url } = await startMain({ PORT: '0', SANDBOX_API_KEYS: ' extra-key-1 ,extra-key-2' });
    const client = createWorkspace365Client({ timeoutMs: 5_000 });
    const target = { baseUrl: url, environment: 'demo' };
    const activity = { User: { Upn: 'anna.devries@demo.example' }, Title: 'From the example party' };

    expect(EXAMPLE_KEY).toBeDefined();
    expect(await client.postActivity(target, EXAMPLE_KEY ?? '', activity)).toMatchObject({
      type: 'delivered',
    });
    expect(await client.postActivity(target, 'extra-key-2', activity)).toMatchObject({ type: 'delivered' });
    expect(await client.postActivity(target, 'not-configured', activity)).toMatchObject({
      type: 'unauthorized',
    });
    const recorded = (await (await fetch(`${url}/_sandbox/activities?environment=demo`)).json()) as unknown[];
    expect(recorded).toHaveLength(2);

    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
    child?.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('stops cleanly on SIGINT too', async () => {
    await startMain({ PORT: '0' });
    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
    child?.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
