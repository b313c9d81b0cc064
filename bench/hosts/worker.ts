import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { startSqsEmulator } from '../../devkit/sqs/sqs-emulator';
import { startLocalWorker } from '../../functions/local/local-worker';
import { FileSecretStore } from '../../shared/adapters/file-secret-store';
import { InMemoryDedupLedger } from '../../shared/adapters/in-memory-dedup-ledger';
import { SqsMessageQueue } from '../../shared/adapters/sqs-message-queue';
import type { QueueMessage } from '../../shared/envelope/queue-message';
import { encodeQueueMessage } from '../../shared/envelope/queue-message';
import { createLogger } from '../../shared/observability/logger';
import { InMemoryMetrics } from '../../shared/observability/metrics';
import { createDeliveryFactory } from '../support/deliveries';
import { DeliveryCounter } from '../support/delivery-counter';
import { DEMO_SECRETS_FILE, demoConfig } from '../support/demo';
import { nextMessage, reply, runHost } from './ipc';

/** The wait of local mode's ReceiveMessage calls (functions/local/local-worker.ts). */
const LONG_POLL_SECONDS = 1;

export type WorkerJob = {
  sandboxUrl: string;
  /** Captured queue messages (bench/support/deliveries.ts); each delivery is a fresh copy of one. */
  messagesFile: string;
  warmup: number;
  deliveries: number;
  /** Poll loops side by side (local mode's default). */
  pollers: number;
};

export type WorkerResult = {
  deliveries: number;
  seconds: number;
  rps: number;
  retried: number;
  deadLettered: number;
};

/**
 * The worker as local mode runs it (startLocalWorker: the real Lambda handler fed by the SQS poller from
 * fauxqs, real logger), delivering to a sandbox in another process. A warm-up batch is delivered first;
 * then the worker is stopped, N messages are queued, and the clock runs from the restart to the N-th
 * delivery.
 */
runHost(async () => {
  const job = await nextMessage<WorkerJob>();
  const templates = JSON.parse(readFileSync(job.messagesFile, 'utf8')) as QueueMessage[];
  const nextDelivery = createDeliveryFactory(templates);
  const config = demoConfig();
  for (const party of config.parties) party.target = { ...party.target, baseUrl: job.sandboxUrl };

  const emulator = await startSqsEmulator({ maxReceives: config.retry.maxReceives });
  const queue = new SqsMessageQueue({ client: emulator.jsonClient, queueUrl: emulator.queueUrl });
  const counter = new DeliveryCounter(new InMemoryMetrics());
  try {
    await queue.sendAll(Array.from({ length: job.warmup }, () => encodeQueueMessage(nextDelivery())));
    const worker = await startLocalWorker({
      config,
      secrets: new FileSecretStore(DEMO_SECRETS_FILE),
      emulator,
      ledger: new InMemoryDedupLedger(),
      metrics: counter,
      logger: createLogger('webhook-relay-worker'),
      concurrency: job.pollers,
    });
    await counter.deliveredCount(job.warmup, 120_000);
    await worker.stop();
    // A long poll the stop abandoned is still open on the emulator (as on SQS) and would take, then hide,
    // a batch of the messages queued next; let it run out (local mode polls with a 1 s wait).
    await sleep(LONG_POLL_SECONDS * 1000 + 500);

    await queue.sendAll(Array.from({ length: job.deliveries }, () => encodeQueueMessage(nextDelivery())));
    const started = performance.now();
    await worker.restart();
    const finished = await counter.deliveredCount(job.warmup + job.deliveries, 300_000);
    await worker.stop();
    const seconds = (finished - started) / 1000;
    const result: WorkerResult = {
      deliveries: job.deliveries,
      seconds,
      rps: job.deliveries / seconds,
      retried: counter.retried,
      deadLettered: counter.deadLettered,
    };
    reply(result);
  } finally {
    await emulator.close();
  }
});
