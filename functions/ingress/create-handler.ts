import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { handleWebhook, type IngressDeps } from '../../shared/ingress/handle-webhook';
import { PowertoolsRelayMetrics } from '../../shared/observability/powertools-metrics';
import { fromApiGatewayEvent, toApiGatewayResult } from './api-gateway';

/**
 * The Lambda handler over the ingress core: a thin adapter plus Powertools middlewares. A Powertools
 * logger gets the Lambda context on every line; Powertools metrics are flushed after every invocation.
 */
export function createIngressHandler(deps: IngressDeps) {
  const handler = middy(
    async (event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
      const response = await handleWebhook(fromApiGatewayEvent(event), {
        ...deps,
        remainingTimeMs: () => context.getRemainingTimeInMillis?.() ?? 30_000,
      });
      return toApiGatewayResult(response);
    },
  );
  if (deps.logger instanceof Logger) handler.use(injectLambdaContext(deps.logger));
  if (deps.metrics instanceof PowertoolsRelayMetrics) handler.use(logMetrics(deps.metrics.metrics));
  return handler;
}
