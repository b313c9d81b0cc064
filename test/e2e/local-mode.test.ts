import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { demoConfig, demoSecrets } from '../../devkit/fakes/demo';
import { sampleEvents } from '../../devkit/samples';
import { apiKeyFingerprint, type Sandbox, startSandbox } from '../../devkit/workspace365-sandbox';
import { signWebhook } from '../../shared/auth';
import type { RelayConfig } from '../../shared/config/relay-config';
import { type LocalRelayProcess, startLocalRelayProcess } from '../support/local-relay-process';

const secrets = demoSecrets();
const started: { relays: LocalRelayProcess[]; sandboxes: Sandbox[] } = { relays: [], sandboxes: [] };

afterEach(async () => {
  await Promise.all(started.relays.map((relay) => relay.stop('SIGKILL')));
  await Promise.all(started.sandboxes.map((sandbox) => sandbox.close()));
  started.relays = [];
  started.sandboxes = [];
});

/** The demo config pointed at an external sandbox this test owns, with short retries. */
async function externalSandboxSetup(
  extraEnv: Record<string, string> = {},
  circuitBreaker: Partial<RelayConfig['circuitBreaker']> = {},
) {
  const sandbox = await startSandbox({
    environments: {
      demo: { apiKeys: Object.values(secrets).map((secret) => secret.workspace365ApiKey) },
    },
  });
  started.sandboxes.push(sandbox);
  const config: RelayConfig = demoConfig();
  for (const party of config.parties) party.target.baseUrl = sandbox.url;
  config.retry = { baseSeconds: 1, capSeconds: 2, maxReceives: 10, jitter: 'full' };
  // Time scaled down: a breaker opened by a scripted outage probes again after 1 s, not 60.
  config.circuitBreaker = { ...config.circuitBreaker, cooldownSeconds: 1, ...circuitBreaker };
  const dir = mkdtempSync(join(tmpdir(), 'relay-e2e-'));
  const configFile = join(dir, 'relay.config.json');
  writeFileSync(configFile, JSON.stringify(config));
  const env = {
    RELAY_CONFIG: configFile,
    RELAY_SECRETS: 'secrets.local.example.json',
    RELAY_SANDBOX: 'off',
    STATE_DIR: join(dir, 'state'),
    ...extraEnv,
  };
  return { sandbox, config, env };
}

async function startRelay(env: Record<string, string>) {
  const relay = await startLocalRelayProcess(env);
  started.relays.push(relay);
  return relay;
}

function partyOf(config: RelayConfig, id: string) {
  const party = config.parties.find((candidate) => candidate.id === id);
  if (!party) throw new Error(`no party ${id}`);
  return party;
}

