import { join } from 'node:path';
import { startLocalRelay } from '../functions/local/local-relay';
import { readLocalSettings } from '../functions/local/local-settings';
import type { RelayConfig } from '../shared/config/relay-config';
import type { PartySecret } from '../shared/config/secret-value';
import { type PreparedRequest, prepareRequests } from './signed-requests';
import { percentile } from './stats';

const WEBHOOKS = 1500;
const CONCURRENCY = 16;

/**
 * Local mode end to end: signed webhooks → ingress → fauxqs → the worker handler → the sandbox. Throughput
 * is webhooks / time until every accepted message is at the sandbox; latency per message is the sandbox's
 * record time minus the moment its webhook was sent.
 */
export async function benchEndToEnd(
  config: RelayConfig,
  secrets: Record<string, PartySecret>,
  workDir: string,
) {
  const relay = await startLocalRelay(
    readLocalSettings({
      ...process.env,
      PORT: '0',
      SANDBOX_PORT: '0',
      STATE_DIR: join(workDir, 'e2e-state'),
      RELAY_SHUTDOWN_GRACE_MS: '0',
    }),
  );
  const sandbox = relay.sandbox;
  if (!sandbox) throw new Error('the demo config should start the built-in sandbox');
  const requests = prepareRequests(config, secrets, WEBHOOKS);
  const sentAt = new Map<string, number>();
  const started = performance.now();
  let next = 0;
  const post = async (request: PreparedRequest) => {
    const sent = Date.now();
    const response = await fetch(`${relay.ingress.url}${request.path}`, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    const body = (await response.json()) as { ids?: string[] };
    if (response.status !== 202)
      throw new Error(`webhook answered ${response.status}: ${JSON.stringify(body)}`);
    for (const id of body.ids ?? []) sentAt.set(id, sent);
  };
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < requests.length) await post(requests[next++] as PreparedRequest);
    }),
  );
  const firstArrival = new Map<string, number>();
  while (firstArrival.size < sentAt.size) {
    for (const activity of sandbox.activities()) {
      const id = activity.idempotencyKey;
      if (id && sentAt.has(id) && !firstArrival.has(id))
        firstArrival.set(id, Date.parse(activity.receivedAt));
    }
    if (firstArrival.size < sentAt.size) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const seconds = (performance.now() - started) / 1000;
  await relay.stop();
  const latencies = [...firstArrival].map(([id, arrived]) => arrived - (sentAt.get(id) ?? arrived));
  return {
    e2eRps: WEBHOOKS / seconds,
    e2eP50Ms: percentile(latencies, 50),
    e2eP99Ms: percentile(latencies, 99),
    e2eWebhooks: WEBHOOKS,
    e2eMessages: sentAt.size,
  };
}
