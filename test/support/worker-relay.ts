import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { MemorySecretStore } from '../../devkit/fakes/memory-secret-store';
import { queueDepth } from '../../devkit/sqs/queue-depth';
import { type SqsEmulator, startSqsEmulator } from '../../devkit/sqs/sqs-emulator';
import { type SqsBatchHandler, type SqsPoller, startSqsPoller } from '../../devkit/sqs/sqs-poller';
import { type Sandbox, startSandbox } from '../../devkit/workspace365-sandbox';
import { createWorkerHandler } from '../../functions/worker/create-handler';
import { InMemoryCircuitStateStore } from '../../shared/adapters/in-memory-circuit-state-store';
import { InMemoryDedupLedger } from '../../shared/adapters/in-memory-dedup-ledger';
import { SqsDeliveryQueue } from '../../shared/adapters/sqs-delivery-queue';
import { SqsMessageQueue } from '../../shared/adapters/sqs-message-queue';
import { createDeliveryDeps } from '../../shared/composition/delivery-deps';
import {
  type CircuitBreakerConfig,
  DEFAULT_CIRCUIT_BREAKER,
  type PartyConfig,
  type RetryConfig,
} from '../../shared/config/relay-config';
import type { QueueMessage } from '../../shared/envelope/queue-message';
import { encodeQueueMessage } from '../../shared/envelope/queue-message';
import { type RelayLogger, silentLogger } from '../../shared/observability/logger';
import { InMemoryMetrics } from '../../shared/observability/metrics';

export type TestParty = { id: string; apiKey: string; environment?: string };

export type WorkerRelayOptions = {
  parties: TestParty[];
  /** @default { baseSeconds: 1, capSeconds: 4, maxReceives: 3 } */
  retry?: Partial<RetryConfig>;
  /** The jitter draw. @default () => 0.5 */
  random?: () => number;
  /** The main queue's visibility timeout (how soon a crashed batch comes back). @default 2 */
  visibilityTimeoutSeconds?: number;
  /** Wraps the real worker handler, e.g. to "crash" after it delivered. */
  wrapHandler?: (handler: SqsBatchHandler) => SqsBatchHandler;
  /** @default 10 */
  batchSize?: number;
  /** When true, the queue refuses the worker's prompt deletes (the event source's delete still works). */
  refuseDeletes?: () => boolean;
  logger?: RelayLogger;
  /** The environment circuit breaker (in-process store). @default none: every message is posted */
  circuitBreaker?: Partial<CircuitBreakerConfig>;
};

export type VisibilityChange = { receiptHandle: string; seconds: number; at: number };

/**
 * The delivery path for integration tests, with real parts only: the fauxqs emulator and the real SQS
 * client, the Lambda-like poller, the real worker handler, the Workspace 365 client and the sandbox.
 */
