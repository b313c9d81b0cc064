import { describe, expect, it } from 'vitest';
import { emptyCounts } from '../support/aws-stand-ins';
import { costPerMillion, fixedMonthly, type LambdaShapeTotals } from '../support/costs';
import { PRICES } from '../support/prices';

/** 1,000 webhooks, each: 1 SendMessageBatch and 1 PutItem of 1 WRU at ingress, 1 PutItem of 1 WRU at the worker. */
function totals(overrides: Partial<LambdaShapeTotals['ingress']> = {}): LambdaShapeTotals {
  const webhooks = 1000;
  const counts = (requests: Record<string, number>, wru: number) => ({
    ...emptyCounts(),
    requests,
    dynamoWru: wru,
  });
  return {
    acceptedWebhooks: webhooks,
    ingress: {
      memorySizeMb: 512,
      invocations: webhooks,
      cpuUs: Array.from({ length: webhooks }, () => 1000),
      wallMs: Array.from({ length: webhooks }, () => 2),
      logBytes: 400 * webhooks,
      platformLogBytes: 250 * webhooks,
      aws: counts({ 'sqs.SendMessageBatch': webhooks, 'dynamodb.PutItem': webhooks }, webhooks),
      accessLogBytes: 300 * webhooks,
      responseBytes: 300 * webhooks,
      ...overrides,
    },
    worker: {
      memorySizeMb: 512,
      invocations: webhooks / 10,
      cpuUs: Array.from({ length: webhooks / 10 }, () => 10_000),
      wallMs: Array.from({ length: webhooks / 10 }, () => 20),
      logBytes: 200 * webhooks,
      platformLogBytes: 25 * webhooks,
      aws: counts({ 'dynamodb.PutItem': webhooks }, webhooks),
      eventSourceRequests: 2 * (webhooks / 10),
      workspace365Bytes: 1000 * webhooks,
      workspace365Posts: webhooks,
    },
  };
}

describe('cost per million webhooks', () => {
  it('prices each service from the counts and the dated list prices', () => {
    const report = costPerMillion(totals());
    expect(report.perMillion.apiGateway).toBeCloseTo(PRICES.apiGatewayHttpPerMillionRequests);
    expect(report.perMillion.lambdaRequests).toBeCloseTo(1.1 * PRICES.lambdaPerMillionRequests);
    // 1 send per webhook + 2 event source requests per batch of 10.
    expect(report.perMillion.sqs).toBeCloseTo(1.2 * PRICES.sqsStandardPerMillionRequests);
    expect(report.dynamoWruPerWebhook).toBe(2);
    expect(report.perMillion.dynamodb).toBeCloseTo(2 * PRICES.dynamoPerMillionWru);
    expect(report.logBytesPerWebhook).toBe(400 + 250 + 200 + 25 + 300);
    expect(report.perMillion.logs).toBeCloseTo(((1175 * 1e6) / 1024 ** 3) * PRICES.logsPerGbIngested);
    expect(report.awsRequestsPerWebhook).toEqual({ 'sqs.SendMessageBatch': 1, 'dynamodb.PutItem': 2 });
    const sum = Object.entries(report.perMillion)
      .filter(([key]) => key !== 'total')
      .reduce((total, [, usd]) => total + usd, 0);
    expect(report.perMillion.total).toBeCloseTo(sum);
  });

  it('bills Lambda for CPU plus the assumed waits on each call, rounded up to the millisecond', () => {
    const report = costPerMillion(totals());
    // Ingress: 1 ms CPU + one SQS (8 ms) and one DynamoDB (5 ms) call = 14 ms.
    expect(report.billedMs.ingress).toBe(14);
    expect(report.ingressInvocationCpuMs).toBe(1);
    const doubledCpu = costPerMillion(totals({ cpuUs: Array.from({ length: 1000 }, () => 2000) }));
    expect(doubledCpu.billedMs.ingress).toBe(15);
    expect(doubledCpu.perMillion.lambdaDuration).toBeGreaterThan(report.perMillion.lambdaDuration);
  });
});

describe('fixed monthly cost', () => {
  it('does not grow with the number of parties, Secrets Manager aside', () => {
    const few = fixedMonthly(4);
    const many = fixedMonthly(1000);
    expect(many.withoutSecrets).toBe(few.withoutSecrets);
    expect(many.secrets).toBeCloseTo(1000 * PRICES.secretPerMonth);
    expect(many.withoutSecrets).toBeLessThan(30);
  });
});
