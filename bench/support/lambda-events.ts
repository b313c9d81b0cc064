import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, SQSEvent, SQSRecord } from 'aws-lambda';
import { ACCESS_LOG_FORMAT } from '../../infra/constructs/webhook-http-api';
import type { PreparedRequest } from './webhooks';

/** The event API Gateway HTTP API (payload 2.0) hands the ingress function for a webhook. */
export function apiGatewayEvent(request: PreparedRequest): APIGatewayProxyEventV2 {
  const partyId = request.path.split('/').pop() ?? '';
  const now = new Date();
  return {
    version: '2.0',
    routeKey: 'POST /webhooks/{partyId}',
    rawPath: request.path,
    rawQueryString: '',
    headers: {
      ...request.headers,
      host: 'abc123.execute-api.us-east-1.amazonaws.com',
      'content-length': String(Buffer.byteLength(request.body)),
      'user-agent': 'bench-sender/1.0',
      'x-forwarded-for': '203.0.113.10',
    },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: {
        method: 'POST',
        path: request.path,
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.10',
        userAgent: 'bench-sender/1.0',
      },
      // API Gateway's form: 15 characters and `=` padding.
      requestId: `${randomUUID().replaceAll('-', '').slice(0, 15)}=`,
      routeKey: 'POST /webhooks/{partyId}',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    pathParameters: { partyId },
    body: request.body,
    isBase64Encoded: false,
  };
}

/** The event the SQS event source mapping hands the worker for received messages. */
export function sqsEvent(
  messages: {
    MessageId?: string;
    ReceiptHandle?: string;
    Body?: string;
    Attributes?: Record<string, string>;
  }[],
): SQSEvent {
  return {
    Records: messages.map((message): SQSRecord => {
      const body = message.Body ?? '';
      const parsed = JSON.parse(body) as { partyId?: string; kind?: string };
      return {
        messageId: message.MessageId ?? randomUUID(),
        receiptHandle: message.ReceiptHandle ?? '',
        body,
        attributes: {
          ApproximateReceiveCount: message.Attributes?.ApproximateReceiveCount ?? '1',
          SentTimestamp: message.Attributes?.SentTimestamp ?? String(Date.now()),
          SenderId: '123456789012',
          ApproximateFirstReceiveTimestamp: String(Date.now()),
        },
        messageAttributes: Object.fromEntries(
          Object.entries({ partyId: parsed.partyId ?? '', kind: parsed.kind ?? '' }).map(([key, value]) => [
            key,
            { stringValue: value, stringListValues: [], binaryListValues: [], dataType: 'String' },
          ]),
        ),
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:webhook-relay-queue',
        awsRegion: 'us-east-1',
      };
    }),
  };
}

/**
 * Bytes of the three lines Lambda writes per invocation in the function's log group (text format):
 * START, END and REPORT, with this invocation's figures.
 */
export function platformLineBytes(figures: {
  wallMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
}): number {
  const requestId = randomUUID();
  const duration = figures.wallMs.toFixed(2);
  const lines = [
    `START RequestId: ${requestId} Version: $LATEST\n`,
    `END RequestId: ${requestId}\n`,
    `REPORT RequestId: ${requestId}\tDuration: ${duration} ms\tBilled Duration: ${Math.ceil(figures.wallMs)} ms\tMemory Size: ${figures.memorySizeMb} MB\tMax Memory Used: ${figures.maxMemoryUsedMb} MB\t\n`,
  ];
  return lines.reduce((total, line) => total + Buffer.byteLength(line), 0);
}

/** Bytes of the API's access log line for one request (infra/constructs/webhook-http-api.ts format). */
export function accessLogLineBytes(request: PreparedRequest, status: number): number {
  const values: Record<string, string> = {
    '$context.requestId': 'Ab1CdEfGhIjKlMn=',
    '$context.identity.sourceIp': '203.0.113.10',
    '$context.path': request.path,
    '$context.status': String(status),
    '$context.responseLatency': '38',
    '$context.integrationErrorMessage': '-',
  };
  const line = ACCESS_LOG_FORMAT.replace(/\$context\.[A-Za-z.]+/g, (name) => values[name] ?? '-');
  return Buffer.byteLength(`${line}\n`);
}
