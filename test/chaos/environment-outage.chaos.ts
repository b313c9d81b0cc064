import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRelay, startLocalRelay } from '../../functions/local/local-relay';
import { readLocalSettings } from '../../functions/local/local-settings';
import { inspectQueue } from '../../functions/local/queue-state';
import { DEFAULT_PARTY_CONCURRENCY } from '../../functions/worker/create-handler';
import type { RelayConfigInput } from '../../shared/config/relay-config';
import { retryWindow } from '../../shared/retry/schedule';
import { waitForDrain } from './support/chaos-relay';

/**
 * Issue "Outlast a Workspace 365 outage", time scaled down through the settings: one of three
 * environments is down (every connection reset) for 15 s while webhooks keep coming, then recovers;
 * then another answers 429 + Retry-After for 8 s. The retry schedule alone would give up after at most
 * 7 s, so without the breaker the down environment's messages would be dead-lettered.
 */
const RETRY = { baseSeconds: 1, capSeconds: 1, maxReceives: 8, jitter: 'equal' } as const;
const BREAKER = { failureThreshold: 3, cooldownSeconds: 2, pauseOnRetryAfter: true } as const;
const ENVIRONMENTS = ['east', 'west', 'down'] as const;
type Environment = (typeof ENVIRONMENTS)[number];
/** Webhooks per second per environment while traffic runs. */
const RATE = 5;
const OUTAGE_MS = 15_000;
const PAUSE_MS = 8_000;
const RETRY_AFTER_SECONDS = 2;
/** Local mode runs two poll loops over one handler; each may have a party's share of posts open. */
const IN_FLIGHT = 2 * DEFAULT_PARTY_CONCURRENCY;

type Sent = { environment: Environment; id: string; acceptedAt: number };

let relay: LocalRelay | undefined;
let dir: string | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'relay-outage-'));
  const config: RelayConfigInput = {
    parties: ENVIRONMENTS.map((environment) => ({
      id: `party-${environment}`,
      source: 'workspace365',
      auth: { scheme: 'token' },
      target: { baseUrl: 'http://127.0.0.1:4365', environment },
      secretName: `outage/${environment}`,
    })),
    retry: RETRY,
    circuitBreaker: BREAKER,
  };
  const secrets = Object.fromEntries(
    ENVIRONMENTS.map((environment) => [
      `outage/${environment}`,
      { workspace365ApiKey: `key-${environment}`, webhookSecrets: [`token-${environment}`] },
    ]),
  );
  await writeFile(join(dir, 'relay.config.json'), JSON.stringify(config));
  await writeFile(join(dir, 'secrets.json'), JSON.stringify(secrets));
  relay = await startLocalRelay(
    readLocalSettings({
      RELAY_CONFIG: join(dir, 'relay.config.json'),
      RELAY_SECRETS: join(dir, 'secrets.json'),
      PORT: '0',
      SANDBOX_PORT: '0',
      STATE_DIR: join(dir, 'state'),
      RELAY_SHUTDOWN_GRACE_MS: '1000',
      WORKSPACE365_TIMEOUT_MS: '2500',
    }),
  );
});

afterAll(async () => {
  try {
    await relay?.stop();
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
});

let sequence = 0;
async function send(environment: Environment): Promise<Sent[]> {
  if (!relay) throw new Error('relay not started');
  sequence += 1;
  const response = await fetch(`${relay.ingress.url}/webhooks/party-${environment}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer token-${environment}` },
    body: JSON.stringify({ User: { Upn: 'anna.devries@demo.example' }, Title: `outage run #${sequence}` }),
  });
  const body = (await response.json()) as { ids?: string[] };
  expect(response.status, JSON.stringify(body)).toBe(202);
  return (body.ids ?? []).map((id) => ({ environment, id, acceptedAt: Date.now() }));
}

/** Sends RATE webhooks per second to every environment for `ms`, calling `at` with the elapsed time. */
async function traffic(ms: number, at: (elapsedMs: number) => void = () => {}): Promise<Sent[]> {
  const sent: Sent[] = [];
  const start = Date.now();
  const inFlight: Promise<void>[] = [];
  for (let tick = 0; Date.now() - start < ms; tick++) {
    at(Date.now() - start);
    for (const environment of ENVIRONMENTS)
      inFlight.push(send(environment).then((ids) => void sent.push(...ids)));
    const next = start + ((tick + 1) * 1000) / RATE;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())));
  }
  await Promise.all(inFlight);
  return sent;
}

/** Delivery latency (202 → the activity created at the sandbox) per message id, and the 200s per id. */
function deliveries(sent: readonly Sent[]) {
  const sandbox = relay?.sandbox;
  if (!sandbox) throw new Error('no sandbox');
  const created = new Map<string, number[]>();
  for (const activity of sandbox.activities()) {
    if (!activity.idempotencyKey) continue;
    created.set(activity.idempotencyKey, [
      ...(created.get(activity.idempotencyKey) ?? []),
      Date.parse(activity.receivedAt),
    ]);
  }
  return sent.map((message) => ({
    ...message,
    times: created.get(message.id)?.length ?? 0,
    latencyMs: (created.get(message.id)?.[0] ?? Number.NaN) - message.acceptedAt,
  }));
}

function p99(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] ?? Number.NaN;
}

