import { MemorySecretStore } from '../../devkit/fakes/memory-secret-store';
import { type HuddleSandbox, startHuddleSandbox } from '../../devkit/huddle-sandbox';
import { ALL_SOURCE_ENGINES } from '../../devkit/source-engines';
import { startWorkDriveSandbox, type WorkDriveSandbox } from '../../devkit/workdrive-sandbox';
import { MemoryCheckpointStore } from '../../shared/adapters/memory-checkpoint-store';
import { parseRelayConfig } from '../../shared/config/load-config';
import type { PollConfig } from '../../shared/config/poll-config';
import type { EncodedQueueMessage } from '../../shared/envelope/queue-message';
import { PartyRegistry } from '../../shared/ingress/party-registry';
import { silentLogger } from '../../shared/observability/logger';
import { InMemoryMetrics } from '../../shared/observability/metrics';
import { type PollRunOptions, runPolls } from '../../shared/polling/poll-runner';
import type { CheckpointStore } from '../../shared/ports/checkpoint-store';
import { systemClock } from '../../shared/ports/clock';
import { startWorkerRelay, type WorkerRelay } from './worker-relay';

export const PARTY_ID = 'poll-test';
const W365_KEY = '55555555-5555-4555-8555-555555555555';
export const WORKDRIVE_KEY = 'wd-test-key';
export const HUDDLE_TOKEN = 'huddle-test-token';

type PollOverrides = Partial<Omit<PollConfig, 'baseUrl'>>;

/**
 * A polled party against a source sandbox, with the real pipeline after it: the ingress steps (map, W365
 * rules, dedup) into the fauxqs queue, the real worker delivering to the Workspace 365 sandbox.
 */
async function startHarness<S extends WorkDriveSandbox | HuddleSandbox>(
  source: 'workdrive' | 'huddle',
  sourceSandbox: S,
  poll: PollOverrides,
  options: { checkpoints?: CheckpointStore; credential?: string } = {},
) {
  const relay: WorkerRelay = await startWorkerRelay({ parties: [{ id: PARTY_ID, apiKey: W365_KEY }] });
  relay.startPoller();
  const config = parseRelayConfig({
    parties: [
      {
        id: PARTY_ID,
        source,
        auth: { scheme: 'token' },
        target: { baseUrl: relay.sandbox.url, environment: 'demo' },
        secretName: `webhook-relay/${PARTY_ID}`,
        options: {},
        poll: { baseUrl: sourceSandbox.url, ...poll },
      },
    ],
  });
  const secrets = new MemorySecretStore({
    [`webhook-relay/${PARTY_ID}`]: {
      workspace365ApiKey: W365_KEY,
      webhookSecrets: ['unused'],
      ...(source === 'workdrive'
        ? { workdriveApiKey: options.credential ?? WORKDRIVE_KEY }
        : { huddleAccessToken: options.credential ?? HUDDLE_TOKEN }),
    },
  });
  const registry = new PartyRegistry(config, ALL_SOURCE_ENGINES);
  const party = registry.get(PARTY_ID);
  if (!party) throw new Error('party missing');
  const checkpoints = options.checkpoints ?? new MemoryCheckpointStore();
  const metrics = new InMemoryMetrics();
  const deps = {
    checkpoints,
    secrets,
    fetch: globalThis.fetch,
    clock: systemClock,
    logger: silentLogger,
    metrics,
    pipeline: {
      queue: {
        sendAll: (messages: readonly EncodedQueueMessage[]) =>
          relay.send(...messages.map((encoded) => encoded.message)),
      },
      ledger: relay.ledger,
      metrics,
    },
  };
  return {
    relay,
    source: sourceSandbox,
    party,
    checkpoints,
    metrics,
    /** One run of the poller for this party; `force` unless told otherwise. */
    async poll(runOptions: PollRunOptions = { force: true }) {
      const report = await runPolls([party], deps, runOptions);
      return { report, party: report.polled[0] };
    },
    /** Activities the Workspace 365 sandbox received for a user. */
    activitiesFor: (upn: string) => relay.sandbox.activities({ upn }),
    async close() {
      await relay.close();
      await sourceSandbox.close();
    },
  };
}

export async function startWorkDrivePollHarness(
  poll: PollOverrides = {},
  options: { checkpoints?: CheckpointStore; credential?: string } = {},
) {
  const sandbox = await startWorkDriveSandbox({ apiKeys: [WORKDRIVE_KEY] });
  return startHarness('workdrive', sandbox, poll, options);
}

export async function startHuddlePollHarness(
  poll: PollOverrides = {},
  options: { checkpoints?: CheckpointStore; credential?: string } = {},
) {
  const sandbox = await startHuddleSandbox({ accessTokens: [HUDDLE_TOKEN] });
  return startHarness('huddle', sandbox, poll, options);
}
