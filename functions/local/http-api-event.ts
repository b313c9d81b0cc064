import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { normaliseHeaders } from '../../shared/ingress/request';
import { partyIdFromPath, WEBHOOK_ROUTE_KEY } from '../ingress/route';

/** Longest an HTTP API waits for its integration (30 s): what the handler's remaining time counts down from. */
const INTEGRATION_TIMEOUT_MS = 30_000;

/**
 * The event API Gateway (HTTP API, payload 2.0) would hand the ingress function for this request, so
 * local mode runs the Lambda adapter and handler unchanged. The body travels base64-encoded, as API Gateway
 * sends binary bodies: the handler sees exactly the bytes received.
 */
export function toHttpApiEvent(request: IncomingMessage, body: Uint8Array): APIGatewayProxyEventV2 {
  const target = request.url ?? '/';
  const queryStart = target.indexOf('?');
  const rawPath = queryStart < 0 ? target : target.slice(0, queryStart);
  const rawQueryString = queryStart < 0 ? '' : target.slice(queryStart + 1);
  const query = Object.fromEntries(new URLSearchParams(rawQueryString));
  // Any method: the core answers 405 to anything but POST, in the W365 error shape.
  const partyId = partyIdFromPath(rawPath);
  const routeKey = partyId === undefined ? '$default' : WEBHOOK_ROUTE_KEY;
  const now = new Date();
  const headers = normaliseHeaders(request.headers) as Record<string, string>;
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString,
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(partyId === undefined ? {} : { pathParameters: { partyId } }),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: request.method ?? 'GET',
        path: rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: Buffer.from(body).toString('base64'),
    isBase64Encoded: true,
  };
}

/** A Lambda context for one local invocation: the ids Powertools logs, and the integration's time limit. */
export function localLambdaContext(requestId: string, functionName = 'webhook-relay-ingress-local'): Context {
  const deadline = Date.now() + INTEGRATION_TIMEOUT_MS;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
