import { describe, expect, it } from 'vitest';
import { SqsMessageQueue } from '../../../shared/adapters/sqs-message-queue';
import { AwsServiceError } from '../../../shared/aws/aws-json-client';
import { type EncodedQueueMessage, encodeQueueMessage } from '../../../shared/envelope/queue-message';
import { QueueUnavailableError } from '../../../shared/ports/message-queue';
import { type RecordedCall, recordingAwsClient } from '../../support/recording-aws-client';

const messages = (count: number): EncodedQueueMessage[] =>
  Array.from({ length: count }, (_, index) =>
    encodeQueueMessage({
      v: 1,
      id: `m-${index}`,
      partyId: 'p',
      kind: 'activity',
      payload: { Title: `t${index}` },
      eventId: 'e',
      event: 'x',
      receivedAt: '2026-11-23T12:00:00.000Z',
      correlationId: 'c',
    }),
  );

const entries = (call: RecordedCall | undefined) =>
  call?.input.Entries as { Id: string; MessageBody: string; MessageAttributes: unknown }[];

function queue(answer?: Parameters<typeof recordingAwsClient>[0]) {
  const client = recordingAwsClient(answer);
  return { client, queue: new SqsMessageQueue({ client, queueUrl: 'https://q' }) };
}

describe('SqsMessageQueue', () => {
  it('sends in chunks of 10 with the fixed message attributes', async () => {
    const { client, queue: sqs } = queue(() => ({ Successful: [] }));
    await sqs.sendAll(messages(23));
    expect(client.calls.map((call) => call.operation)).toEqual(Array(3).fill('SendMessageBatch'));
    expect(client.calls.map((call) => entries(call).length)).toEqual([10, 10, 3]);
    expect(client.calls[0]?.input.QueueUrl).toBe('https://q');
    const first = entries(client.calls[0])[0];
    expect(JSON.parse(first?.MessageBody ?? '')).toMatchObject({ v: 1, id: 'm-0' });
    expect(first?.MessageAttributes).toEqual({
      partyId: { DataType: 'String', StringValue: 'p' },
      kind: { DataType: 'String', StringValue: 'activity' },
    });
  });

  it('resends only the entries SQS refused', async () => {
    const { client, queue: sqs } = queue((_call, index) =>
      index === 0 ? { Failed: [{ Id: '1', Code: 'InternalError', SenderFault: false }] } : {},
    );
    await sqs.sendAll(messages(3));
    expect(client.calls).toHaveLength(2);
    expect(entries(client.calls[1]).map((entry) => entry.Id)).toEqual(['1']);
  });

  it('fails when an entry keeps being refused, saying how many were queued', async () => {
    const { queue: sqs } = queue(() => ({
      Failed: [{ Id: '0', Code: 'InternalError', SenderFault: false }],
    }));
    const error = await sqs.sendAll(messages(2)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(QueueUnavailableError);
    expect((error as QueueUnavailableError).queuedCount).toBe(1);
  });

  it('fails at once on a sender fault and when the call itself fails, naming the error code', async () => {
    const refused = queue(() => ({
      Failed: [{ Id: '0', Code: 'InvalidParameterValue', SenderFault: true }],
    }));
    await expect(refused.queue.sendAll(messages(1))).rejects.toThrow(/InvalidParameterValue/);
    expect(refused.client.calls).toHaveLength(1);
    const down = queue(() => {
      throw new AwsServiceError({
        call: 'SQS SendMessageBatch',
        code: 'ServiceUnavailable',
        statusCode: 503,
        retryable: true,
        details: {},
      });
    });
    const error = await down.queue.sendAll(messages(1)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(QueueUnavailableError);
    expect((error as Error).message).toBe('the queue refused the messages (ServiceUnavailable)');
    expect((error as Error).cause).toBeInstanceOf(AwsServiceError);
  });
});
