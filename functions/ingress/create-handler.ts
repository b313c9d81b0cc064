import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { handleWebhook, type IngressDeps } from '../../shared/ingress/handle-webhook';
import { type PublishableMetrics, publishMetrics } from '../../shared/observability/publish-metrics';
import { fromApiGatewayEvent, toApiGatewayResult } from './api-gateway';

export type IngressHandlerDeps = IngressDeps & {
  /** When given, the Lambda context is added to every log line. */
  powertoolsLogger?: Logger;
  /** When given, the invocation's metrics are flushed after it as one EMF document. */
  publishableMetrics?: PublishableMetrics;
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
  if (deps.publishableMetrics) handler.use(publishMetrics(deps.publishableMetrics));
  return handler;
}
