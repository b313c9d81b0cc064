import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { type LocalRelay, startLocalRelay } from '../../../functions/local/local-relay';
import { readLocalSettings } from '../../../functions/local/local-settings';
import { waitFor } from '../../support/wait-for';

const run = promisify(execFile);
let relay: LocalRelay | undefined;

afterEach(async () => {
  await relay?.stop();
  relay = undefined;
});

async function start(stateDir: string, argv: string[] = []) {
  relay = await startLocalRelay(
    readLocalSettings(
      { PORT: '0', SANDBOX_PORT: '0', STATE_DIR: stateDir, RELAY_SHUTDOWN_GRACE_MS: '2000' },
      process.cwd(),
      argv,
    ),
  );
  return relay;
}

async function stop() {
  await relay?.stop();
  relay = undefined;
}

/** The README's "Hello from curl", run by a shell as a reader would paste it, against this relay. */
async function readmeCurl(relayUrl: string): Promise<Record<string, unknown>> {
  const readme = readFileSync('README.md', 'utf8');
  const block = /```sh\n(curl [^`]*Hello from curl[^`]*)```/.exec(readme)?.[1];
  if (!block) throw new Error('README has no "Hello from curl" block');
  const command = block.replace(/\\\n\s*/g, ' ').replaceAll('http://127.0.0.1:3000', relayUrl);
  const { stdout } = await run('bash', ['-c', command]);
  return JSON.parse(stdout) as Record<string, unknown>;
}

async function postHello(relayUrl: string) {
  const response = await fetch(`${relayUrl}/webhooks/w365-demo`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer demo-w365-token' },
    body: JSON.stringify({ User: { Upn: 'anna.devries@demo.example' }, Title: 'Same body every time' }),
  });
  return (await response.json()) as { accepted: number; duplicate?: boolean };
}

describe('local mode: what a newcomer repeats', () => {
  it("the README's curl is a new event every time it is pasted", async () => {
    const { ingress } = await start(mkdtempSync(join(tmpdir(), 'relay-life-')));
    const first = await readmeCurl(ingress.url);
    const second = await readmeCurl(ingress.url);
    expect(first).toMatchObject({ accepted: 1 });
    expect(second).toMatchObject({ accepted: 1 });
    expect(second.ids).not.toEqual(first.ids);
  });

  it('the sandbox feed and the dedup records are kept together across a restart, and cleared together by --fresh', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'relay-life-'));
    let current = await start(stateDir);
    expect(await postHello(current.ingress.url)).toMatchObject({ accepted: 1 });
    await waitFor(() => (current.sandbox?.activities().length ?? 0) === 1, { what: 'the delivery' });
    await stop();

    current = await start(stateDir);
    // The relay still remembers the event, and so does the feed.
    expect(await postHello(current.ingress.url)).toMatchObject({ accepted: 0, duplicate: true });
    expect(current.sandbox?.activities().map((activity) => activity.activity.Title)).toEqual([
      'Same body every time',
    ]);
    await stop();

    current = await start(stateDir, ['--fresh']);
    expect(current.sandbox?.activities()).toEqual([]);
    expect(await postHello(current.ingress.url)).toMatchObject({ accepted: 1 });
    await waitFor(() => (current.sandbox?.activities().length ?? 0) === 1, { what: 'the fresh delivery' });
  });

  it('refuses an unknown start option instead of ignoring it', () => {
    expect(() => readLocalSettings({}, process.cwd(), ['--frsh'])).toThrow(/--frsh/);
  });
});
