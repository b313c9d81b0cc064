import { queueDepth } from '../../devkit/sqs/queue-depth';
import type { SqsEmulator } from '../../devkit/sqs/sqs-emulator';
import { type SqsPoller, startSqsPoller } from '../../devkit/sqs/sqs-poller';
import { InMemoryCircuitStateStore } from '../../shared/adapters/in-memory-circuit-state-store';
import { SqsDeliveryQueue } from '../../shared/adapters/sqs-delivery-queue';
import { createDeliveryDeps } from '../../shared/composition/delivery-deps';
import type { RelayConfig } from '../../shared/config/relay-config';
import type { RelayLogger } from '../../shared/observability/logger';
import type { RelayMetrics } from '../../shared/observability/metrics';
import type { DedupLedger } from '../../shared/ports/dedup-ledger';
import type { SecretStore } from '../../shared/ports/secret-store';
import { createWorkerHandler } from '../worker/create-handler';

export type LocalWorkerOptions = {
  config: RelayConfig;
  secrets: SecretStore;
  emulator: SqsEmulator;
  /** The ledger ingress writes (one per process, shared). */
  ledger: DedupLedger;
  metrics: RelayMetrics;
  logger: RelayLogger;
  /** Per-request timeout towards Workspace 365. @default 10000 */
  workspace365TimeoutMs?: number;
  /** Poll loops side by side, like concurrent Lambda invocations. @default 2 */
  concurrency?: number;
};

export type LocalWorker = {
  /** Resolves when the main queue is empty (nothing visible, in flight or delayed) or `timeoutMs` has passed. */
  drain(timeoutMs: number): Promise<boolean>;
  /** Stops polling once the batches in hand are settled; a stopped worker can be started again. */
  stop(): Promise<void>;
  /** A fresh poller with a fresh handler, as a new Lambda execution environment would be. */
  restart(): Promise<void>;
};

/** The same worker handler as in AWS, fed by a long-polling stand-in for Lambda's SQS event source. */
export async function startLocalWorker(options: LocalWorkerOptions): Promise<LocalWorker> {
  // One breaker state for the process, kept across worker restarts as the DynamoDB item is in AWS.
  const circuitStore = new InMemoryCircuitStateStore();
  const build = () =>
    createWorkerHandler(
      createDeliveryDeps({
        config: options.config,
        secrets: options.secrets,
        queue: new SqsDeliveryQueue({
          client: options.emulator.jsonClient,
          queueUrl: options.emulator.queueUrl,
          deadLetterQueueUrl: options.emulator.dlqUrl,
        }),
        ledger: options.ledger,
        circuitStore,
        metrics: options.metrics,
        logger: options.logger,
        ...(options.workspace365TimeoutMs ? { workspace365TimeoutMs: options.workspace365TimeoutMs } : {}),
      }),
    );
  const startPoller = (): SqsPoller =>
    startSqsPoller({
      client: options.emulator.client,
      queueUrl: options.emulator.queueUrl,
      handler: build(),
      concurrency: options.concurrency ?? 2,
      waitTimeSeconds: 1,
      onError: (error, during) =>
        options.logger.error('local worker poll failed', {
          during,
          error: error instanceof Error ? error.message : String(error),
        }),
    });

  let poller: SqsPoller | undefined = startPoller();
  return {
    async drain(timeoutMs: number) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if ((await queueDepth(options.emulator.client, options.emulator.queueUrl)) === 0) return true;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return false;
    },
    async stop() {
      await poller?.stop();
      poller = undefined;
    },
    async restart() {
      await poller?.stop();
      poller = startPoller();
    },
  };
}
