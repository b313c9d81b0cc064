import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { type SqsEmulator, startSqsEmulator } from '../../devkit/sqs/sqs-emulator';
import { type Sandbox, startSandbox } from '../../devkit/workspace365-sandbox';
import { FileSecretStore } from '../../shared/adapters/file-secret-store';
import { SqsMessageQueue } from '../../shared/adapters/sqs-message-queue';
import { createIngressDeps } from '../../shared/composition/ingress-deps';
import { loadRelayConfig } from '../../shared/config/load-config';
import type { PartyConfig, RelayConfig } from '../../shared/config/relay-config';
import { InMemoryCacheClient } from '../../shared/idempotency/in-memory-cache-client';
import { createPersistenceStore } from '../../shared/idempotency/persistence-store';
import { createLogger } from '../../shared/observability/logger';
import { InMemoryMetrics } from '../../shared/observability/metrics';
import { createIngressHandler } from '../ingress/create-handler';
import { type IngressServer, startIngressServer } from './ingress-server';
import type { LocalSettings } from './local-settings';
import { type LocalWorker, startLocalWorker } from './local-worker';
import { inspectQueue, loadQueueState, removeQueueState, requeue, saveQueueState } from './queue-state';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export type LocalRelay = {
  config: RelayConfig;
  ingress: IngressServer;
  sandbox: Sandbox | undefined;
  emulator: SqsEmulator;
  metrics: InMemoryMetrics;
  restoredCount: number;
  /** Replaces the worker as a new Lambda execution environment would (the reliability suite uses it). */
  restartWorker(): Promise<void>;
  /** Graceful stop: refuse new webhooks, deliver for the grace period, save what is left. */
  stop(): Promise<{ saved: number }>;
};

/**
 * The whole relay in one process: the same ingress core and worker handler as in AWS, with fauxqs for
 * SQS, a JSON file for secrets, an in-process dedup store and (for loopback targets) the W365 sandbox.
 */
export async function startLocalRelay(settings: LocalSettings): Promise<LocalRelay> {
  const loaded = loadRelayConfig(settings.configFile);
  const secrets = new FileSecretStore(settings.secretsFile);
  const logger = createLogger('webhook-relay-local');
  const metrics = new InMemoryMetrics();
  const stateFile = join(settings.stateDir, 'queue-state.json');
  const dedupFile = join(settings.stateDir, 'dedup-state.json');

  const sandbox = settings.sandbox === 'auto' ? await startSandboxFor(loaded, secrets, settings) : undefined;
  const config = sandbox ? withLoopbackTargetsAt(loaded, sandbox.url) : loaded;
  const emulator = await startSqsEmulator({ maxReceives: config.retry.maxReceives });

  // Dedup and delivery records survive a restart alongside the queues (see stop()).
  const dedupStore = new InMemoryCacheClient();
  const saved = await loadQueueState(stateFile);
  const savedDedup = await loadDedupState(dedupFile);
  dedupStore.restore(savedDedup);
  let restoredCount = 0;
  if (saved) {
    await requeue(emulator.client, emulator.queueUrl, saved.main);
    await requeue(emulator.client, emulator.dlqUrl, saved.deadLetter);
    restoredCount = saved.main.length + saved.deadLetter.length;
    await removeQueueState(stateFile);
  }

  const worker: LocalWorker = await startLocalWorker({
    config,
    secrets,
    emulator,
    dedupStore,
    metrics,
    logger,
    ...(settings.workspace365TimeoutMs ? { workspace365TimeoutMs: settings.workspace365TimeoutMs } : {}),
  });

  const ingressDeps = createIngressDeps({
    config,
    secrets,
    queue: new SqsMessageQueue({ client: emulator.client as SQSClient, queueUrl: emulator.queueUrl }),
    persistence: createPersistenceStore({ cacheClient: dedupStore }),
    metrics,
    logger,
  });
  const ingress = await startIngressServer({
    handler: createIngressHandler(ingressDeps),
    port: settings.port,
  });
  await writeConnectionFile(settings.stateDir, {
    ingressUrl: ingress.url,
    sandboxUrl: sandbox?.url,
    emulator,
  });

  return {
    config,
    ingress,
    sandbox,
    emulator,
    metrics,
    restoredCount,
    restartWorker: () => worker.restart(),
    async stop() {
      ingress.stopAccepting();
      await worker.drain(settings.shutdownGraceMs);
      await worker.stop();
      const main = await inspectQueue(emulator.endpoint, emulator.queueUrl);
      const deadLetter = await inspectQueue(emulator.endpoint, emulator.dlqUrl);
      if (main.length + deadLetter.length > 0) await saveQueueState(stateFile, { main, deadLetter });
      await saveDedupState(dedupFile, dedupStore);
      await ingress.close();
      await emulator.close();
      await sandbox?.close();
      return { saved: main.length + deadLetter.length };
    },
  };
}

/** Serves every party whose target is a loopback URL (the caller points those targets at it). */
async function startSandboxFor(
  config: RelayConfig,
  secrets: FileSecretStore,
  settings: LocalSettings,
): Promise<Sandbox | undefined> {
  const local = config.parties.filter(hasLoopbackTarget);
  if (local.length === 0) return undefined;
  const environments: Record<string, { apiKeys: string[] }> = {};
  for (const party of local) {
    const { workspace365ApiKey } = await secrets.get(party.secretName);
    const environment = environments[party.target.environment] ?? { apiKeys: [] };
    environment.apiKeys.push(workspace365ApiKey);
    environments[party.target.environment] = environment;
  }
  const port = settings.sandboxPort ?? Number(new URL(local[0]?.target.baseUrl ?? '').port || 0);
  return startSandbox({ port, environments });
}

const hasLoopbackTarget = (party: PartyConfig) => LOOPBACK.has(new URL(party.target.baseUrl).hostname);

/** A copy of the config whose loopback targets point at the sandbox; the parsed config is never changed. */
function withLoopbackTargetsAt(config: RelayConfig, baseUrl: string): RelayConfig {
  return {
    ...config,
    parties: config.parties.map((party) =>
      hasLoopbackTarget(party) ? { ...party, target: { ...party.target, baseUrl } } : party,
    ),
  };
}

/** What `npm run relay -- dlq … --local` needs to reach this process's emulator. */
async function writeConnectionFile(
  stateDir: string,
  details: { ingressUrl: string; sandboxUrl: string | undefined; emulator: SqsEmulator },
): Promise<void> {
  await mkdir(stateDir, { recursive: true });
  await writeFile(
    join(stateDir, 'local.json'),
    JSON.stringify(
      {
        ingressUrl: details.ingressUrl,
        sandboxUrl: details.sandboxUrl,
        sqsEndpoint: details.emulator.endpoint,
        queueUrl: details.emulator.queueUrl,
        dlqUrl: details.emulator.dlqUrl,
        pid: process.pid,
      },
      null,
      2,
    ),
  );
}

async function loadDedupState(file: string): Promise<ReturnType<InMemoryCacheClient['snapshot']>> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as ReturnType<InMemoryCacheClient['snapshot']>;
  } catch {
    return [];
  }
}

async function saveDedupState(file: string, store: InMemoryCacheClient): Promise<void> {
  await writeFile(file, JSON.stringify(store.snapshot()));
}
