import { randomUUID } from 'node:crypto';
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';

/** A Lambda SQS handler, as the event source mapping calls it; the response is read like Lambda reads it. */
export type SqsBatchHandler = (event: SQSEvent, context: Context) => Promise<unknown>;

export type SqsPollerOptions = {
  client: SQSClient;
  queueUrl: string;
  handler: SqsBatchHandler;
  /** Records per invocation (1–10). @default 10 */
  batchSize?: number;
  /** Long-poll wait of each ReceiveMessage (0–20). @default 20 */
  waitTimeSeconds?: number;
  /** Visibility timeout asked for on receive. @default the queue's own */
  visibilityTimeoutSeconds?: number;
  /** Poll loops running side by side, like concurrent Lambda invocations. @default 1 */
  concurrency?: number;
  /** What `context.getRemainingTimeInMillis()` counts down from. @default 60000 */
  functionTimeoutMs?: number;
  /** @default 'webhook-relay-worker' */
  functionName?: string;
  /** Receive/delete failures and handler crashes (nothing is deleted then). @default a console.error line */
  onError?: (error: unknown, during: 'receive' | 'invoke' | 'delete') => void;
};

export type SqsPoller = {
  /**
   * Stops polling and resolves once the batches being handled are settled (deleted or left). A receive
   * already in flight is let finish (within `waitTimeSeconds`) and its messages handled: cancelling it
   * would leave whatever the queue had handed out invisible until its visibility timeout.
   */
  stop(): Promise<void>;
};

/**
 * A local stand-in for Lambda's SQS event source mapping with partial batch responses: long-polls the
 * queue, hands the handler Lambda-shaped records, deletes the records that are not in
 * `batchItemFailures` (none when the handler throws, or when the response names an unknown record, as
 * Lambda does), and leaves failures to reappear after their visibility timeout.
 */
export function startSqsPoller(options: SqsPollerOptions): SqsPoller {
  const batchSize = options.batchSize ?? 10;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10) {
    throw new RangeError('batchSize must be a whole number from 1 to 10');
  }
  const source = queueIdentity(options.queueUrl);
  const functionName = options.functionName ?? 'webhook-relay-worker';
  const onError =
    options.onError ??
    ((error: unknown, during: string) =>
      console.error(
        `sqs poller: ${during} failed: ${error instanceof Error ? error.message : String(error)}`,
      ));
  // Ends the loops and the pause after a failed receive; never passed to a receive (see `stop`).
  const controller = new AbortController();

  async function pollLoop(): Promise<void> {
    while (!controller.signal.aborted) {
      let messages: Message[];
      try {
        const received = await options.client.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: batchSize,
            WaitTimeSeconds: options.waitTimeSeconds ?? 20,
            ...(options.visibilityTimeoutSeconds === undefined
              ? {}
              : { VisibilityTimeout: options.visibilityTimeoutSeconds }),
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
        );
        messages = received.Messages ?? [];
      } catch (error) {
        if (controller.signal.aborted) return;
        onError(error, 'receive');
        await pause(1000, controller.signal);
        continue;
      }
      // A batch already received is handled even when stopping, so it is not left invisible for nothing.
      if (messages.length > 0) await invoke(messages.map((message) => toRecord(message, source)));
    }
  }

  async function invoke(records: SQSRecord[]): Promise<void> {
    const deadline = Date.now() + (options.functionTimeoutMs ?? 60_000);
    let response: unknown;
    try {
      response = await options.handler(
        { Records: records },
        lambdaContext(functionName, source.region, deadline),
      );
    } catch (error) {
      onError(error, 'invoke');
      return;
    }
    const failed = failedIds(response, records);
    const done = records.filter((record) => !failed.has(record.messageId));
    if (done.length === 0) return;
    try {
      const result = await options.client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: options.queueUrl,
          Entries: done.map((record, index) => ({ Id: String(index), ReceiptHandle: record.receiptHandle })),
        }),
      );
      if (result.Failed?.length)
        onError(new Error(`${result.Failed.length} record(s) were not deleted`), 'delete');
    } catch (error) {
      onError(error, 'delete');
    }
  }

  const loops = Array.from({ length: Math.max(1, options.concurrency ?? 1) }, () => pollLoop());
  return {
    stop: async () => {
      controller.abort();
      await Promise.all(loops);
    },
  };
}

/**
 * The ids Lambda would leave on the queue. An empty or missing response means all succeeded; a malformed
 * one, or one naming a record that is not in the batch, fails the whole batch.
 */
export function failedIds(response: unknown, records: readonly SQSRecord[]): Set<string> {
  const all = new Set(records.map((record) => record.messageId));
  if (typeof response !== 'object' || response === null) return new Set();
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return all;
  const failed = new Set<string>();
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !all.has(id)) return all;
    failed.add(id);
  }
  return failed;
}

type QueueIdentity = { arn: string; region: string };

/** `https://sqs.<region>.amazonaws.com/<account>/<name>` (or an emulator's URL) → the queue's ARN. */
function queueIdentity(queueUrl: string): QueueIdentity {
  const url = new URL(queueUrl);
  const [account = '000000000000', name = 'queue'] = url.pathname.split('/').filter(Boolean);
  const region = /^sqs\.([a-z0-9-]+)\./.exec(url.hostname)?.[1] ?? 'us-east-1';
  return { arn: `arn:aws:sqs:${region}:${account}:${name}`, region };
}

/** A received message in the shape Lambda gives a handler (camelCase, attributes as strings). */
export function toRecord(message: Message, source: QueueIdentity): SQSRecord {
  const attributes = Object.fromEntries(
    Object.entries(message.Attributes ?? {}).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  ) as unknown as SQSRecord['attributes'];
  const messageAttributes: SQSMessageAttributes = {};
  for (const [name, attribute] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = {
      dataType: attribute.DataType ?? 'String',
      stringListValues: [],
      binaryListValues: [],
      ...(attribute.StringValue === undefined ? {} : { stringValue: attribute.StringValue }),
      ...(attribute.BinaryValue === undefined
        ? {}
        : { binaryValue: Buffer.from(attribute.BinaryValue).toString('base64') }),
    };
  }
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes,
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: source.arn,
    awsRegion: source.region,
  };
}

function lambdaContext(functionName: string, region: string, deadline: number): Context {
  const unsupported = () => {
    throw new Error('callback-style completion is not supported; return a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
