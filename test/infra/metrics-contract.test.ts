import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MemorySecretStore } from '../../devkit/fakes/memory-secret-store';
import { RecordingQueue } from '../../devkit/fakes/recording-queue';
import { sampleEvents } from '../../devkit/samples';
import { ALL_SOURCE_ENGINES } from '../../devkit/source-engines';
import { createIngressHandler } from '../../functions/ingress/create-handler';
import { createWorkerHandler } from '../../functions/worker/create-handler';
import { InMemoryCircuitStateStore } from '../../shared/adapters/in-memory-circuit-state-store';
import { InMemoryDedupLedger } from '../../shared/adapters/in-memory-dedup-ledger';
import { signWebhook } from '../../shared/auth';
import { createIngressDeps } from '../../shared/composition/ingress-deps';
import { DEFAULT_CIRCUIT_BREAKER } from '../../shared/config/relay-config';
import { createLogger } from '../../shared/observability/logger';
import { METRICS_NAMESPACE } from '../../shared/observability/metric-names';
import { createLambdaMetrics, PowertoolsRelayMetrics } from '../../shared/observability/powertools-metrics';
import { createEnvironmentBreakers, createPartyBreakers } from '../../shared/worker/environment-breakers';
import type { DeliveryOutcome } from '../../shared/workspace365/delivery-outcome';
import { queueMessage } from '../support/queue-messages';
import { lambdaContext, sqsEvent, sqsRecord } from '../support/sqs-events';
import { fakeWorkspace365, workerDeps } from '../support/worker-fakes';
import { SYNTH_TIMEOUT_MS, type SynthesizedRelay, synthRelay } from './support/relay-app';

/**
 * The alarms and the code agree on what is emitted. CloudWatch matches a metric by namespace, name and
 * the exact set of dimensions (names and values); an alarm on any other combination never sees a
 * point. So: run both handlers as the Lambda composition roots build them (the real Powertools Metrics,
 * with the service name the stack sets), capture what they print, and look every synthesized alarm up in it.
 */

type Series = { namespace: string; metric: string; dimensions: Record<string, string> };

let relay: SynthesizedRelay;
let serviceOf: { ingress: string; worker: string };
let printed: { ingress: string[]; worker: string[] };

beforeAll(async () => {
  relay = synthRelay();
  const functions = Object.values(
    relay.apiTemplate.findResources('AWS::Lambda::Function') as Record<
      string,
      { Properties: { Environment: { Variables: Record<string, string> } } }
    >,
  ).map((fn) => fn.Properties.Environment.Variables);
  const envOf = (suffix: string) =>
    functions.find((variables) => variables.POWERTOOLS_SERVICE_NAME?.endsWith(suffix)) ?? {};
  const ingressEnv = envOf('-ingress');
  const workerEnv = envOf('-worker');
  serviceOf = {
    ingress: ingressEnv.POWERTOOLS_SERVICE_NAME ?? '',
    worker: workerEnv.POWERTOOLS_SERVICE_NAME ?? '',
  };
  printed = {
    ingress: await capture(() => runIngress(ingressEnv)),
    worker: await capture(() => runWorker(workerEnv)),
  };
}, SYNTH_TIMEOUT_MS);

afterEach(() => vi.restoreAllMocks());

/** Everything written to stdout and stderr while `run` runs, as lines. */
async function capture(run: () => Promise<void>): Promise<string[]> {
  const chunks: string[] = [];
  const record = (chunk: unknown) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(record);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(record);
  try {
    await run();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return chunks
    .join('')
    .split('\n')
    .filter((line) => line.trim() !== '');
}

function apiEvent(partyId: string, body: Buffer, headers: Record<string, string>) {
  return {
    version: '2.0',
    routeKey: 'POST /webhooks/{partyId}',
    rawPath: `/webhooks/${partyId}`,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...headers },
    requestContext: {
      http: {
        method: 'POST',
        path: `/webhooks/${partyId}`,
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.7',
        userAgent: 't',
      },
      requestId: `req-${Math.random()}`,
    },
    pathParameters: { partyId },
    body: body.toString('utf8'),
    isBase64Encoded: false,
  } as never;
}

