import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { demoConfig, demoSecrets } from '../../../devkit/fakes/demo';
import { MemorySecretStore } from '../../../devkit/fakes/memory-secret-store';
import { RecordingQueue } from '../../../devkit/fakes/recording-queue';
import { ALL_SOURCE_ENGINES } from '../../../devkit/source-engines';
import { parseInsightsRows } from '../../../functions/cli/trace/logs-insights-reader';
import { buildTimeline } from '../../../functions/cli/trace/timeline';
import { createIngressHandler } from '../../../functions/ingress/create-handler';
import { createWorkerHandler } from '../../../functions/worker/create-handler';
import { InMemoryCircuitStateStore } from '../../../shared/adapters/in-memory-circuit-state-store';
import { InMemoryDedupLedger } from '../../../shared/adapters/in-memory-dedup-ledger';
import { createDeliveryDeps } from '../../../shared/composition/delivery-deps';
import { createIngressDeps } from '../../../shared/composition/ingress-deps';
import { DEFAULT_CIRCUIT_BREAKER } from '../../../shared/config/relay-config';
import { createLogger } from '../../../shared/observability/logger';
import {
  createLambdaMetrics,
  PowertoolsRelayMetrics,
} from '../../../shared/observability/powertools-metrics';
import { lambdaContext, sqsEvent, sqsRecord } from '../../support/sqs-events';
import { FakeDeliveryQueue, fakeWorkspace365 } from '../../support/worker-fakes';

/**
 * What the Lambda functions print per accepted webhook, composed as the handlers are in AWS (the real
 * Powertools logger with the compact formatter, one EMF document per invocation): every line JSON, and
 * exactly these keys, because each byte is billed as log ingestion (docs/cost.md, "Logs"). The same
 * lines, as Logs Insights rows, still rebuild the webhook's trace (docs/tracing.md).
 */

const PARTY = 'w365-demo';
const envOf = (service: string) => ({
  POWERTOOLS_METRICS_NAMESPACE: 'WebhookRelay',
  POWERTOOLS_SERVICE_NAME: service,
});

afterEach(() => vi.restoreAllMocks());

/** Everything written to stdout and stderr while `run` runs, one entry per line. */
async function printed(run: () => Promise<void>): Promise<string[]> {
  const chunks: string[] = [];
  const record = (chunk: unknown) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(record);
  vi.spyOn(process.stderr, 'write').mockImplementation(record);
  try {
    await run();
  } finally {
    vi.restoreAllMocks();
  }
  return chunks
    .join('')
    .split('\n')
    .filter((line) => line !== '');
}

