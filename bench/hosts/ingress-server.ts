import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startIngressServer } from '../../functions/local/ingress-server';
import { handleWebhook } from '../../shared/ingress/handle-webhook';
import { createLogger } from '../../shared/observability/logger';
import { MetricName } from '../../shared/observability/metric-names';
import { InMemoryMetrics } from '../../shared/observability/metrics';
import { demoConfig } from '../support/demo';
import { benchIngressDeps, noopQueue } from '../support/ingress-deps';
import { nextMessage, reply, runHost } from './ipc';

export type IngressServerMode = 'relay' | 'baseline';

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
 * queue and the real logger. `baseline`: a bare node:http server that reads the body and answers 202.
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
  const metrics = new InMemoryMetrics();
  const deps = benchIngressDeps({
    config: demoConfig(),
    queue: noopQueue,
    metrics,
    logger: createLogger('webhook-relay-ingress'),
  });
  const server = await startIngressServer({ handle: (request) => handleWebhook(request, deps) });
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