/** Normal traffic: a webhook accepted, the same one again (duplicate), a bad signature, an unknown party. */
async function runIngress(env: Record<string, string>) {
  const logger = createLogger(env.POWERTOOLS_SERVICE_NAME ?? '');
  const relayMetrics = new PowertoolsRelayMetrics(createLambdaMetrics(env, logger));
  const party = relay.settings.config.parties.find((candidate) => candidate.source === 'workspace365');
  if (!party) throw new Error('the fixture config needs a workspace365 party');
  const handler = createIngressHandler(
    createIngressDeps({
      sourceEngines: ALL_SOURCE_ENGINES,
      config: relay.settings.config,
      secrets: new MemorySecretStore({
        [party.secretName]: { workspace365ApiKey: 'test-key', webhookSecrets: ['test-token'] },
      }),
      queue: new RecordingQueue(),
      ledger: new InMemoryDedupLedger(),
      metrics: relayMetrics,
      logger,
    }),
  );
  const [makeBody] = Object.values(sampleEvents[party.source]);
  const body = Buffer.from(JSON.stringify(makeBody?.()));
  const signed = signWebhook(party.auth, 'test-token', body);
  const statuses = [];
  for (const event of [
    apiEvent(party.id, body, signed),
    apiEvent(party.id, body, signed),
    apiEvent(party.id, body, signWebhook(party.auth, 'wrong-token', body)),
    apiEvent('nobody', body, signed),
  ]) {
    statuses.push((await handler(event, lambdaContext())).statusCode);
  }
  expect(statuses).toEqual([202, 202, 401, 404]); // a duplicate is answered like the original
}

/** Normal delivery trouble: one delivered, one whose key Workspace 365 refuses, one it rejects (dead letter). */
async function runWorker(env: Record<string, string>) {
  const logger = createLogger(env.POWERTOOLS_SERVICE_NAME ?? '');
  const relayMetrics = new PowertoolsRelayMetrics(createLambdaMetrics(env, logger));
  const delivered: DeliveryOutcome = { type: 'delivered', status: 200, activityIds: [1], latencyMs: 3 };
  const outcomes: Record<string, DeliveryOutcome> = {
    delivered,
    refused: { type: 'unauthorized', status: 401, latencyMs: 3 },
    rejected: { type: 'rejected', status: 400, error: { globalError: { message: 'no' } }, latencyMs: 3 },
  };
  const titleOf = new Map<string, string>();
  const workspace365 = fakeWorkspace365(
    (call) => outcomes[titleOf.get(call.idempotencyKey ?? '') ?? ''] ?? delivered,
  );
  const { deps } = workerDeps({
    workspace365: workspace365.client,
    metrics: relayMetrics,
    logger,
  });
  const records = Object.keys(outcomes).map((title) => {
    const message = queueMessage('acme');
    titleOf.set(message.id, title);
    return sqsRecord(message);
  });
  // The Powertools logger and metrics in the deps are what make the handler attach its middlewares.
  const handler = createWorkerHandler(deps);
  const response = await handler(sqsEvent(records), lambdaContext());
  expect(response.batchItemFailures).toHaveLength(1); // the refused key waits for a retry
  await runWorkerDuringOutage(logger, relayMetrics);
}

/** An environment that keeps answering 503: the breaker opens, and the next message waits behind it. */
async function runWorkerDuringOutage(
  logger: ReturnType<typeof createLogger>,
  relayMetrics: PowertoolsRelayMetrics,
) {
  const breakerOptions = {
    config: { ...DEFAULT_CIRCUIT_BREAKER, failureThreshold: 2 },
    store: new InMemoryCircuitStateStore(),
    metrics: relayMetrics,
    logger,
    workspace365TimeoutMs: 1000,
  };
  const workspace365 = fakeWorkspace365(() => ({
    type: 'retryable',
    status: 503,
    reason: 'http',
    latencyMs: 3,
  }));
  const { deps, queue } = workerDeps({
    workspace365: workspace365.client,
    metrics: relayMetrics,
    logger,
    breakers: createEnvironmentBreakers(breakerOptions),
    partyBreakers: createPartyBreakers(breakerOptions),
  });
  // The Powertools logger and metrics in the deps are what make the handler attach its middlewares.
  const handler = createWorkerHandler(deps);
  // One message per invocation, so the breaker has opened before the third one is looked at.
  for (let attempt = 0; attempt < 3; attempt++) {
    await handler(sqsEvent([sqsRecord(queueMessage('acme'))]), lambdaContext());
  }
  expect(workspace365.calls).toHaveLength(2); // the third waited behind the open breaker
  expect(queue.requeued).toHaveLength(1);
}

