import { MetricName } from '../../shared/observability/metric-names';
import type { RelayMetrics } from '../../shared/observability/metrics';

/**
 * Counts the worker's outcomes as they are recorded (DeliveryDelivered, DeliveryRetried,
 * DeliveryDeadLettered) and notes when the n-th delivery happened, without scanning the metric history.
 */
export class DeliveryCounter implements RelayMetrics {
  delivered = 0;
  retried = 0;
  deadLettered = 0;
  #waiters: { count: number; resolve: (at: number) => void }[] = [];

  constructor(readonly inner?: RelayMetrics) {}

  add(...args: Parameters<RelayMetrics['add']>): void {
    this.inner?.add(...args);
    const [name, , value] = args;
    if (name === MetricName.DeliveryRetried) this.retried += value;
    if (name === MetricName.DeliveryDeadLettered) this.deadLettered += value;
    if (name !== MetricName.DeliveryDelivered) return;
    this.delivered += value;
    const now = performance.now();
    this.#waiters = this.#waiters.filter((waiter) => {
      if (this.delivered < waiter.count) return true;
      waiter.resolve(now);
      return false;
    });
  }

  /** Resolves with `performance.now()` at the moment the `count`-th delivery was recorded. */
  deliveredCount(count: number, timeoutMs: number): Promise<number> {
    if (this.delivered >= count) return Promise.resolve(performance.now());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `${this.delivered} of ${count} delivered after ${timeoutMs} ms (${this.retried} retried, ${this.deadLettered} dead-lettered)`,
            ),
          ),
        timeoutMs,
      );
      this.#waiters.push({
        count,
        resolve: (at) => {
          clearTimeout(timer);
          resolve(at);
        },
      });
    });
  }
}
