import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ALL_SOURCE_ENGINES } from '../../devkit/source-engines';
import { fromApiGatewayEvent, toApiGatewayResult } from '../../functions/ingress/api-gateway';
import { createIngressHandler } from '../../functions/ingress/create-handler';
import { startIngressServer } from '../../functions/local/ingress-server';
import { FileSecretStore } from '../../shared/adapters/file-secret-store';
import { parseJsonBody } from '../../shared/ingress/body';
import { PartyRegistry } from '../../shared/ingress/party-registry';
import type { IngressRequest, IngressResponse } from '../../shared/ingress/request';
import { createLogger } from '../../shared/observability/logger';
import { MetricName } from '../../shared/observability/metric-names';
import { InMemoryMetrics } from '../../shared/observability/metrics';
import { DEMO_SECRETS_FILE, demoConfig } from '../support/demo';
import { benchIngressDeps, noopQueue } from '../support/ingress-deps';
import { nextMessage, reply, runHost } from './ipc';

export type IngressServerMode = 'relay' | 'floor' | 'baseline';

/** What the relay did with the webhooks it got, so the bench can refuse a run where dedup or a rejection cut work short. */
export type IngressTally = {
  /** Requests the server answered, warm-up included. */
  requests: number;
  /** CPU time (user + system) the server process used from listening to stop, µs. */
  cpuMicros: number;
  received: number;
  queued: number;
  duplicate: number;
  ignored: number;
  rejected: number;
};

/**
 * `relay`: the ingress core behind the local HTTP host, exactly as local mode wires it, with a no-op
 * queue and the real logger. `floor`: the same host and parties, but only the signature check and the JSON
 * parse before answering 202 — the least any relay that verifies must do, for reference.
 * `baseline`: a bare node:http server that reads the body and answers 202.
 * Sends `{ url }` when listening; on `stop`, closes and sends the tally.
 */
runHost(async () => {
  const mode = process.argv[2] as IngressServerMode;
  if (mode === 'baseline') {
    let requests = 0;
    const server = createServer((request, response) => {
      requests++;
      request.resume();
      request.once('end', () => {
        response.writeHead(202, { 'content-type': 'application/json' });
        response.end('{"accepted":1}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const cpuAtStart = process.cpuUsage();
    reply({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    await nextMessage();
    const cpuMicros = cpuSince(cpuAtStart);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    reply({ requests, cpuMicros } satisfies Partial<IngressTally>);
    return;
  }
  if (mode === 'floor') {
    let requests = 0;
    const handle = verifyAndParseOnly(() => requests++);
    const server = await startIngressServer({
      handler: async (event) => toApiGatewayResult(await handle(fromApiGatewayEvent(event))),
    });
    const cpuAtStart = process.cpuUsage();
    reply({ url: server.url });
    await nextMessage();
    const cpuMicros = cpuSince(cpuAtStart);
    await server.close();
    reply({ requests, cpuMicros } satisfies Partial<IngressTally>);
    return;
  }
  const metrics = new InMemoryMetrics();
  const deps = benchIngressDeps({
    config: demoConfig(),
    queue: noopQueue,
    metrics,
    logger: createLogger('webhook-relay-ingress'),
  });
  const server = await startIngressServer({ handler: createIngressHandler(deps) });
  const cpuAtStart = process.cpuUsage();
  reply({ url: server.url });
  await nextMessage();
  const cpuMicros = cpuSince(cpuAtStart);
  await server.close();
  const tally: IngressTally = {
    requests: metrics.sum(MetricName.WebhookReceived),
    cpuMicros,
    received: metrics.sum(MetricName.WebhookReceived),
    queued: metrics.sum(MetricName.DeliveryQueued),
    duplicate: metrics.sum(MetricName.WebhookDuplicate),
    ignored: metrics.sum(MetricName.WebhookIgnored),
    rejected: metrics.sum(MetricName.WebhookRejected),
  };
  reply(tally);
});

function cpuSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return user + system;
}

/** The floor: party, secret, signature, JSON — then 202. Anything else answers 500 so the bench refuses the run. */
function verifyAndParseOnly(count: () => void): (request: IngressRequest) => Promise<IngressResponse> {
  const parties = new PartyRegistry(demoConfig(), ALL_SOURCE_ENGINES);
  const secrets = new FileSecretStore(DEMO_SECRETS_FILE);
  return async (request): Promise<IngressResponse> => {
    count();
    const party = parties.get(request.partyId);
    if (!party) return { status: 500, headers: {}, body: { error: 'no such party' } };
    const secret = await secrets.get(party.config.secretName);
    const verified = party.verifier.verify(request, secret.webhookSecrets, new Date());
    if (!verified.ok) return { status: 500, headers: {}, body: { error: verified.code } };
    parseJsonBody(request.rawBody);
    return { status: 202, headers: { 'content-type': 'application/json' }, body: { accepted: 1 } };
  };
}
