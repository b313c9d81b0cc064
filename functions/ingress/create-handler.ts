import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { handleWebhook, type IngressDeps } from '../../shared/ingress/handle-webhook';
import { errorBody } from '../../shared/ingress/rejection';
import type { IngressRequest, IngressResponse } from '../../shared/ingress/request';
import { PowertoolsRelayMetrics } from '../../shared/observability/powertools-metrics';
import { publishMetrics } from '../../shared/observability/publish-metrics';
import { fromApiGatewayEvent, toApiGatewayResult } from './api-gateway';
import { isMalformedPartyPath } from './route';

/**
 * The Lambda handler over the ingress core: a thin adapter plus Powertools middlewares. A Powertools
 * logger gets the Lambda context on every line; Powertools metrics go out after every invocation as one EMF document.
 */
export function createIngressHandler(deps: IngressDeps) {
  const handler = middy(httpApiAdapter((request) => handleWebhook(request, deps)));
  if (deps.logger instanceof Logger) handler.use(injectLambdaContext(deps.logger));
  if (deps.metrics instanceof PowertoolsRelayMetrics) handler.use(publishMetrics(deps.metrics));
  return handler;
}

/**
 * The HTTP API event → core request → HTTP API result translation around any core. A party segment that
 * is not valid percent-encoding is answered 404 here, with the reason, before the core sees it.
 */
export function httpApiAdapter(
  handle: (request: IngressRequest, context: Context) => Promise<IngressResponse>,
) {
  return async (
    event: APIGatewayProxyEventV2,
    context: Context,
  ): Promise<APIGatewayProxyStructuredResultV2> => {
    if (event.pathParameters?.partyId === undefined && isMalformedPartyPath(event.rawPath)) {
      return toApiGatewayResult({
        status: 404,
        headers: { 'content-type': 'application/json' },
        body: errorBody('party_unknown', 'the party id in the path is not valid percent-encoding (RFC 3986)'),
      });
    }
    return toApiGatewayResult(await handle(fromApiGatewayEvent(event), context));
  };
}
