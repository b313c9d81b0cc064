import { randomUUID } from 'node:crypto';
import type { PartyConfig, RelayConfig } from '../../shared/config/relay-config';
import type { PartySecret } from '../../shared/config/secret-value';
import type { QueueMessage } from '../../shared/envelope/queue-message';
import { handleWebhook } from '../../shared/ingress/handle-webhook';
import { normaliseHeaders } from '../../shared/ingress/request';
import { silentLogger } from '../../shared/observability/logger';
import { InMemoryMetrics } from '../../shared/observability/metrics';
import { DEFAULT_USER_AGENT, endpointUrl } from '../../shared/workspace365/client';
import { BENCH_PARTIES, benchParties } from './demo';
import { benchIngressDeps } from './ingress-deps';
import { createWebhookFactory, type PreparedRequest } from './webhooks';

/**
 * Real queue messages: the bench's webhook mix run through the ingress core, captured at the queue. The
 * worker measurements deliver copies of these, and the sandbox measurement posts their payloads, so both
 * carry exactly what the relay would deliver.
 */
export async function captureDeliveries(
  config: RelayConfig,
  secrets: Record<string, PartySecret>,
  webhooks: number,
): Promise<QueueMessage[]> {
  const captured: QueueMessage[] = [];
  const deps = benchIngressDeps({
    config,
    queue: { sendAll: async (messages) => void captured.push(...messages.map((encoded) => encoded.message)) },
    metrics: new InMemoryMetrics(),
    logger: silentLogger,
  });
  const nextWebhook = createWebhookFactory(benchParties(config), secrets);
  for (let index = 0; index < webhooks; index++) {
    const webhook = nextWebhook();
    const response = await handleWebhook(
      {
        method: 'POST',
        partyId: webhook.path.split('/').pop() ?? '',
        headers: normaliseHeaders(webhook.headers),
        rawBody: Buffer.from(webhook.body),
        query: {},
      },
      deps,
    );
    if (response.status !== 202) {
      throw new Error(
        `sample webhook ${webhook.path} answered ${response.status}: ${JSON.stringify(response.body)}`,
      );
    }
  }
  return captured;
}

/**
 * Copies of the captured messages, each a new delivery (fresh ids). A copy carries no ingress attempt:
 * no ledger of the worker under test knows the capture's, so it is posted as a message queued before the
 * ledger is (docs/cost.md) instead of waiting for an owner that never comes.
 */
export function createDeliveryFactory(templates: readonly QueueMessage[]) {
  if (templates.length === 0) throw new Error('no message templates');
  let count = 0;
  return (): QueueMessage => {
    const { attempt: _captured, ...template } = templates[count++ % templates.length] as QueueMessage;
    return {
      ...template,
      id: randomUUID(),
      eventId: `evt_${randomUUID()}`,
      correlationId: randomUUID(),
      receivedAt: new Date().toISOString(),
    };
  };
}

/**
 * The same deliveries as the worker would post them (shared/workspace365/client.ts: headers, key,
 * endpoint, body), for a load generator aimed straight at the sandbox.
 */
export function createWorkspace365RequestFactory(
  templates: readonly QueueMessage[],
  config: RelayConfig,
  secrets: Record<string, PartySecret>,
) {
  const parties = new Map<string, PartyConfig>(benchParties(config).map((party) => [party.id, party]));
  const nextDelivery = createDeliveryFactory(templates);
  return (): PreparedRequest => {
    const message = nextDelivery();
    const party = parties.get(message.partyId);
    const apiKey = party ? secrets[party.secretName]?.workspace365ApiKey : undefined;
    if (!party || apiKey === undefined) {
      throw new Error(`message for ${message.partyId}, which is not one of ${BENCH_PARTIES.join(', ')}`);
    }
    const url = endpointUrl(message.kind, party.target);
    return {
      path: url.pathname,
      headers: {
        authorization: `Workspace365 ${apiKey}`,
        'content-type': 'application/json',
        accept: 'application/json',
        'user-agent': DEFAULT_USER_AGENT,
        'idempotency-key': message.id,
        'x-correlation-id': message.correlationId,
      },
      body: JSON.stringify(message.payload),
    };
  };
}