function requestsTo(environment: Environment, from: number, to: number): number {
  return (relay?.sandbox?.requests() ?? []).filter((request) => {
    const at = Date.parse(request.at);
    return request.environment === environment && at >= from && at < to;
  }).length;
}

async function expectDrainedAndDeliveredOnce(sent: readonly Sent[]) {
  if (!relay) throw new Error('relay not started');
  expect(await waitForDrain(relay, 60_000), 'the main queue drained').toBe(true);
  const result = deliveries(sent);
  expect(result.filter((message) => message.times !== 1).map((m) => `${m.id}: ${m.times}`)).toEqual([]);
  expect(await inspectQueue(relay.emulator.endpoint, relay.emulator.dlqUrl)).toEqual([]);
  return result;
}

const latencyBound = (baseline: number) => Math.max(2 * baseline, baseline + 1000);

describe('a Workspace 365 environment outage (local mode, time scaled down)', () => {
  let baselineP99 = Number.NaN;

  it('measures a run without the outage', async () => {
    // Warm up first (first long polls, JIT), so the baseline is the steady state.
    await expectDrainedAndDeliveredOnce(await traffic(1_000));
    const sent = await traffic(8_000);
    const result = await expectDrainedAndDeliveredOnce(sent);
    baselineP99 = p99(result.filter((m) => m.environment !== 'down').map((m) => m.latencyMs));
    console.log(`baseline: ${sent.length} messages, other environments' p99 ${baselineP99} ms`);
    expect(baselineP99).toBeGreaterThan(0);
  });

  it('one environment down for 15 s: probes only, nothing dead-lettered, every message once, the others on time', async () => {
    const sandbox = relay?.sandbox;
    if (!sandbox || !relay) throw new Error('relay not started');
    // The schedule alone would give up long before the outage ends.
    expect(retryWindow(RETRY).latestSeconds * 1000).toBeLessThan(OUTAGE_MS);
    let outageStart = 0;
    let outageEnd = 0;
    const sent = await traffic(OUTAGE_MS + 7_000, (elapsed) => {
      if (elapsed >= 2_000 && outageStart === 0) {
        outageStart = Date.now();
        sandbox.script({ environment: 'down', fault: 'reset', times: 1_000_000 });
      }
      if (elapsed >= 2_000 + OUTAGE_MS && outageEnd === 0) {
        outageEnd = Date.now();
        sandbox.unscript({ environment: 'down' });
      }
    });
    const result = await expectDrainedAndDeliveredOnce(sent);

    // While down it got the failures that opened the breaker (plus what was already in flight) and one
    // probe per cool-down: not one request per queued message per retry.
    const duringOutage = requestsTo('down', outageStart, outageEnd);
    const probes = Math.ceil(OUTAGE_MS / (BREAKER.cooldownSeconds * 1000)) + 1;
    const bound = BREAKER.failureThreshold + IN_FLIGHT + probes;
    const downSent = sent.filter((m) => m.environment === 'down').length;
    const otherP99 = p99(result.filter((m) => m.environment !== 'down').map((m) => m.latencyMs));
    console.log(
      `outage: ${sent.length} messages (${downSent} for the down environment, deferred ${relay.metrics.sum('DeliveryDeferred')} times); requests to it during the ${OUTAGE_MS / 1000} s outage: ${duringOutage} (bound ${bound}); other environments' p99 ${otherP99} ms (baseline ${baselineP99} ms, bound ${latencyBound(baselineP99)} ms)`,
    );
    expect(duringOutage).toBeLessThanOrEqual(bound);
    expect(otherP99).toBeLessThanOrEqual(latencyBound(baselineP99));
    expect(relay.metrics.sum('CircuitBreakerOpened')).toBeGreaterThanOrEqual(1);
    expect(relay.metrics.sum('CircuitBreakerClosed')).toBe(relay.metrics.sum('CircuitBreakerOpened'));
  });

  it('429 with Retry-After pauses the environment: it receives only the probes during the pause', async () => {
    const sandbox = relay?.sandbox;
    if (!sandbox || !relay) throw new Error('relay not started');
    let pauseStart = 0;
    let pauseEnd = 0;
    const sent = await traffic(PAUSE_MS + 4_000, (elapsed) => {
      if (elapsed >= 1_000 && pauseStart === 0) {
        pauseStart = Date.now();
        sandbox.script({
          environment: 'west',
          status: 429,
          headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) },
          body: { globalError: { message: 'Too many requests' } },
          times: 1_000_000,
        });
      }
      if (elapsed >= 1_000 + PAUSE_MS && pauseEnd === 0) {
        pauseEnd = Date.now();
        sandbox.unscript({ environment: 'west' });
      }
    });
    await expectDrainedAndDeliveredOnce(sent);
    const duringPause = requestsTo('west', pauseStart, pauseEnd);
    const bound = IN_FLIGHT + Math.ceil(PAUSE_MS / (RETRY_AFTER_SECONDS * 1000)) + 1;
    const westSent = sent.filter((m) => m.environment === 'west').length;
    console.log(
      `429 pause: ${westSent} messages for the paused environment; requests to it during the ${PAUSE_MS / 1000} s pause: ${duringPause} (bound ${bound})`,
    );
    expect(duringPause).toBeLessThanOrEqual(bound);
  });
});
