import type { MiddlewareObj } from '@middy/core';

/** What publishMetrics flushes: PowertoolsRelayMetrics in Lambda. */
export type PublishableMetrics = { publish(): void };

/**
 * Middy middleware: after every invocation (also a failed one), the metrics it recorded go out as one
 * EMF document. Replaces Powertools' logMetrics, which writes a document per dimensioned point and warns
 * on invocations that recorded nothing.
 */
export function publishMetrics(metrics: PublishableMetrics): MiddlewareObj {
  const publish = async () => metrics.publish();
  return { after: publish, onError: publish };
}