function webhookEvent(body: unknown): APIGatewayProxyEventV2 {
  const raw = JSON.stringify(body);
  return {
    version: '2.0',
    routeKey: 'POST /webhooks/{partyId}',
    rawPath: `/webhooks/${PARTY}`,
    rawQueryString: '',
    headers: {
      'content-type': 'application/json',
      authorization: 'Bearer demo-w365-token',
      'idempotency-key': 'evt-hot-path-1',
    },
    requestContext: {
      http: { method: 'POST', path: `/webhooks/${PARTY}`, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7' },
      requestId: 'Ab1CdEfGhIjKlMn=',
    },
    pathParameters: { partyId: PARTY },
    body: raw,
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

async function acceptAndDeliver() {
  const config = demoConfig();
  const secrets = new MemorySecretStore(demoSecrets());
  const queue = new RecordingQueue();
  // One ledger, as in AWS: ingress claims the event, the worker reads who owns it.
  const ledger = new InMemoryDedupLedger();
  const ingressLogger = createLogger('webhook-relay-ingress', { logLevel: 'INFO' });
  const ingress = createIngressHandler(
    createIngressDeps({
      config,
      sourceEngines: ALL_SOURCE_ENGINES,
      secrets,
      queue,
      ledger,
      metrics: new PowertoolsRelayMetrics(createLambdaMetrics(envOf('webhook-relay-ingress'), ingressLogger)),
      logger: ingressLogger,
    }),
  );
  const workerLogger = createLogger('webhook-relay-worker', { logLevel: 'INFO' });
  const worker = createWorkerHandler(
    createDeliveryDeps({
      config: { ...config, circuitBreaker: { ...DEFAULT_CIRCUIT_BREAKER, enabled: false } },
      secrets,
      queue: new FakeDeliveryQueue(),
      ledger,
      circuitStore: new InMemoryCircuitStateStore(),
      metrics: new PowertoolsRelayMetrics(createLambdaMetrics(envOf('webhook-relay-worker'), workerLogger)),
      logger: workerLogger,
      workspace365: fakeWorkspace365(() => ({
        type: 'delivered',
        status: 200,
        activityIds: [98765],
        latencyMs: 21,
      })).client,
    }),
  );

  const activity = { User: { Upn: 'anna.devries@demo.example' }, Title: 'Hello' };
  let response: { statusCode?: number; body?: string } = {};
  const ingressLines = await printed(async () => {
    response = (await ingress(webhookEvent(activity), lambdaContext())) as typeof response;
  });
  expect(response.statusCode).toBe(202);
  expect(queue.sent).toHaveLength(1); // one activity: one delivery
  const workerLines = await printed(async () => {
    const result = await worker(sqsEvent(queue.sent.map((message) => sqsRecord(message))), lambdaContext());
    expect(result.batchItemFailures).toEqual([]);
  });
  return { ingressLines, workerLines, queued: queue.sent };
}

describe('the lines the Lambda functions print per accepted webhook', () => {
  it('ingress: one trace line and one EMF document, with exactly these keys', async () => {
    const { ingressLines, queued } = await acceptAndDeliver();
    const [line, metrics, ...rest] = ingressLines.map((text) => JSON.parse(text) as Record<string, unknown>);
    expect(rest).toEqual([]);
    const { cold_start: _coldStart, ...trace } = line ?? {};
    expect(trace).toEqual({
      message: 'webhook handled',
      partyId: PARTY,
      correlationId: 'Ab1CdEfGhIjKlMn=', // API Gateway's request id, as on the access line
      eventId: 'evt-hot-path-1',
      step: 'accepted',
      messageIds: queued.map((message) => message.id),
      status: 202,
    });
    expect(metrics).toEqual({
      _aws: {
        Timestamp: expect.any(Number),
        CloudWatchMetrics: [
          {
            Namespace: 'WebhookRelay',
            Dimensions: [['service']],
            Metrics: [
              { Name: 'WebhookReceived', Unit: 'Count' },
              { Name: 'DeliveryQueued', Unit: 'Count' },
            ],
          },
        ],
      },
      service: 'webhook-relay-ingress',
      WebhookReceived: 1,
      DeliveryQueued: 1,
    });
  });

  it('worker: one trace line per message and one EMF document per batch, with exactly these keys', async () => {
    const { workerLines, queued } = await acceptAndDeliver();
    const lines = workerLines.map((text) => JSON.parse(text) as Record<string, unknown>);
    const traces = lines.filter((line) => 'step' in line);
    expect(traces).toHaveLength(queued.length);
    const [message] = queued;
    const { cold_start: _coldStart, ...trace } = traces[0] ?? {};
    expect(trace).toEqual({
      message: 'delivered',
      receiveCount: 1,
      messageId: message?.id,
      partyId: PARTY,
      eventId: 'evt-hot-path-1',
      correlationId: message?.correlationId,
      latencyMs: 21,
      status: 200,
      step: 'delivered',
      activityIds: [98765],
    });
    const documents = lines.filter((line) => '_aws' in line);
    expect(documents).toEqual([
      {
        _aws: {
          Timestamp: expect.any(Number),
          CloudWatchMetrics: [
            {
              Namespace: 'WebhookRelay',
              Dimensions: [['service']],
              Metrics: [
                { Name: 'Workspace365Latency', Unit: 'Milliseconds' },
                { Name: 'DeliveryDelivered', Unit: 'Count' },
                { Name: 'EndToEndLatency', Unit: 'Milliseconds' },
              ],
            },
          ],
        },
        service: 'webhook-relay-worker',
        Workspace365Latency: 21,
        DeliveryDelivered: 1,
        EndToEndLatency: expect.any(Number),
      },
    ]);
    expect(lines).toHaveLength(queued.length + 1);
  });

  it('rebuild the delivered trace as Logs Insights rows, with CloudWatch time standing in', async () => {
    const { ingressLines, workerLines, queued } = await acceptAndDeliver();
    const at = (second: number) => `2026-03-02 10:02:0${second}.000`;
    const rows = [
      ...ingressLines.map((line) => [
        { field: '@timestamp', value: at(0) },
        { field: '@message', value: line },
      ]),
      ...workerLines.map((line) => [
        { field: '@timestamp', value: at(1) },
        { field: '@message', value: line },
      ]),
    ];
    const timeline = buildTimeline(parseInsightsRows(rows), {
      by: 'event',
      partyId: PARTY,
      eventId: 'evt-hot-path-1',
    });
    expect(timeline.outcome).toBe('delivered');
    expect(timeline.received).toMatchObject([
      { step: 'accepted', status: 202, at: '2026-03-02T10:02:00.000Z' },
    ]);
    expect(timeline.deliveries.map((delivery) => delivery.messageId)).toEqual(
      queued.map((message) => message.id),
    );
    expect(timeline.deliveries[0]?.end).toEqual({
      state: 'delivered',
      at: '2026-03-02T10:02:01.000Z',
      activityIds: [98765],
      activityCount: 1,
    });
  });
});
