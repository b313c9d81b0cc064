import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type SqsEmulator, startSqsEmulator } from '../../devkit/sqs/sqs-emulator';
import { type RecordedActivity, type Sandbox, startSandbox } from '../../devkit/workspace365-sandbox';
import { FileCheckpointStore } from '../../shared/adapters/file-checkpoint-store';
import { FileSecretStore } from '../../shared/adapters/file-secret-store';
import { InMemoryDedupLedger } from '../../shared/adapters/in-memory-dedup-ledger';
import { SqsMessageQueue } from '../../shared/adapters/sqs-message-queue';
import { createIngressDeps } from '../../shared/composition/ingress-deps';
import { createPollDeps } from '../../shared/composition/poll-deps';
import { loadRelayConfig } from '../../shared/config/load-config';
import type { PartyConfig, RelayConfig } from '../../shared/config/relay-config';
import { createLogger } from '../../shared/observability/logger';
import { InMemoryMetrics } from '../../shared/observability/metrics';
import { createSources, loadSourceEngines } from '../../shared/sources';
import { createIngressHandler } from '../ingress/create-handler';
import { checkPartySecrets } from './check-secrets';
import { type IngressServer, startIngressServer } from './ingress-server';
import { type LocalPoller, startLocalPoller } from './local-poller';
import { FAST_RETRIES, type LocalSettings } from './local-settings';
import { type LocalWorker, startLocalWorker } from './local-worker';
import { BoundedLogFile, FileTeeLogger, LOG_FILE_NAME } from './log-file';
import { ingressPortInUse, isAddressInUse, portHolder, sandboxPortInUse } from './port-in-use';
import { inspectQueue, loadQueueState, removeQueueState, requeue, saveQueueState } from './queue-state';
import { type SourceSandboxes, startSourceSandboxesFor } from './source-sandboxes';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export type LocalRelay = {
  config: RelayConfig;
  ingress: IngressServer;
  sandbox: Sandbox | undefined;
  /** WorkDrive and Huddle API sandboxes for loopback poll targets (docs/polling.md). */
  sourceSandboxes: SourceSandboxes | undefined;
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
  const parsed = loadRelayConfig(settings.configFile);
  const loaded = settings.fastRetries ? { ...parsed, retry: { ...FAST_RETRIES } } : parsed;
  // Sources first: every template that does not compile is reported before anything starts.
  const sourceEngines = await loadSourceEngines(loaded.parties);
  createSources(loaded.parties, sourceEngines);
  const secrets = new FileSecretStore(settings.secretsFile);
  await checkPartySecrets(loaded, secrets, settings.secretsFile);
  // The same JSON lines also go to STATE_DIR/relay.log, where `relay trace` finds them (docs/tracing.md).
  const logFile =
    settings.logFileMaxBytes > 0
      ? new BoundedLogFile(join(settings.stateDir, LOG_FILE_NAME), settings.logFileMaxBytes)
      : undefined;
  const logger = logFile
    ? new FileTeeLogger(logFile, {
        serviceName: 'webhook-relay-local',
        logLevel: (process.env.POWERTOOLS_LOG_LEVEL ?? 'INFO') as 'INFO',
      })
    : createLogger('webhook-relay-local', { timestamps: true });
  const metrics = new InMemoryMetrics();
  const stateFile = join(settings.stateDir, 'queue-state.json');
  const dedupFile = join(settings.stateDir, 'dedup-ledger.json');
  const feedFile = join(settings.stateDir, 'sandbox-feed.json');
  // The saved queue, the dedup/delivery records and the sandbox feed share one lifetime: kept across
  // restarts together, cleared together (`npm start -- --fresh`).
  if (settings.fresh) {
    await Promise.all([stateFile, dedupFile, feedFile].map((file) => rm(file, { force: true })));
  }

  const sandbox =
    settings.sandbox === 'auto'
      ? await startSandboxFor(loaded, secrets, settings, await loadJson<RecordedActivity[]>(feedFile, []))
      : undefined;
  const config = sandbox ? withLoopbackTargetsAt(loaded, sandbox.url) : loaded;
  const sourceSandboxes =
    settings.sandbox === 'auto'
      ? await startSourceSandboxesFor(config, secrets, { anyPort: settings.sandboxPort === 0 })
      : undefined;
  const emulator = await startSqsEmulator({ maxReceives: config.retry.maxReceives });

  // The dedup ledger survives a restart alongside the queues (see stop()): ingress and worker share it.
  const ledger = new InMemoryDedupLedger();
  const saved = await loadQueueState(stateFile);
  ledger.restore(await loadJson<ReturnType<InMemoryDedupLedger['snapshot']>>(dedupFile, []));
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
    ledger,
    metrics,
    logger,
    ...(settings.workspace365TimeoutMs ? { workspace365TimeoutMs: settings.workspace365TimeoutMs } : {}),
  });

  const ingressDeps = createIngressDeps({
    config,
    secrets,
    queue: new SqsMessageQueue({ client: emulator.jsonClient, queueUrl: emulator.queueUrl }),
    sourceEngines,
    ledger,
    metrics,
    logger,
  });
  // Sources that send no webhooks are polled on a timer, into the same pipeline (docs/polling.md).
  const poller: LocalPoller | undefined = startLocalPoller(
    createPollDeps(ingressDeps, new FileCheckpointStore(settings.stateDir)),
    settings.pollTickMs,
  );
  let ingress: IngressServer;
  try {
    ingress = await startIngressServer({
      handler: createIngressHandler(ingressDeps),
      port: settings.port,
      logger,
    });
  } catch (error) {
    // Nothing half-started may keep the process (or a test) alive.
    await poller?.stop();
    await worker.stop();
    await emulator.close();
    await sandbox?.close();
    await sourceSandboxes?.close();
    logFile?.close();
    if (isAddressInUse(error)) throw ingressPortInUse(settings.port, portHolder(settings.stateDir), error);
    throw error;
  }
  await writeConnectionFile(settings.stateDir, {
    ingressUrl: ingress.url,
    sandboxUrl: sandbox?.url,
    workdriveSandboxUrl: sourceSandboxes?.workdrive?.url,
    huddleSandboxUrl: sourceSandboxes?.huddle?.url,
    emulator,
  });

  return {
    config,
    ingress,
    sandbox,
    sourceSandboxes,
    emulator,
    metrics,
    restoredCount,
    restartWorker: () => worker.restart(),
    async stop() {
      ingress.stopAccepting();
      await poller?.stop();
      await worker.drain(settings.shutdownGraceMs);
      await worker.stop();
      const main = await inspectQueue(emulator.endpoint, emulator.queueUrl);
      const deadLetter = await inspectQueue(emulator.endpoint, emulator.dlqUrl);
      if (main.length + deadLetter.length > 0) await saveQueueState(stateFile, { main, deadLetter });
      await writeFile(dedupFile, JSON.stringify(ledger.snapshot()));
      if (sandbox) await writeFile(feedFile, JSON.stringify(sandbox.activities()));
      await ingress.close();
      await emulator.close();
      await sandbox?.close();
      logFile?.close();
      await sourceSandboxes?.close();
      return { saved: main.length + deadLetter.length };
    },
  };
}

/** Serves every party whose target is a loopback URL (the caller points those targets at it). */
async function startSandboxFor(
  config: RelayConfig,
  secrets: FileSecretStore,
  settings: LocalSettings,
  savedFeed: RecordedActivity[],
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
  try {
    return await startSandbox({ port, environments, activities: savedFeed });
  } catch (error) {
    if (isAddressInUse(error)) throw sandboxPortInUse(port, local, portHolder(settings.stateDir), error);
    throw error;
  }
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
  details: {
    ingressUrl: string;
    sandboxUrl: string | undefined;
    workdriveSandboxUrl: string | undefined;
    huddleSandboxUrl: string | undefined;
    emulator: SqsEmulator;
  },
): Promise<void> {
  await mkdir(stateDir, { recursive: true });
  await writeFile(
    join(stateDir, 'local.json'),
    JSON.stringify(
      {
        ingressUrl: details.ingressUrl,
        sandboxUrl: details.sandboxUrl,
        workdriveSandboxUrl: details.workdriveSandboxUrl,
        huddleSandboxUrl: details.huddleSandboxUrl,
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

async function loadJson<T>(file: string, fallback: T): Promise<T> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    return fallback;
  }
}
