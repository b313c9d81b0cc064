import { startSecretsManagerStub } from '../devkit/secrets-manager-stub';
import { startSqsEmulator } from '../devkit/sqs/sqs-emulator';
import { startSqsPoller } from '../devkit/sqs/sqs-poller';
import { startSandbox } from '../devkit/workspace365-sandbox';
import { createWorkerHandler } from '../functions/worker/create-handler';
import { InMemoryCircuitStateStore } from '../shared/adapters/in-memory-circuit-state-store';
import { InMemoryDedupLedger } from '../shared/adapters/in-memory-dedup-ledger';
import { SecretsManagerSecretStore } from '../shared/adapters/secrets-manager-store';
import { SqsDeliveryQueue } from '../shared/adapters/sqs-delivery-queue';
import { SqsMessageQueue } from '../shared/adapters/sqs-message-queue';
import { createDeliveryDeps } from '../shared/composition/delivery-deps';
import { encodeQueueMessage } from '../shared/envelope/queue-message';
import { silentLogger } from '../shared/observability/logger';
import { captureDeliveries, createDeliveryFactory } from './support/deliveries';
import { DeliveryCounter } from './support/delivery-counter';
import { benchParties, demoConfig, demoSecrets } from './support/demo';

export type SecretsCallsOptions = {
  deliveries: number;
  /** The functions' SECRETS_CACHE_TTL_SECONDS default (infra/constructs/relay-function.ts). */
  cacheTtlSeconds: number;
};

export type SecretsCallsResult = {
  secretsCallsPer1000: number;
  /** GetSecretValue calls counted by the store's `onFetch`… */
  calls: number;
  /** …and by the loopback Secrets Manager itself. */
  stubCalls: number;
  deliveries: number;
  parties: number;
  seconds: number;
};

/**
 * Secrets Manager calls per 1000 deliveries across the 3 bench parties, within one cache TTL: the worker
 * handler composed by createDeliveryDeps as functions/worker/handler.ts composes it for Lambda (the real
 * SecretsManagerSecretStore with its Powertools cache and coalesced reads, one execution environment),
 * talking to a loopback Secrets Manager, fed by the SQS poller from fauxqs, delivering to the sandbox.
 * Nothing is timed here, so the logger is silent.
 */
export async function benchSecretsCalls(options: SecretsCallsOptions): Promise<SecretsCallsResult> {
  const config = demoConfig();
  const secrets = demoSecrets();
  const parties = benchParties(config);
  const templates = await captureDeliveries(config, secrets, 60);
  const stub = await startSecretsManagerStub(
    Object.fromEntries(parties.map((party) => [party.secretName, secrets[party.secretName]])),
  );
  const sandbox = await startSandbox({
    environments: {
      demo: { apiKeys: parties.map((party) => secrets[party.secretName]?.workspace365ApiKey ?? '') },
    },
  });
  const emulator = await startSqsEmulator({ maxReceives: config.retry.maxReceives });
  const secretsClient = stub.client();
  try {
    let calls = 0;
    const counter = new DeliveryCounter();
    const handler = createWorkerHandler(
      createDeliveryDeps({
        config: {
          parties: parties.map((party) => ({ ...party, target: { ...party.target, baseUrl: sandbox.url } })),
          retry: config.retry,
          circuitBreaker: config.circuitBreaker,
        },
        circuitStore: new InMemoryCircuitStateStore(),
        secrets: new SecretsManagerSecretStore({
          client: secretsClient,
          cacheTtlSeconds: options.cacheTtlSeconds,
          onFetch: () => {
            calls++;
          },
        }),
        queue: new SqsDeliveryQueue({
          client: emulator.jsonClient,
          queueUrl: emulator.queueUrl,
          deadLetterQueueUrl: emulator.dlqUrl,
        }),
        ledger: new InMemoryDedupLedger(),
        metrics: counter,
        logger: silentLogger,
      }),
    );
    const nextDelivery = createDeliveryFactory(templates);
    await new SqsMessageQueue({ client: emulator.jsonClient, queueUrl: emulator.queueUrl }).sendAll(
      Array.from({ length: options.deliveries }, () => encodeQueueMessage(nextDelivery())),
    );
    const started = performance.now();
    const poller = startSqsPoller({
      client: emulator.client,
      queueUrl: emulator.queueUrl,
      handler,
      concurrency: 2,
      waitTimeSeconds: 1,
    });
    try {
      await counter.deliveredCount(options.deliveries, 180_000);
    } finally {
      await poller.stop();
    }
    const seconds = (performance.now() - started) / 1000;
    if (seconds >= options.cacheTtlSeconds)
      throw new Error(`the run took longer than one TTL (${seconds} s)`);
    if (calls !== stub.calls.length) {
      throw new Error(`onFetch counted ${calls} calls, the Secrets Manager stub ${stub.calls.length}`);
    }
    return {
      secretsCallsPer1000: (calls * 1000) / counter.delivered,
      calls,
      stubCalls: stub.calls.length,
      deliveries: counter.delivered,
      parties: parties.length,
      seconds,
    };
  } finally {
    await emulator.close();
    await sandbox.close();
    await stub.close();
  }
}
