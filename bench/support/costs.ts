import { DEAD_LETTER_REASONS } from '../../shared/worker/dead-letter';
import type { AwsCounts } from './aws-stand-ins';
import { ASSUMED_LATENCY_MS, PRICES } from './prices';
import { median } from './stats';

/** What the Lambda-shaped run measured, in totals over the run (bench/lambda.ts). */
export type LambdaShapeTotals = {
  /** Webhooks the ingress answered 202 with `accepted` > 0. */
  acceptedWebhooks: number;
  ingress: FunctionTotals & {
    /** AWS requests the ingress made. */
    aws: AwsCounts;
    /** Access log bytes of the HTTP API, all requests. */
    accessLogBytes: number;
    /** Response bytes sent back to the senders (body + headers). */
    responseBytes: number;
  };
  worker: FunctionTotals & {
    aws: AwsCounts;
    /** SQS requests of the event source mapping (ReceiveMessage, DeleteMessageBatch), one each per batch. */
    eventSourceRequests: number;
    /** Bytes posted to Workspace 365 (body + headers). */
    workspace365Bytes: number;
    workspace365Posts: number;
  };
};

export type FunctionTotals = {
  memorySizeMb: number;
  invocations: number;
  cpuUs: number[];
  wallMs: number[];
  /** What the function printed (its JSON lines, EMF included). */
  logBytes: number;
  /** START / END / REPORT lines Lambda adds. */
  platformLogBytes: number;
};

export type CostLines = {
  apiGateway: number;
  lambdaRequests: number;
  lambdaDuration: number;
  sqs: number;
  dynamodb: number;
  logs: number;
  secretsManager: number;
  dataOut: number;
};

export type CostReport = {
  /** USD per million accepted webhooks, per service, and the sum. */
  perMillion: CostLines & { total: number };
  dynamoWruPerWebhook: number;
  dynamoRruPerWebhook: number;
  logBytesPerWebhook: number;
  /** Per accepted webhook, by function. */
  logBytes: { ingress: number; worker: number; accessLog: number };
  awsRequestsPerWebhook: Record<string, number>;
  /** ms, median over invocations. */
  ingressInvocationCpuMs: number;
  workerInvocationCpuMs: number;
  /** Mean billed ms per invocation: its CPU time plus ASSUMED_LATENCY_MS for every call it waits on. */
  billedMs: { ingress: number; worker: number };
};

const MILLION = 1_000_000;
const GB = 1024 ** 3;

