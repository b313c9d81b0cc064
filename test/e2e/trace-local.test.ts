import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoConfig, demoSecrets } from '../../devkit/fakes/demo';
import { type Sandbox, startSandbox } from '../../devkit/workspace365-sandbox';
import { COMMANDS } from '../../functions/cli/commands';
import { createRouter } from '../../functions/cli/router';
import type { Timeline } from '../../functions/cli/trace/timeline';
import { type LocalRelay, startLocalRelay } from '../../functions/local/local-relay';
import { waitFor } from '../support/wait-for';

// Local mode end to end: real ingress, emulator queue, worker and sandbox; `relay trace` reads the log
// file local mode writes under STATE_DIR.
let dir: string;
let sandbox: Sandbox;
let relay: LocalRelay;

beforeAll(async () => {
  const secrets = demoSecrets();
  sandbox = await startSandbox({
    environments: { demo: { apiKeys: Object.values(secrets).map((secret) => secret.workspace365ApiKey) } },
  });
  dir = mkdtempSync(join(tmpdir(), 'relay-trace-'));
  const config = demoConfig();
  for (const party of config.parties) party.target.baseUrl = sandbox.url;
  config.retry = { baseSeconds: 1, capSeconds: 1, maxReceives: 5, jitter: 'equal' };
  const configFile = join(dir, 'relay.config.json');
  writeFileSync(configFile, JSON.stringify(config));
  relay = await startLocalRelay({
    configFile,
    secretsFile: 'secrets.local.example.json',
    port: 0,
    sandbox: 'off',
    sandboxPort: undefined,
    stateDir: join(dir, 'state'),
    shutdownGraceMs: 0,
    workspace365TimeoutMs: 2000,
    logFileMaxBytes: 1024 * 1024,
    fastRetries: false,
    pollTickMs: 1000,
    fresh: false,
  });
});

afterAll(async () => {
  await relay?.stop();
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function sendWebhook(eventId: string, title: string) {
  const response = await fetch(`${relay.ingress.url}/webhooks/w365-demo`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: 'Bearer demo-w365-token',
      'idempotency-key': eventId,
    },
    body: JSON.stringify({ User: { Upn: 'anna.devries@demo.example' }, Title: title }),
  });
  expect(response.status).toBe(202);
  return (await response.json()) as { ids: string[] };
}

async function relayCli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await createRouter('relay', COMMANDS).run(argv, {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    env: { STATE_DIR: join(dir, 'state') },
    cwd: process.cwd(),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('relay trace against local mode', () => {
  it('shows a webhook retried twice and then delivered: three attempts in order, statuses, activity id', async () => {
    sandbox.script({ status: 500, times: 1 }, { status: 429, headers: { 'Retry-After': '1' }, times: 1 });
    const { ids } = await sendWebhook('evt-trace-retried', 'Traced after two retries');
    const activity = await waitFor(
      () => sandbox.activities().find((candidate) => candidate.activity.Title === 'Traced after two retries'),
      { what: 'the delivery' },
    );

    const text = await relayCli('trace', 'w365-demo', 'evt-trace-retried');
    expect(text.code).toBe(0);
    const attemptLines = text.out.split('\n').filter((line) => /attempt \d/.test(line));
    expect(attemptLines).toHaveLength(3);
    expect(attemptLines[0]).toMatch(
      /attempt 1 {2}Workspace 365 500 in \d+ ms → retry \(http\) in \d+ s, jittered backoff/,
    );
    expect(attemptLines[1]).toMatch(
      /attempt 2 {2}Workspace 365 429 in \d+ ms → retry \(http\) in 1 s, Workspace 365's Retry-After \(1 s\)/,
    );
    expect(attemptLines[2]).toMatch(
      new RegExp(
        `attempt 3 {2}Workspace 365 20\\d in \\d+ ms → delivered, activity id\\(s\\) ${activity.id}$`,
      ),
    );
    expect(text.out).toContain(`received  202 accepted → 1 delivery(ies): ${ids[0]}`);
    expect(text.out).toMatch(/result: delivered$/);

    const json = await relayCli('trace', '--message-id', ids[0] ?? '', '--json');
    expect(json.code).toBe(0);
    const timeline = JSON.parse(json.out) as Timeline;
    expect(timeline.outcome).toBe('delivered');
    expect(timeline.eventId).toBe('evt-trace-retried');
    expect(timeline.received.map((reception) => reception.step)).toEqual(['accepted']);
    const [delivery] = timeline.deliveries;
    expect(delivery?.attempts.map((attempt) => [attempt.receiveCount, attempt.step, attempt.status])).toEqual(
      [
        [1, 'retry', 500],
        [2, 'retry', 429],
        [3, 'delivered', 200],
      ],
    );
    expect(delivery?.end).toMatchObject({ state: 'delivered', activityIds: [activity.id] });

    // --since narrows the local file too: nothing of this webhook happened after "now".
    const later = await relayCli(
      'trace',
      'w365-demo',
      'evt-trace-retried',
      '--since',
      new Date().toISOString(),
    );
    expect(later.code).toBe(1);
    expect(later.out).toContain('no log lines found');
  });

  it('shows a dead-lettered webhook with its reason and exits 1', async () => {
    sandbox.script({
      status: 400,
      body: { globalError: null, fieldErrors: { 'Scope.Groups[0].Name': { message: 'unknown group' } } },
      times: 1,
    });
    const { ids } = await sendWebhook('evt-trace-rejected', 'Refused by Workspace 365');
    await waitFor(
      async () => {
        const { out } = await relayCli('trace', 'w365-demo', 'evt-trace-rejected', '--json');
        return (JSON.parse(out) as Timeline).outcome === 'dead_lettered';
      },
      { what: 'the dead letter' },
    );

    const text = await relayCli('trace', 'w365-demo', 'evt-trace-rejected');
    expect(text.code).toBe(1);
    expect(text.out).toContain(`delivery ${ids[0]}`);
    expect(text.out).toMatch(
      /attempt 1 {2}Workspace 365 400 in \d+ ms → dead-lettered: rejected — .*Scope\.Groups\[0\]\.Name: unknown group/,
    );
    expect(text.out).toContain('result: dead-lettered (rejected)');
  });

  it('finds a refusal by the correlation id the sender got back, and says so for an unknown event', async () => {
    const response = await fetch(`${relay.ingress.url}/webhooks/w365-demo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer wrong-token' },
      body: '{}',
    });
    expect(response.status).toBe(401);
    const correlationId = response.headers.get('x-correlation-id') ?? '';
    const refused = await relayCli('trace', '--correlation-id', correlationId);
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/received {2}401 rejected: \w+/);
    expect(refused.out).toContain('result: rejected at ingress; nothing was queued');

    const unknown = await relayCli('trace', 'w365-demo', 'no-such-event');
    expect(unknown.code).toBe(1);
    expect(unknown.out).toContain('no log lines found');
  });

  it('refuses an ambiguous or incomplete question with usage (exit 2)', async () => {
    expect((await relayCli('trace', 'w365-demo')).code).toBe(2);
    expect((await relayCli('trace', 'w365-demo', 'e', '--correlation-id', 'c')).code).toBe(2);
    expect((await relayCli('trace', 'w365-demo', 'e', '--since', 'yesterday-ish')).code).toBe(2);
  });
});
