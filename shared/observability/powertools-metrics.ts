import { Metrics, MetricUnit as PowertoolsUnit } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE, type MetricDimensions, type MetricName, type MetricUnit } from './metric-names';
import type { RelayMetrics } from './metrics';

/**
 * CloudWatch EMF through Powertools. Dimensioned points (Party, Reason) are written as single metrics
 * so each keeps its own dimensions; the rest are batched and flushed with the invocation.
 */
export class PowertoolsRelayMetrics implements RelayMetrics {
  constructor(readonly metrics: Metrics = new Metrics({ namespace: METRICS_NAMESPACE })) {}

  add(name: MetricName, unit: MetricUnit, value: number, dimensions: MetricDimensions = {}): void {
    const powertoolsUnit = unit === 'Milliseconds' ? PowertoolsUnit.Milliseconds : PowertoolsUnit.Count;
    if (Object.keys(dimensions).length === 0) {
      this.metrics.addMetric(name, powertoolsUnit, value);
      return;
    }
    const single = this.metrics.singleMetric();
    single.addDimensions({ ...dimensions });
    single.addMetric(name, powertoolsUnit, value);
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
