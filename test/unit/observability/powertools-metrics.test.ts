import { Metrics } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MetricName } from '../../../shared/observability/metric-names';
import { PowertoolsRelayMetrics } from '../../../shared/observability/powertools-metrics';
import { publishMetrics } from '../../../shared/observability/publish-metrics';

type Document = {
  _aws: {
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
  [key: string]: unknown;
};

function recorder() {
  const lines: string[] = [];
  const metrics = new PowertoolsRelayMetrics(
    new Metrics({ namespace: 'WebhookRelay', serviceName: 'webhook-relay-ingress' }),
    (line) => lines.push(line),
  );
  const documents = () => lines.map((line) => JSON.parse(line) as Document);
  return { metrics, lines, documents };
}

/** Every (metric, dimension set) pair the documents publish: what CloudWatch bills as series. */
function series(documents: Document[]): string[] {
  return documents.flatMap((document) =>
    document._aws.CloudWatchMetrics.flatMap((directive) =>
      directive.Dimensions.flatMap((set) =>
        directive.Metrics.map(
          (metric) => `${metric.Name}[${set.map((key) => `${key}=${document[key]}`).join(',')}]`,
        ),
      ),
    ),
  );
}

afterEach(() => vi.restoreAllMocks());

describe('PowertoolsRelayMetrics', () => {
  it('publishes an accepted webhook as one document under [service]', () => {
    const { metrics, documents } = recorder();
    metrics.add(MetricName.WebhookReceived, 'Count', 1);
    metrics.add(MetricName.DeliveryQueued, 'Count', 2);
    metrics.publish();

    expect(documents()).toHaveLength(1);
    const [document] = documents() as [Document];
    expect(series(documents())).toEqual([
      'WebhookReceived[service=webhook-relay-ingress]',
      'DeliveryQueued[service=webhook-relay-ingress]',
    ]);
    expect(document.WebhookReceived).toBe(1);
    expect(document.DeliveryQueued).toBe(2);
  });

  it('puts a Reason point in the same document, under [service, Reason] only', () => {
    const { metrics, documents } = recorder();
    metrics.add(MetricName.WebhookReceived, 'Count', 1);
    metrics.add(MetricName.WebhookRejected, 'Count', 1, { Reason: 'signature_invalid' });
    metrics.publish();

    expect(documents()).toHaveLength(1);
    expect(series(documents())).toEqual([
      'WebhookReceived[service=webhook-relay-ingress]',
      'WebhookRejected[service=webhook-relay-ingress,Reason=signature_invalid]',
    ]);
    expect(documents()[0]?.WebhookRejected).toBe(1);
  });

  it('gives a second reason of the same invocation its own document, each value counted once', () => {
    const { metrics, documents } = recorder();
    metrics.add(MetricName.DeliveryDelivered, 'Count', 1);
    metrics.add(MetricName.DeliveryDeadLettered, 'Count', 1, { Reason: 'rejected' });
    metrics.add(MetricName.DeliveryDeadLettered, 'Count', 1, { Reason: 'poison' });
    metrics.add(MetricName.DeliveryDeadLettered, 'Count', 1, { Reason: 'rejected' });
    metrics.publish();

    expect(documents()).toHaveLength(2);
    expect(series(documents())).toEqual([
      'DeliveryDelivered[service=webhook-relay-ingress]',
      'DeliveryDeadLettered[service=webhook-relay-ingress,Reason=rejected]',
      'DeliveryDeadLettered[service=webhook-relay-ingress,Reason=poison]',
    ]);
    const [first, second] = documents() as [Document, Document];
    expect(first.DeliveryDeadLettered).toBe(2);
    expect(second.DeliveryDeadLettered).toBe(1);
    expect(second.DeliveryDelivered).toBeUndefined();
  });

  it('does not let the number of parties grow the number of series', () => {
    const { metrics, documents } = recorder();
    for (let party = 0; party < 1000; party++) {
      metrics.add(MetricName.DeliveryDelivered, 'Count', 1, { Party: `party-${party}` });
    }
    metrics.publish();

    expect(series(documents())).toEqual(['DeliveryDelivered[service=webhook-relay-ingress]']);
    expect(JSON.stringify(documents())).not.toContain('Party');
  });

  it('prints nothing, and warns nothing, for an invocation that recorded nothing', () => {
    const warn = vi.spyOn(console, 'warn');
    const { metrics, lines } = recorder();
    metrics.publish();
    expect(lines).toEqual([]);
    expect(warn).not.toHaveBeenCalled();
  });

  it('starts every invocation empty', () => {
    const { metrics, documents } = recorder();
    metrics.add(MetricName.WebhookRejected, 'Count', 1, { Reason: 'party_unknown' });
    metrics.publish();
    metrics.add(MetricName.WebhookReceived, 'Count', 1);
    metrics.publish();

    expect(series(documents())).toEqual([
      'WebhookRejected[service=webhook-relay-ingress,Reason=party_unknown]',
      'WebhookReceived[service=webhook-relay-ingress]',
    ]);
    expect(documents()[1]?.Reason).toBeUndefined();
  });
});

describe('publishMetrics', () => {
  it('flushes after an invocation, and after one that throws', async () => {
    const { metrics, documents } = recorder();
    const handler = middy(async (fail: boolean) => {
      metrics.add(MetricName.WebhookReceived, 'Count', 1);
      if (fail) throw new Error('boom');
      return 'ok';
    }).use(publishMetrics(metrics));

    await handler(false, {} as never);
    await expect(handler(true, {} as never)).rejects.toThrow('boom');
    expect(documents()).toHaveLength(2);
  });
});
