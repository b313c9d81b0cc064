import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { failedIds, startSqsPoller, toRecord } from '../../../../devkit/sqs/sqs-poller';
import { sqsRecord } from '../../../support/sqs-events';

describe('poller: partial batch responses, as Lambda reads them', () => {
  const records = [sqsRecord('a'), sqsRecord('b'), sqsRecord('c')];
  const ids = records.map((record) => record.messageId);

  it('nothing failed when the response is empty', () => {
    expect(failedIds(undefined, records).size).toBe(0);
    expect(failedIds({}, records).size).toBe(0);
    expect(failedIds({ batchItemFailures: [] }, records).size).toBe(0);
  });

  it('exactly the reported records failed', () => {
    expect([...failedIds({ batchItemFailures: [{ itemIdentifier: ids[1] }] }, records)]).toEqual([ids[1]]);
  });

  it('the whole batch failed when an identifier is unknown or malformed', () => {
    expect(failedIds({ batchItemFailures: [{ itemIdentifier: 'other' }] }, records).size).toBe(3);
    expect(failedIds({ batchItemFailures: [{}] }, records).size).toBe(3);
    expect(failedIds({ batchItemFailures: 'nope' }, records).size).toBe(3);
  });
});

describe('poller: records in the Lambda shape', () => {
  it('maps an SDK message to a Lambda SQS record', () => {
    const record = toRecord(
      {
        MessageId: 'm-1',
        ReceiptHandle: 'rh-1',
        Body: '{}',
        MD5OfBody: 'md5',
        Attributes: { ApproximateReceiveCount: '2', SentTimestamp: '1700000000000' },
        MessageAttributes: { partyId: { DataType: 'String', StringValue: 'acme' } },
      },
      { arn: 'arn:aws:sqs:us-east-1:000000000000:q', region: 'us-east-1' },
    );
    expect(record).toEqual({
      messageId: 'm-1',
      receiptHandle: 'rh-1',
      body: '{}',
      attributes: { ApproximateReceiveCount: '2', SentTimestamp: '1700000000000' },
      messageAttributes: {
        partyId: { dataType: 'String', stringValue: 'acme', stringListValues: [], binaryListValues: [] },
      },
      md5OfBody: 'md5',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:q',
      awsRegion: 'us-east-1',
    });
  });
});

/**
 * A queue whose first receive hands out one message after `delayMs`, like a long poll that a message
 * arrives on. Like the SDK, a receive given an abort signal rejects when it fires — and the message it
 * was handed is then invisible on the real queue with nobody to handle it.
 */
function slowQueue(delayMs: number) {
  const deleted: string[] = [];
  let handedOut = false;
  const client = {
    send(command: unknown, options?: { abortSignal?: AbortSignal }) {
      if (command instanceof DeleteMessageBatchCommand) {
        deleted.push(...(command.input.Entries ?? []).map((entry) => entry.ReceiptHandle ?? ''));
        return Promise.resolve({});
      }
      if (!(command instanceof ReceiveMessageCommand)) return Promise.reject(new Error('unexpected command'));
      const messages: Message[] = handedOut ? [] : [{ MessageId: 'm-1', ReceiptHandle: 'rh-1', Body: '{}' }];
      handedOut = true;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => resolve({ Messages: messages }), delayMs);
        options?.abortSignal?.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
        });
      });
    },
  } as unknown as SQSClient;
  return { client, deleted };
}

describe('poller: stopping', () => {
  it('lets a receive in flight finish and handles what it brought, so no message is stranded invisible', async () => {
    const { client, deleted } = slowQueue(50);
    const handled: string[] = [];
    const poller = startSqsPoller({
      client,
      queueUrl: 'https://sqs.eu-west-1.amazonaws.com/000000000000/relay',
      waitTimeSeconds: 1,
      handler: async (event: SQSEvent) => {
        handled.push(...event.Records.map((record) => record.messageId));
        return { batchItemFailures: [] };
      },
      onError: () => {},
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    await poller.stop();
    expect(handled).toEqual(['m-1']);
    expect(deleted).toEqual(['rh-1']);
  });
});