async function post(relayUrl: string, config: RelayConfig, partyId: string, body: unknown, tamper = false) {
  const party = partyOf(config, partyId);
  const rawBody = Buffer.from(JSON.stringify(body));
  const secret = secrets[party.secretName]?.webhookSecrets[0] ?? '';
  const headers = { 'content-type': 'application/json', ...signWebhook(party.auth, secret, rawBody) };
  const sent = tamper ? Buffer.from(JSON.stringify({ ...(body as object), tampered: true })) : rawBody;
  const response = await fetch(`${relayUrl}/webhooks/${partyId}`, { method: 'POST', headers, body: sent });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const partyBySource = {
  workdrive: 'workdrive-demo',
  huddle: 'huddle-demo',
  template: 'crm-demo',
  workspace365: 'w365-demo',
} as const;

type RecordedActivity = ReturnType<Sandbox['activities']>[number];

describe('local mode end to end (npm start as a child process)', () => {
  it('starts with no set-up, prints the fixed line, and delivers to the built-in sandbox', async () => {
    const relay = await startRelay({
      STATE_DIR: mkdtempSync(join(tmpdir(), 'relay-e2e-')),
      SANDBOX_PORT: '0',
    });
    expect(relay.output).toContainEqual(
      expect.stringMatching(/^relay listening on http:\/\/127\.0\.0\.1:\d+$/),
    );
    expect(relay.sandboxUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const accepted = await post(relay.url, demoConfig(), 'w365-demo', sampleEvents.workspace365.activity?.());
    expect(accepted.status).toBe(202);
    const recorded = await waitFor('the activity at the built-in sandbox', async () => {
      const response = await fetch(`${relay.sandboxUrl}/_sandbox/activities?environment=demo`);
      const activities = (await response.json()) as RecordedActivity[];
      return activities.length > 0 ? activities : undefined;
    });
    const key = secrets['webhook-relay/w365-demo']?.workspace365ApiKey ?? '';
    expect(recorded[0]?.apiKeyFingerprint).toBe(apiKeyFingerprint(key));
    expect(relay.output.join('\n')).not.toContain(key);
  });

  it('delivers every source with its own party key, refuses bad input, and rides out an outage', async () => {
    const { sandbox, config, env } = await externalSandboxSetup();
    const relay = await startRelay(env);
    const ids: string[] = [];
    for (const [source, partyId] of Object.entries(partyBySource)) {
      for (const [event, makeBody] of Object.entries(sampleEvents[source as keyof typeof partyBySource])) {
        const response = await post(relay.url, config, partyId, makeBody());
        expect(response.status, `${source} ${event} ${JSON.stringify(response.body)}`).toBe(202);
        ids.push(...(response.body.ids as string[]));
      }
    }
    await waitFor('every accepted message delivered', () => {
      const delivered = new Set(sandbox.activities().map((activity) => activity.idempotencyKey));
      return ids.every((id) => delivered.has(id)) ? true : undefined;
    });
    for (const activity of sandbox.activities()) {
      const message = ids.includes(activity.idempotencyKey ?? '') ? activity : undefined;
      expect(message).toBeDefined();
    }
    const fingerprints = new Set(sandbox.requests().map((request) => request.apiKeyFingerprint));
    for (const partyId of Object.values(partyBySource)) {
      const key = secrets[partyOf(config, partyId).secretName]?.workspace365ApiKey ?? '';
      expect(fingerprints.has(apiKeyFingerprint(key)), partyId).toBe(true);
    }

    const before = sandbox.activities().length;
    const badSignature = await post(
      relay.url,
      config,
      'workdrive-demo',
      sampleEvents.workdrive['task.assigned']?.(),
      true,
    );
    expect(badSignature.status).toBe(401);
    const oversize = await post(relay.url, config, 'w365-demo', {
      User: { Upn: 'a@b.example' },
      Title: 'x'.repeat(300_000),
    });
    expect(oversize.status).toBe(413);
    const invalid = await post(relay.url, config, 'w365-demo', { User: { Upn: 'a@b.example' }, Title: '' });
    expect(invalid.status).toBe(422);
    expect(invalid.body).toMatchObject({ fieldErrors: { Title: { message: expect.any(String) } } });

    sandbox.script({ status: 503, times: 2 });
    const outageBody = {
      ...(sampleEvents.workspace365.activity?.() as object),
      Title: 'Sent during an outage',
    };
    const retried = await post(relay.url, config, 'w365-demo', outageBody);
    expect(retried.status).toBe(202);
    const retriedId = (retried.body.ids as string[])[0];
    await waitFor('the retried activity', () =>
      sandbox.activities().some((activity) => activity.idempotencyKey === retriedId) ? true : undefined,
    );
    expect(sandbox.activities().filter((activity) => activity.idempotencyKey === retriedId)).toHaveLength(1);
    expect(sandbox.activities()).toHaveLength(before + 1);
    const attempts = sandbox.requests().filter((request) => request.idempotencyKey === retriedId);
    expect(attempts.map((attempt) => attempt.status)).toEqual([503, 503, 200]);
  }, 60_000);

  it('SIGTERM during a burst, then a second start: nothing answered 202 is lost, nothing is delivered twice', async () => {
    // About the restart, not outages: with the breaker on, the 40 scripted failures below would be spent
    // one probe per cool-down (test/chaos/environment-outage.chaos.ts covers the breaker).
    const { sandbox, config, env } = await externalSandboxSetup(
      { RELAY_SHUTDOWN_GRACE_MS: '200' },
      { enabled: false },
    );
    // A slow, failing Workspace 365 keeps messages on the queue when the signal arrives.
    sandbox.script({ status: 503, delayMs: 400, times: 40 });
    const first = await startRelay(env);
    const accepted: string[] = [];
    const burst = Array.from({ length: 60 }, async (_, index) => {
      const body = { User: { Upn: `user${index % 5}@demo.example` }, Title: `Burst ${index}` };
      try {
        const response = await post(first.url, config, 'w365-demo', body);
        if (response.status === 202) accepted.push(...(response.body.ids as string[]));
      } catch {
        // The process may stop answering mid-burst; those webhooks were not accepted.
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exitCode = await first.stop('SIGTERM');
    await Promise.all(burst);
    expect(exitCode).toBe(0);
    expect(accepted.length).toBeGreaterThan(0);

    const second = await startRelay(env);
    await waitFor(
      'every accepted webhook delivered after the restart',
      () => {
        const delivered = new Set(sandbox.activities().map((activity) => activity.idempotencyKey));
        return accepted.every((id) => delivered.has(id)) ? true : undefined;
      },
      40_000,
    );
    const perMessage = new Map<string, number>();
    for (const activity of sandbox.activities()) {
      const key = activity.idempotencyKey ?? '';
      perMessage.set(key, (perMessage.get(key) ?? 0) + 1);
    }
    expect([...perMessage.values()].every((count) => count === 1)).toBe(true);
    expect(second.output.join('\n')).toMatch(/re-queued \d+ saved message/);
  }, 90_000);
});