/** Turns a Lambda-shaped run into dollars with the dated list prices (bench/support/prices.ts). */
export function costPerMillion(totals: LambdaShapeTotals): CostReport {
  const { ingress, worker } = totals;
  const perWebhook = (value: number) => value / Math.max(1, totals.acceptedWebhooks);
  const requests = (counts: AwsCounts, service: string) =>
    Object.entries(counts.requests)
      .filter(([key]) => key.startsWith(`${service}.`))
      .reduce((sum, [, count]) => sum + count, 0);

  const ingressAddedMs =
    (requests(ingress.aws, 'dynamodb') * ASSUMED_LATENCY_MS.dynamodb +
      requests(ingress.aws, 'sqs') * ASSUMED_LATENCY_MS.sqs +
      requests(ingress.aws, 'secretsmanager') * ASSUMED_LATENCY_MS.secretsmanager) /
    Math.max(1, ingress.invocations);
  // A batch's records run in parallel: per batch, one Workspace 365 round trip and each record's own calls.
  const recordsPerBatch = worker.workspace365Posts / Math.max(1, worker.invocations);
  const workerAddedMs =
    ASSUMED_LATENCY_MS.workspace365 +
    (requests(worker.aws, 'dynamodb') * ASSUMED_LATENCY_MS.dynamodb +
      requests(worker.aws, 'sqs') * ASSUMED_LATENCY_MS.sqs +
      requests(worker.aws, 'secretsmanager') * ASSUMED_LATENCY_MS.secretsmanager) /
      Math.max(1, worker.invocations) /
      Math.max(1, recordsPerBatch);
  // CPU time plus the assumed waits on AWS and Workspace 365: loopback wall time on a shared machine is
  // neither (the stand-ins answer at once, or late when the machine is busy).
  const billed = (fn: FunctionTotals, addedMs: number) =>
    fn.cpuUs.reduce((sum, us) => sum + Math.ceil(us / 1000 + addedMs), 0) / Math.max(1, fn.cpuUs.length);
  const billedMs = { ingress: billed(ingress, ingressAddedMs), worker: billed(worker, workerAddedMs) };
  const gbSeconds = (fn: FunctionTotals, ms: number) =>
    (fn.memorySizeMb / 1024) * (ms / 1000) * fn.invocations;

  const allRequests: Record<string, number> = {};
  for (const counts of [ingress.aws, worker.aws]) {
    for (const [key, count] of Object.entries(counts.requests))
      allRequests[key] = (allRequests[key] ?? 0) + count;
  }
  const sqsRequests = requests(ingress.aws, 'sqs') + requests(worker.aws, 'sqs') + worker.eventSourceRequests;
  const wru = ingress.aws.dynamoWru + worker.aws.dynamoWru;
  const rru = ingress.aws.dynamoRru + worker.aws.dynamoRru;
  const logBytes = ingress.logBytes + ingress.platformLogBytes + worker.logBytes + worker.platformLogBytes;
  const totalLogBytes = logBytes + ingress.accessLogBytes;
  const secretsCalls = requests(ingress.aws, 'secretsmanager') + requests(worker.aws, 'secretsmanager');

  const lines: CostLines = {
    apiGateway: perWebhook(ingress.invocations) * PRICES.apiGatewayHttpPerMillionRequests,
    lambdaRequests: perWebhook(ingress.invocations + worker.invocations) * PRICES.lambdaPerMillionRequests,
    lambdaDuration:
      perWebhook(gbSeconds(ingress, billedMs.ingress) + gbSeconds(worker, billedMs.worker)) *
      PRICES.lambdaArmPerGbSecond *
      MILLION,
    sqs: perWebhook(sqsRequests) * PRICES.sqsStandardPerMillionRequests,
    dynamodb: perWebhook(wru) * PRICES.dynamoPerMillionWru + perWebhook(rru) * PRICES.dynamoPerMillionRru,
    logs: ((perWebhook(totalLogBytes) * MILLION) / GB) * PRICES.logsPerGbIngested,
    secretsManager: perWebhook(secretsCalls) * 100 * PRICES.secretsManagerPer10kCalls,
    dataOut:
      ((perWebhook(ingress.responseBytes + worker.workspace365Bytes) * MILLION) / GB) * PRICES.dataOutPerGb,
  };
  const total = Object.values(lines).reduce((sum, value) => sum + value, 0);
  return {
    perMillion: { ...lines, total },
    dynamoWruPerWebhook: perWebhook(wru),
    dynamoRruPerWebhook: perWebhook(rru),
    logBytesPerWebhook: perWebhook(totalLogBytes),
    logBytes: {
      ingress: perWebhook(ingress.logBytes + ingress.platformLogBytes),
      worker: perWebhook(worker.logBytes + worker.platformLogBytes),
      accessLog: perWebhook(ingress.accessLogBytes),
    },
    awsRequestsPerWebhook: Object.fromEntries(
      Object.entries(allRequests).map(([key, count]) => [key, perWebhook(count)]),
    ),
    ingressInvocationCpuMs: median(ingress.cpuUs) / 1000,
    workerInvocationCpuMs: median(worker.cpuUs) / 1000,
    billedMs,
  };
}

/**
 * Custom metric series the relay can publish in a month (README, Metrics): per function, its metrics
 * without dimensions plus one per Reason value. None depends on the number of parties.
 */
export const METRIC_SERIES = {
  /** WebhookReceived, WebhookIgnored, WebhookDuplicate, DeliveryQueued, SecretsManagerCalls. */
  ingressPlain: 5,
  /** WebhookRejected × RejectionCode (shared/ingress/rejection.ts: 17 codes, 7 of them AuthFailureCode). */
  ingressRejectionReasons: 24,
  /** DeliveryDelivered, DeliveryRetried, DeliveryAuthFailure, EndToEndLatency, Workspace365Latency, SecretsManagerCalls. */
  workerPlain: 6,
  workerDeadLetterReasons: DEAD_LETTER_REASONS.length,
} as const;

/** The deployment's alarms (infra/constructs/relay-alarms.ts), counted per metric: Ingress5xxRate reads two. */
const ALARM_METRICS = 6;
const DASHBOARDS = 1;
/** The alarm topic's customer managed key (infra/constructs/alarm-topic.ts). */
const KMS_KEYS = 1;

export type FixedMonthly = {
  parties: number;
  /** USD a month, Secrets Manager aside. */
  withoutSecrets: number;
  /** One secret per party. */
  secrets: number;
  lines: { metricSeries: number; alarms: number; dashboard: number; kms: number };
};

/** What a deployment costs a month before any traffic, for a number of parties. */
export function fixedMonthly(parties: number): FixedMonthly {
  const series = Object.values(METRIC_SERIES).reduce((sum, count) => sum + count, 0);
  const lines = {
    metricSeries: series * PRICES.metricSeriesPerMonth,
    alarms: ALARM_METRICS * PRICES.alarmMetricPerMonth,
    dashboard: DASHBOARDS * PRICES.dashboardPerMonth,
    kms: KMS_KEYS * PRICES.kmsKeyPerMonth,
  };
  return {
    parties,
    withoutSecrets: Object.values(lines).reduce((sum, value) => sum + value, 0),
    secrets: parties * PRICES.secretPerMonth,
    lines,
  };
}
