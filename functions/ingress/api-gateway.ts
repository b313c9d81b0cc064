import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type IngressRequest, type IngressResponse, normaliseHeaders } from '../../shared/ingress/request';
import { partyIdFromPath } from './route';

/**
 * API Gateway HTTP API (payload 2.0) → the core's request. The body stays exactly the bytes sent (base64
 * bodies are decoded to them: they are what the signature covers). Without the route's path parameter
 * (local mode off the route) the party comes from the raw path, decoded in one place (route.ts).
 */
export function fromApiGatewayEvent(event: APIGatewayProxyEventV2): IngressRequest {
  const body = event.body ?? '';
  return {
    method: event.requestContext.http.method,
    partyId: event.pathParameters?.partyId ?? partyIdFromPath(event.rawPath) ?? '',
    headers: normaliseHeaders(event.headers),
    rawBody: event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8'),
    query: event.queryStringParameters ?? {},
    requestId: event.requestContext.requestId,
  };
}

export function toApiGatewayResult(response: IngressResponse): APIGatewayProxyStructuredResultV2 {
  return { statusCode: response.status, headers: response.headers, body: JSON.stringify(response.body) };
}
