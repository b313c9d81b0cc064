import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';

/**
 * Middy middleware that writes the invocation's buffered EMF metrics, like Powertools' `logMetrics`, but
 * only when there are some. Most ingress invocations buffer none (their points are dimensioned and
 * written at once), and Powertools answers an empty flush with a plain-text warning on stderr: one
 * non-JSON log line per webhook. Skipping the empty flush loses nothing (it would write no metric).
 */
export function flushMetrics(metrics: Metrics): MiddlewareObj {
  const flush = async (): Promise<void> => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return { after: flush, onError: flush };
}