export async function startWorkerRelay(options: WorkerRelayOptions) {
  const ledger = new InMemoryDedupLedger();
  const environments: Record<string, { apiKeys: string[] }> = {};
  for (const party of options.parties) {
    const environment = party.environment ?? 'demo';
    environments[environment] ??= { apiKeys: [] };
    environments[environment].apiKeys.push(party.apiKey);
  }
  const sandbox: Sandbox = await startSandbox({ environments });
  const retry: RetryConfig = {
    baseSeconds: 1,
    capSeconds: 4,
    maxReceives: 3,
    jitter: 'full',
    ...options.retry,
  };
  const sqs: SqsEmulator = await startSqsEmulator({
    maxReceives: retry.maxReceives,
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 2,
  });
  const parties = new Map<string, PartyConfig>(
    options.parties.map((party) => [
      party.id,
      {
        id: party.id,
        source: 'workspace365',
        auth: { scheme: 'token' },
        target: { baseUrl: sandbox.url, environment: party.environment ?? 'demo' },
        secretName: `webhook-relay/${party.id}`,
        options: {},
      },
    ]),
  );
  const secrets = new MemorySecretStore(
    Object.fromEntries(
      options.parties.map((party) => [
        `webhook-relay/${party.id}`,
        { workspace365ApiKey: party.apiKey, webhookSecrets: ['unused'] },
      ]),
    ),
  );
  const metrics = new InMemoryMetrics();
  const visibilityChanges: VisibilityChange[] = [];
  const deliveryQueue = new SqsDeliveryQueue({
    client: sqs.jsonClient,
    queueUrl: sqs.queueUrl,
    deadLetterQueueUrl: sqs.dlqUrl,
  });
  const responses: SQSBatchResponse[] = [];
  const batches: { records: SQSRecord[]; response: SQSBatchResponse }[] = [];
  const workerHandler = createWorkerHandler({
    ...createDeliveryDeps({
      config: {
        parties: [...parties.values()],
        retry,
        // The environment breaker only when a test asks for it.
        circuitBreaker: options.circuitBreaker
          ? { ...DEFAULT_CIRCUIT_BREAKER, ...options.circuitBreaker }
          : { ...DEFAULT_CIRCUIT_BREAKER, enabled: false },
      },
      secrets,
      workspace365TimeoutMs: 2000,
      queue: {
        changeVisibility: async (receiptHandle, seconds) => {
          visibilityChanges.push({ receiptHandle, seconds, at: Date.now() });
          await deliveryQueue.changeVisibility(receiptHandle, seconds);
        },
        sendToDeadLetter: (body, attributes) => deliveryQueue.sendToDeadLetter(body, attributes),
        deleteMessages: async (receiptHandles) =>
          options.refuseDeletes?.() ? [...receiptHandles] : deliveryQueue.deleteMessages(receiptHandles),
        requeue: (copy, delaySeconds) => deliveryQueue.requeue(copy, delaySeconds),
      },
      circuitStore: new InMemoryCircuitStateStore(),
      ledger,
      metrics,
      logger: options.logger ?? silentLogger,
      random: options.random ?? (() => 0.5),
    }),
    // The party breaker has tests of its own; here only the environment's.
    partyBreakers: undefined,
  });
  const recordingHandler: SqsBatchHandler = async (event, context) => {
    const response = await workerHandler(event, context);
    responses.push(response);
    batches.push({ records: event.Records, response });
    return response;
  };
  const handler = options.wrapHandler ? options.wrapHandler(recordingHandler) : recordingHandler;
  const producer = new SqsMessageQueue({ client: sqs.jsonClient, queueUrl: sqs.queueUrl });

  let poller: SqsPoller | undefined;
  const relay = {
    sandbox,
    sqs,
    secrets,
    metrics,
    parties,
    retry,
    /** ChangeMessageVisibility calls the worker made, in order. */
    visibilityChanges,
    /** Every batch response the real worker handler returned. */
    responses,
    /** Every batch with its response. */
    batches,
    /** The dedup ledger the worker reads: a producer in the test claims its events here. */
    ledger,
    send: (...messages: QueueMessage[]) => producer.sendAll(messages.map(encodeQueueMessage)),
    startPoller(pollerOptions: { onError?: (error: unknown) => void } = {}) {
      poller ??= startSqsPoller({
        client: sqs.client,
        queueUrl: sqs.queueUrl,
        handler,
        batchSize: options.batchSize ?? 10,
        waitTimeSeconds: 1,
        functionTimeoutMs: 30_000,
        ...(pollerOptions.onError ? { onError: pollerOptions.onError } : {}),
      });
    },
    async stopPoller() {
      await poller?.stop();
      poller = undefined;
    },
    /** Messages on a queue: visible, in flight and delayed. */
    count: (queueUrl: string) => queueDepth(sqs.client, queueUrl),
    async close() {
      await relay.stopPoller();
      await sqs.close();
      await sandbox.close();
    },
  };
  return relay;
}

export type WorkerRelay = Awaited<ReturnType<typeof startWorkerRelay>>;
