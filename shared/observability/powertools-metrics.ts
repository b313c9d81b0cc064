import { Metrics, MetricUnit as PowertoolsUnit } from '@aws-lambda-powertools/metrics';
import type { EmfOutput } from '@aws-lambda-powertools/metrics/types';
import { METRICS_NAMESPACE, type MetricDimensions, type MetricName, type MetricUnit } from './metric-names';
import type { RelayMetrics } from './metrics';

/**
 * Dimensions the relay publishes besides Powertools' `service`. Party is not one of them: every
 * dimension value is a billed series, and parties grow without bound; per-party views come from the
 * log lines (README, Metrics). Reason values are a closed set of codes.
 */
export const PUBLISHED_DIMENSIONS = ['Reason'] as const;

type Directive = EmfOutput['_aws']['CloudWatchMetrics'][number];
type Group = {
  dimensions: Record<string, string>;
  values: Map<MetricName, { unit: MetricUnit; values: number[] }>;
};

/**
 * CloudWatch EMF through Powertools, one document per invocation. Points without dimensions are
 * Powertools' own (dimension set `[service]`); a point with a Reason joins the same document as a
 * second directive (`[service, Reason]`). Only when one invocation saw two different reasons (a
 * worker batch) does the second reason need a document of its own, since a document holds one value
 * per key. An invocation that recorded nothing prints nothing.
 */
export class PowertoolsRelayMetrics implements RelayMetrics {
  readonly #groups = new Map<string, Group>();

  constructor(
    readonly metrics: Metrics = new Metrics({ namespace: METRICS_NAMESPACE }),
    private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  ) {}

  add(name: MetricName, unit: MetricUnit, value: number, dimensions: MetricDimensions = {}): void {
    const published = publishedDimensions(dimensions);
    const groupKey = JSON.stringify(Object.entries(published).sort(([a], [b]) => a.localeCompare(b)));
    let group = this.#groups.get(groupKey);
    if (!group) {
      group = { dimensions: published, values: new Map() };
      this.#groups.set(groupKey, group);
    }
    const metric = group.values.get(name) ?? { unit, values: [] };
    // Counts are summed here: one value per metric keeps the document small (and Powertools flushes on its own at 100 values).
    if (unit === 'Count' && metric.values.length === 1)
      metric.values[0] = (metric.values[0] as number) + value;
    else metric.values.push(value);
    group.values.set(name, metric);
  }

  /** Prints what the invocation recorded, then forgets it; called once per invocation (publishMetrics). */
  publish(): void {
    const plain = this.#groups.get('[]');
    const groups = [...this.#groups.values()].filter((group) => group !== plain);
    this.#groups.clear();
    for (const [name, { unit, values }] of plain?.values ?? []) {
      const powertoolsUnit =
        unit === 'Milliseconds'
          ? PowertoolsUnit.Milliseconds
          : unit === 'Seconds'
            ? PowertoolsUnit.Seconds
            : PowertoolsUnit.Count;
      for (const value of values) this.metrics.addMetric(name, powertoolsUnit, value);
    }
    if (!this.metrics.hasStoredMetrics() && groups.length === 0) return;
    try {
      for (const document of this.#documents(groups)) this.write(JSON.stringify(document));
    } finally {
      this.metrics.clearMetrics();
      this.metrics.clearDimensions();
      this.metrics.clearMetadata();
    }
  }

  #documents(groups: Group[]): EmfOutput[] {
    const base = this.metrics.serializeMetrics();
    const [plain] = base._aws.CloudWatchMetrics as [Directive];
    const serviceKeys = plain.Dimensions[0] ?? [];
    const first: EmfOutput = {
      ...base,
      _aws: { ...base._aws, CloudWatchMetrics: plain.Metrics.length > 0 ? [plain] : [] },
    };
    const documents = [first];
    for (const group of groups) {
      const target = documents.find((document) => fits(document, group)) ?? this.#emptyDocument(base);
      if (!documents.includes(target)) documents.push(target);
      target._aws.CloudWatchMetrics.push({
        Namespace: plain.Namespace,
        Dimensions: [[...serviceKeys, ...Object.keys(group.dimensions)]],
        Metrics: [...group.values].map(([name, { unit }]) => ({ Name: name, Unit: unit })),
      });
      Object.assign(target, group.dimensions);
      for (const [name, { values }] of group.values) {
        (target as Record<string, unknown>)[name] = values.length === 1 ? values[0] : values;
      }
    }
    return documents.filter((document) => document._aws.CloudWatchMetrics.length > 0);
  }

  #emptyDocument(base: EmfOutput): EmfOutput {
    const { _aws, ...rest } = base;
    const plainNames = new Set((_aws.CloudWatchMetrics[0]?.Metrics ?? []).map((metric) => metric.Name));
    const keep = Object.fromEntries(Object.entries(rest).filter(([key]) => !plainNames.has(key)));
    return { ...keep, _aws: { Timestamp: _aws.Timestamp, CloudWatchMetrics: [] } } as EmfOutput;
  }
}

type MetricsOptions = NonNullable<ConstructorParameters<typeof Metrics>[0]>;

/**
 * The Powertools Metrics a Lambda composition root uses: namespace and `service` from the environment
 * the stack sets (`POWERTOOLS_METRICS_NAMESPACE`, `POWERTOOLS_SERVICE_NAME`), and Powertools' own
 * warnings (an invalid dimension, say) through the JSON logger instead of plain text on stderr.
 */
export function createLambdaMetrics(env: NodeJS.ProcessEnv, logger: MetricsOptions['logger']): Metrics {
  return new Metrics({
    namespace: env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE,
    ...(env.POWERTOOLS_SERVICE_NAME ? { serviceName: env.POWERTOOLS_SERVICE_NAME } : {}),
    ...(logger ? { logger } : {}),
  });
}

function publishedDimensions(dimensions: MetricDimensions): Record<string, string> {
  const published: Record<string, string> = {};
  for (const key of PUBLISHED_DIMENSIONS) {
    const value = dimensions[key];
    if (value !== undefined) published[key] = value;
  }
  return published;
}

/** A group joins a document when none of its keys already holds something else there. */
function fits(document: EmfOutput, group: Group): boolean {
  const record = document as Record<string, unknown>;
  for (const [key, value] of Object.entries(group.dimensions)) {
    if (key in record && record[key] !== value) return false;
  }
  for (const name of group.values.keys()) if (name in record) return false;
  return true;
}
