import { afterEach, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../devkit/workspace365-sandbox';
import { QueueMessage } from '../../shared/envelope/queue-message';
import { handleWebhook } from '../../shared/ingress/handle-webhook';
import { normaliseHeaders } from '../../shared/ingress/request';
import { silentLogger } from '../../shared/observability/logger';
import { InMemoryMetrics } from '../../shared/observability/metrics';
import {
  captureDeliveries,
  createDeliveryFactory,
  createWorkspace365RequestFactory,
} from '../support/deliveries';
import { BENCH_PARTIES, benchParties, demoConfig, demoSecrets } from '../support/demo';
import { benchIngressDeps } from '../support/ingress-deps';
import { prepareWebhooks } from '../support/webhooks';

const config = demoConfig();
const secrets = demoSecrets();

describe('bench webhooks', () => {
  it('are all accepted by the real ingress core as new events, across every bench party and event', async () => {
    const queued: QueueMessage[] = [];
    const deps = benchIngressDeps({
      config,
      queue: { sendAll: async (messages) => void queued.push(...messages.map((encoded) => encoded.message)) },
      metrics: new InMemoryMetrics(),
      logger: silentLogger,
    });
    // 3 parties × 4 workdrive events: 24 covers every event of every party twice.
    const webhooks = prepareWebhooks(benchParties(config), secrets, 24);
    const accepted = new Set<string>();
    for (const webhook of webhooks) {
      const response = await handleWebhook(
        {
          method: 'POST',
          partyId: webhook.path.replace('/webhooks/', ''),
          headers: normaliseHeaders(webhook.headers),
          rawBody: Buffer.from(webhook.body),
          query: {},
        },
        deps,
      );
      expect(response.status, JSON.stringify(response.body)).toBe(202);
      expect(response.body).toMatchObject({ accepted: expect.any(Number) });
      expect((response.body as { duplicate?: boolean }).duplicate).toBeUndefined();
      accepted.add(webhook.path);
    }
    expect([...accepted].sort()).toEqual(BENCH_PARTIES.map((id) => `/webhooks/${id}`).sort());
    expect(new Set(queued.map((message) => message.eventId)).size).toBe(24);
    expect(new Set(queued.map((message) => message.event))).toEqual(
      new Set([
        'news.published',
        'event.created',
        'task.assigned',
        'post.created',
        'workspace.user.added',
        'workspace.managers.added',
        'workspace.created',
        'team.invitations',
        'deal.won',
      ]),
    );
  });

  it('carry a fresh signature for every request, even of the same party and event', () => {
    const [first, second] = prepareWebhooks(benchParties(config).slice(0, 1), secrets, 2);
    expect(first?.headers['webhook-id']).not.toBe(second?.headers['webhook-id']);
    expect(first?.headers['webhook-signature']).not.toBe(second?.headers['webhook-signature']);
  });
});

describe('bench deliveries', () => {
  let sandbox: Sandbox | undefined;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  it('copies captured messages as new, valid queue messages', async () => {
    const templates = await captureDeliveries(config, secrets, 9);
    expect(templates.length).toBeGreaterThanOrEqual(9);
    const next = createDeliveryFactory(templates);
    const copies = Array.from({ length: 2 * templates.length }, next);
    for (const copy of copies) expect(QueueMessage.safeParse(copy).success).toBe(true);
    expect(new Set(copies.map((copy) => copy.id)).size).toBe(copies.length);
    expect(copies[templates.length]?.payload).toEqual(templates[0]?.payload);
    // The capture's attempts are known to no worker's ledger: a copy carrying one would wait for ever.
    expect(templates.every((template) => template.attempt !== undefined)).toBe(true);
    expect(copies.some((copy) => 'attempt' in copy)).toBe(false);
  });

  it('become Workspace 365 requests the sandbox accepts with the party key', async () => {
    const parties = benchParties(config);
    sandbox = await startSandbox({
      environments: {
        demo: { apiKeys: parties.map((party) => secrets[party.secretName]?.workspace365ApiKey ?? '') },
      },
    });
    const next = createWorkspace365RequestFactory(
      await captureDeliveries(config, secrets, 9),
      config,
      secrets,
    );
    for (let index = 0; index < 12; index++) {
      const request = next();
      const response = await fetch(`${sandbox.url}${request.path}`, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
      });
      expect(response.status, await response.text()).toBe(200);
    }
    const keys = sandbox.requests().map((request) => request.idempotencyKey);
    expect(new Set(keys).size).toBe(12);
  });
});
