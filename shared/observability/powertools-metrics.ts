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
    const powertoolsUnit =
      unit === 'Milliseconds'
        ? PowertoolsUnit.Milliseconds
        : unit === 'Seconds'
          ? PowertoolsUnit.Seconds
          : PowertoolsUnit.Count;
    if (Object.keys(dimensions).length === 0) {
      this.metrics.addMetric(name, powertoolsUnit, value);
      return;
    }
    const single = this.metrics.singleMetric();
    single.addDimensions({ ...dimensions });
    single.addMetric(name, powertoolsUnit, value);
  }
}
