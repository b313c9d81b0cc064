import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { handleWebhook, type IngressDeps } from '../../shared/ingress/handle-webhook';
import { flushMetrics } from '../../shared/observability/flush-metrics';
import { fromApiGatewayEvent, toApiGatewayResult } from './api-gateway';

export type IngressHandlerDeps = IngressDeps & {
  /** When given, the Lambda context is added to every log line. */
  powertoolsLogger?: Logger;
  /** When given, buffered EMF metrics are flushed after every invocation. */
  powertoolsMetrics?: Metrics;
};

/** The Lambda handler over the ingress core: a thin adapter plus Powertools middlewares. */
export function createIngressHandler(deps: IngressHandlerDeps) {
  const handler = middy(
    async (event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
      const response = await handleWebhook(fromApiGatewayEvent(event), {
        ...deps,
        remainingTimeMs: () => context.getRemainingTimeInMillis?.() ?? 30_000,
      });
      return toApiGatewayResult(response);
    },
  );
  if (deps.powertoolsLogger) handler.use(injectLambdaContext(deps.powertoolsLogger));
  if (deps.powertoolsMetrics) handler.use(flushMetrics(deps.powertoolsMetrics));
  return handler;
}
