import { randomUUID } from 'node:crypto';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import type { QueueMessage } from '../../shared/envelope/queue-message';

/** An SQS record as Lambda hands it to the worker, for a queue message or a raw body. */
export function sqsRecord(
  message: QueueMessage | string,
  options: { receiveCount?: number; attributes?: Record<string, string> } = {},
): SQSRecord {
  const body = typeof message === 'string' ? message : JSON.stringify(message);
  const attributes =
    options.attributes ??
    (typeof message === 'string' ? {} : { partyId: message.partyId, kind: message.kind });
  return {
    messageId: randomUUID(),
    receiptHandle: `rh-${randomUUID()}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(options.receiveCount ?? 1),
      SentTimestamp: String(Date.now()),
      SenderId: '000000000000',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(attributes).map(([name, value]) => [
        name,
        { stringValue: value, stringListValues: [], binaryListValues: [], dataType: 'String' },
      ]),
    ),
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:relay-queue',
    awsRegion: 'eu-west-1',
  };
}

export function sqsEvent(records: SQSRecord[]): SQSEvent {
  return { Records: records };
}

export function lambdaContext(remainingMs = 30_000): Context {
  const unsupported = () => {
    throw new Error('not supported');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'webhook-relay-worker',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:webhook-relay-worker',
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/webhook-relay-worker',
    logStreamName: 'test',
    getRemainingTimeInMillis: () => remainingMs,
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}
