import type { MetricDimensions, MetricName, MetricUnit } from './metric-names';

/** The metrics port the core writes to; Powertools EMF in Lambda, an in-memory recorder elsewhere. */
export interface RelayMetrics {
  add(name: MetricName, unit: MetricUnit, value: number, dimensions?: MetricDimensions): void;
}

export type RecordedMetric = {
  name: MetricName;
  unit: MetricUnit;
  value: number;
  dimensions: MetricDimensions;
};

/** Keeps every data point; used by tests, the local host and the benchmark. */
export class InMemoryMetrics implements RelayMetrics {
  readonly points: RecordedMetric[] = [];

  add(name: MetricName, unit: MetricUnit, value: number, dimensions: MetricDimensions = {}): void {
    this.points.push({ name, unit, value, dimensions });
  }

  /** Sum of a metric's values, optionally only where the given dimensions match. */
  sum(name: MetricName, where: MetricDimensions = {}): number {
    return this.points
      .filter((point) => point.name === name)
      .filter((point) => Object.entries(where).every(([key, value]) => point.dimensions[key] === value))
      .reduce((total, point) => total + point.value, 0);
  }
}