/** The series an EMF line writes: one per metric per dimension set. */
function emittedSeries(lines: readonly string[]): Series[] {
  return lines.flatMap((line) => {
    const json = JSON.parse(line) as {
      _aws?: {
        CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[];
      };
    } & Record<string, unknown>;
    return (json._aws?.CloudWatchMetrics ?? []).flatMap((directive) =>
      directive.Dimensions.flatMap((set) =>
        directive.Metrics.map((metric) => ({
          namespace: directive.Namespace,
          metric: metric.Name,
          dimensions: Object.fromEntries(set.map((name) => [name, String(json[name])])),
        })),
      ),
    );
  });
}

type AlarmProps = {
  AlarmName: string;
  Namespace?: string;
  MetricName?: string;
  Dimensions?: { Name: string; Value: string }[];
};

const seriesOf = (alarm: AlarmProps): Series => ({
  namespace: alarm.Namespace ?? '',
  metric: alarm.MetricName ?? '',
  dimensions: Object.fromEntries((alarm.Dimensions ?? []).map((d) => [d.Name, d.Value])),
});

/** CloudWatch's rule: same namespace, same name, the same dimension names with the same values. */
const sameSeries = (a: Series, b: Series) =>
  a.namespace === b.namespace &&
  a.metric === b.metric &&
  JSON.stringify(Object.entries(a.dimensions).sort()) === JSON.stringify(Object.entries(b.dimensions).sort());

describe('metrics as the handlers really emit them', () => {
  it('every line either function prints in normal operation is JSON', () => {
    for (const lines of [printed.ingress, printed.worker]) {
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    }
    expect([...printed.ingress, ...printed.worker].join('\n')).not.toContain(
      'No application metrics to publish',
    );
  });

  it("carry the stage's service name the stack sets, in every dimension set", () => {
    expect(serviceOf).toEqual({ ingress: 'webhook-relay-test-ingress', worker: 'webhook-relay-test-worker' });
    const all = [...emittedSeries(printed.ingress), ...emittedSeries(printed.worker)];
    expect(all.length).toBeGreaterThan(5);
    for (const series of all)
      expect([serviceOf.ingress, serviceOf.worker]).toContain(series.dimensions.service);
  });

  it('every alarm on a relay metric watches a series the code emits', () => {
    const emitted = [...emittedSeries(printed.ingress), ...emittedSeries(printed.worker)];
    const alarms = Object.values(
      relay.apiTemplate.findResources('AWS::CloudWatch::Alarm') as Record<string, { Properties: AlarmProps }>,
    )
      .map((alarm) => alarm.Properties)
      .filter((alarm) => alarm.Namespace === METRICS_NAMESPACE);
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) {
      expect(
        emitted.some((series) => sameSeries(series, seriesOf(alarm))),
        `${alarm.AlarmName} watches ${JSON.stringify(seriesOf(alarm))}, which the code never emits`,
      ).toBe(true);
    }
  });

  it('would fail an alarm on a dimension set the code does not emit (the check is not vacuous)', () => {
    const emitted = [...emittedSeries(printed.ingress), ...emittedSeries(printed.worker)];
    const authFailure = (dimensions: Record<string, string>): Series => ({
      namespace: 'WebhookRelay',
      metric: 'DeliveryAuthFailure',
      dimensions,
    });
    expect(emitted.some((s) => sameSeries(s, authFailure({ service: serviceOf.worker })))).toBe(true);
    // Without service (as the docs once listed it), or another stage's service: never seen.
    expect(emitted.some((s) => sameSeries(s, authFailure({})))).toBe(false);
    expect(emitted.some((s) => sameSeries(s, authFailure({ service: 'webhook-relay-prod-worker' })))).toBe(
      false,
    );
  });
});
