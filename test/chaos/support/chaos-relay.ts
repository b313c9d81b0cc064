import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoConfig } from '../../../devkit/fakes/demo';
import { queueDepth } from '../../../devkit/sqs/queue-depth';
import { type LocalRelay, startLocalRelay } from '../../../functions/local/local-relay';
import { readLocalSettings } from '../../../functions/local/local-settings';
import type { RelayConfig } from '../../../shared/config/relay-config';
import { CHAOS_PARTIES } from './webhook-plan';

/** Short retries so a run takes minutes; enough receives that transient faults never exhaust them. */
export const CHAOS_RETRY = { baseSeconds: 1, capSeconds: 4, maxReceives: 50, jitter: 'full' } as const;

export type ChaosRelay = { relay: LocalRelay; config: RelayConfig; dispose(): Promise<void> };

/**
 * The whole local relay in this process (`startLocalRelay`, as `npm start` runs it) with the built-in
 * sandbox, the three chaos parties of the demo config, short retries and a short Workspace 365 timeout.
 */
export async function startChaosRelay(options: { clientTimeoutMs: number }): Promise<ChaosRelay> {
  const dir = await mkdtemp(join(tmpdir(), 'relay-chaos-'));
  const config = demoConfig();
  config.parties = config.parties.filter((party) => (CHAOS_PARTIES as readonly string[]).includes(party.id));
  config.retry = { ...CHAOS_RETRY };
  // The faults here are drawn per request, not per environment: a random 429 is no environment-wide rate
  // limit, and a burst of timeouts comes from this one busy process (relay, emulator and sandbox share it),
  // not from Workspace 365. So the breaker stays on but needs a long run of failures and never pauses on
  // Retry-After; environment-outage.chaos.ts covers the breaker.
  config.circuitBreaker = {
    ...config.circuitBreaker,
    failureThreshold: 50,
    pauseOnRetryAfter: false,
    cooldownSeconds: 1,
  };
  const configFile = join(dir, 'relay.config.json');
  await writeFile(configFile, JSON.stringify(config));
  const settings = readLocalSettings({
    RELAY_CONFIG: configFile,
    RELAY_SECRETS: 'secrets.local.example.json',
    PORT: '0',
    SANDBOX_PORT: '0',
    STATE_DIR: join(dir, 'state'),
    RELAY_SHUTDOWN_GRACE_MS: '1000',
    WORKSPACE365_TIMEOUT_MS: String(options.clientTimeoutMs),
  });
  let relay: LocalRelay;
  try {
    relay = await startLocalRelay(settings);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    relay,
    config,
    async dispose() {
      try {
        await relay.stop();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Messages on the main queue: ready, in flight (being delivered or waiting out a backoff) or delayed. */
export function pendingMessages(relay: LocalRelay): Promise<number> {
  return queueDepth(relay.emulator.client, relay.emulator.queueUrl);
}

/** `true` once the main queue has stayed empty for a moment; `false` if it still holds messages after the timeout. */
export async function waitForDrain(
  relay: LocalRelay,
  timeoutMs: number,
  onProgress?: (pending: number) => void,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let emptyChecks = 0;
  let lastReport = 0;
  for (;;) {
    const pending = await pendingMessages(relay);
    if (onProgress && Date.now() - lastReport >= 10_000) {
      lastReport = Date.now();
      onProgress(pending);
    }
    emptyChecks = pending === 0 ? emptyChecks + 1 : 0;
    if (emptyChecks >= 3) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
