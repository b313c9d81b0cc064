import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { queueDepth } from '../devkit/sqs/queue-depth';
import { createEmulatorClient } from '../devkit/sqs/sqs-emulator';
import type { RecordedRequest } from '../devkit/workspace365-sandbox';
import { benchParties, demoConfig, demoEnv, demoSecrets } from './support/demo';
import { spawnChild, waitForLogLine } from './support/processes';
import { percentile } from './support/stats';
import { type PreparedRequest, prepareWebhooks } from './support/webhooks';

export type EndToEndOptions = {
  /** Webhooks measured. */
  webhooks: number;
  /** Webhooks in flight at once. */
  concurrency: number;
  /** Webhooks sent and delivered before the measured ones (JIT, connection pools, secret caches). */
  warmupWebhooks: number;
};

export type EndToEndResult = {
  e2eRps: number;
  e2eP50Ms: number;
  e2eP99Ms: number;
  webhooks: number;
  deliveries: number;
  seconds: number;
  /** How long the senders took to get every 202 (ingress accepts faster than the worker delivers). */
  postingSeconds: number;
};

/** What `npm start` writes to STATE_DIR/local.json once it accepts webhooks. */
type Connection = {
  ingressUrl: string;
  sandboxUrl?: string;
  sqsEndpoint: string;
  queueUrl: string;
  dlqUrl: string;
};

/**
 * Local mode end to end, exactly as `npm start` runs it (its own process: ingress → fauxqs → the worker
 * handler → the built-in sandbox, JSON logs to a file): N signed webhooks posted at a fixed concurrency.
 * Throughput = N / (last delivery recorded by the sandbox − first POST); a webhook's latency = the
 * sandbox's record time of its last delivery − when its POST was sent.
 */
export async function benchEndToEnd(options: EndToEndOptions, workDir: string): Promise<EndToEndResult> {
  const stateDir = join(workDir, 'e2e-state');
  const relay = spawnChild({
    name: 'local relay (npm start)',
    args: ['bench/hosts/entry.ts', 'functions/local/main.ts'],
    logFile: join(workDir, 'e2e-relay.log'),
    env: demoEnv({ PORT: '0', SANDBOX_PORT: '0', STATE_DIR: stateDir, RELAY_SHUTDOWN_GRACE_MS: '2000' }),
  });
  let sqs: SQSClient | undefined;
  try {
    await waitForLogLine(relay, /relay listening on http:\/\/127\.0\.0\.1:\d+/);
    const connection = JSON.parse(await readFile(join(stateDir, 'local.json'), 'utf8')) as Connection;
    if (!connection.sandboxUrl) throw new Error('local mode started no sandbox for the demo parties');
    sqs = createEmulatorClient(connection.sqsEndpoint);
    const config = demoConfig();
    const secrets = demoSecrets();
    const parties = benchParties(config);

    await sendAll(
      connection.ingressUrl,
      prepareWebhooks(parties, secrets, options.warmupWebhooks),
      options.concurrency,
    );
    await waitUntilDrained(sqs, connection.queueUrl);

    const postingStarted = performance.now();
    const measured = await sendAll(
      connection.ingressUrl,
      prepareWebhooks(parties, secrets, options.webhooks),
      options.concurrency,
    );
    const postingSeconds = (performance.now() - postingStarted) / 1000;
    await waitUntilDrained(sqs, connection.queueUrl);
    const deadLettered = await queueDepth(sqs, connection.dlqUrl);
    if (deadLettered > 0) throw new Error(`${deadLettered} deliveries went to the DLQ`);

    // The sandbox's record of every request it answered: when it arrived and the queue message id.
    const response = await fetch(`${connection.sandboxUrl}/_sandbox/requests`);
    const recorded = (await response.json()) as RecordedRequest[];
    const deliveredAt = new Map<string, number>();
    for (const request of recorded) {
      if (request.status < 200 || request.status > 299 || !request.idempotencyKey) continue;
      deliveredAt.set(request.idempotencyKey, Date.parse(request.at));
    }
    const latencies: number[] = [];
    let lastDelivery = 0;
    let deliveries = 0;
    for (const webhook of measured) {
      const times = webhook.messageIds.map((id) => deliveredAt.get(id));
      if (times.some((time) => time === undefined)) {
        throw new Error(`a webhook's delivery never reached the sandbox (${webhook.messageIds.join(', ')})`);
      }
      const last = Math.max(...(times as number[]));
      latencies.push(last - webhook.sentAt);
      lastDelivery = Math.max(lastDelivery, last);
      deliveries += times.length;
    }
    const firstSent = Math.min(...measured.map((webhook) => webhook.sentAt));
    const seconds = (lastDelivery - firstSent) / 1000;
    return {
      e2eRps: measured.length / seconds,
      e2eP50Ms: percentile(latencies, 50),
      e2eP99Ms: percentile(latencies, 99),
      webhooks: measured.length,
      deliveries,
      seconds,
      postingSeconds,
    };
  } finally {
    sqs?.destroy();
    await relay.stop();
  }
}

type SentWebhook = { sentAt: number; messageIds: string[] };

/** Posts every webhook with at most `concurrency` in flight; each must be accepted (202 with ids). */
async function sendAll(
  ingressUrl: string,
  webhooks: PreparedRequest[],
  concurrency: number,
): Promise<SentWebhook[]> {
  const sent: SentWebhook[] = [];
  let next = 0;
  const lane = async () => {
    for (let index = next++; index < webhooks.length; index = next++) {
      const webhook = webhooks[index] as PreparedRequest;
      const sentAt = Date.now();
      const response = await fetch(`${ingressUrl}${webhook.path}`, {
        method: 'POST',
        headers: webhook.headers,
        body: webhook.body,
      });
      const body = (await response.json()) as { accepted?: number; ids?: string[] };
      if (response.status !== 202 || !body.ids || body.ids.length === 0) {
        throw new Error(`${webhook.path} answered ${response.status} ${JSON.stringify(body)}`);
      }
      sent.push({ sentAt, messageIds: body.ids });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return sent;
}

/** Every accepted message is on the queue before its 202, so an empty main queue means all were handled. */
async function waitUntilDrained(sqs: SQSClient, queueUrl: string, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let emptyChecks = 0;
  while (emptyChecks < 2) {
    if (Date.now() > deadline) throw new Error(`the queue still held messages after ${timeoutMs} ms`);
    emptyChecks = (await queueDepth(sqs, queueUrl)) === 0 ? emptyChecks + 1 : 0;
    await sleep(100);
  }
}
