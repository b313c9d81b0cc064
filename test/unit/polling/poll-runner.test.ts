import { describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../../devkit/fakes/memory-secret-store';
import { ALL_SOURCE_ENGINES } from '../../../devkit/source-engines';
import { InMemoryDedupLedger } from '../../../shared/adapters/in-memory-dedup-ledger';
import { MemoryCheckpointStore } from '../../../shared/adapters/memory-checkpoint-store';
import { parseRelayConfig } from '../../../shared/config/load-config';
import { PartyRegistry, type RegisteredParty } from '../../../shared/ingress/party-registry';
import { silentLogger } from '../../../shared/observability/logger';
import { InMemoryMetrics } from '../../../shared/observability/metrics';
import { runPolls, SCHEDULE_RESOURCE } from '../../../shared/polling/poll-runner';

const IDS = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'];

function setUp(intervalSeconds = 60) {
  const config = parseRelayConfig({
    parties: IDS.map((id) => ({
      id,
      source: 'workdrive',
      auth: { scheme: 'token' },
      target: { baseUrl: 'https://acme.workspace365.net', environment: 'acme' },
      secretName: id,
      poll: { baseUrl: 'https://api.workdrive.example', resources: ['news'], intervalSeconds },
    })),
  });
  const registry = new PartyRegistry(config, ALL_SOURCE_ENGINES);
  const parties = IDS.map((id) => registry.get(id) as RegisteredParty);
  const secrets = new MemorySecretStore(
    Object.fromEntries(
      IDS.map((id) => [id, { workspace365ApiKey: 'k', webhookSecrets: ['s'], workdriveApiKey: `key-${id}` }]),
    ),
  );
  let inFlight = 0;
  let maxInFlight = 0;
  const keysSeen: string[] = [];
  // A WorkDrive API that answers an empty news list after the event loop has turned a few times.
  const fetch = (async (_url: URL, init?: RequestInit) => {
    keysSeen.push(new Headers(init?.headers).get('x-api-key') ?? '');
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
    inFlight -= 1;
    return new Response(JSON.stringify({ news: [] }), { headers: { 'content-type': 'application/json' } });
  }) as typeof globalThis.fetch;
  const metrics = new InMemoryMetrics();
  const checkpoints = new MemoryCheckpointStore();
  let now = new Date('2026-12-01T00:00:00Z');
  const deps = {
    checkpoints,
    secrets,
    fetch,
    clock: { now: () => now },
    logger: silentLogger,
    metrics,
    pipeline: {
      queue: { sendAll: async () => {} },
      ledger: new InMemoryDedupLedger(),
      metrics,
    },
  };
  return {
    parties,
    deps,
    checkpoints,
    metrics,
    stats: () => ({ maxInFlight, keysSeen }),
    advance: (seconds: number) => {
      now = new Date(now.getTime() + seconds * 1000);
    },
  };
}

describe('poll runner', () => {
  it('polls every party with its own key, never more at once than the cap', async () => {
    const { parties, deps, stats, metrics } = setUp();
    const report = await runPolls(parties, deps, { concurrency: 2 });
    expect(report.polled.map((party) => party.status)).toEqual(Array(6).fill('completed'));
    expect(stats().maxInFlight).toBe(2);
    expect(new Set(stats().keysSeen)).toEqual(new Set(IDS.map((id) => `key-${id}`)));
    expect(metrics.sum('PollCompleted')).toBe(6);
  });

  it('skips a party until its interval has passed, and records when it ran', async () => {
    const { parties, deps, checkpoints, advance } = setUp(300);
    await runPolls(parties, deps);
    expect(await checkpoints.get('p1', SCHEDULE_RESOURCE)).toEqual({
      lastRunAt: Date.parse('2026-12-01T00:00:00Z'),
    });
    advance(60);
    const early = await runPolls(parties, deps);
    expect(early.polled).toEqual([]);
    expect(early.skipped).toHaveLength(6);
    advance(240);
    expect((await runPolls(parties, deps)).polled).toHaveLength(6);
  });
});
