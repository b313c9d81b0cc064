import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SqsMessageQueue } from '../../../shared/adapters/sqs-message-queue';
import { type EncodedQueueMessage, encodeQueueMessage } from '../../../shared/envelope/queue-message';
import { QueueUnavailableError } from '../../../shared/ports/message-queue';

const sqs = mockClient(SQSClient);
afterEach(() => sqs.reset());

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

const queue = () =>
  new SqsMessageQueue({ client: new SQSClient({ region: 'eu-west-1' }), queueUrl: 'https://q' });

describe('SqsMessageQueue', () => {
  it('sends in chunks of 10 with the fixed message attributes', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    await queue().sendAll(messages(23));
    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls.map((call) => call.args[0].input.Entries?.length)).toEqual([10, 10, 3]);
    const first = calls[0]?.args[0].input.Entries?.[0];
    expect(JSON.parse(first?.MessageBody ?? '')).toMatchObject({ v: 1, id: 'm-0' });
    expect(first?.MessageAttributes).toEqual({
      partyId: { DataType: 'String', StringValue: 'p' },
      kind: { DataType: 'String', StringValue: 'activity' },
    });
  });

  it('resends only the entries SQS refused', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Failed: [{ Id: '1', Code: 'InternalError', SenderFault: false }] })
      .resolves({ Failed: [] });
    await queue().sendAll(messages(3));
    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.args[0].input.Entries?.map((entry) => entry.Id)).toEqual(['1']);
  });

  it('fails when an entry keeps being refused, saying how many were queued', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolves({ Failed: [{ Id: '0', Code: 'InternalError', SenderFault: false }] });
    const error = await queue()
      .sendAll(messages(2))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(QueueUnavailableError);
    expect((error as QueueUnavailableError).queuedCount).toBe(1);
  });

  it('fails at once on a sender fault and when the call itself fails', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolves({ Failed: [{ Id: '0', Code: 'InvalidParameterValue', SenderFault: true }] });
    await expect(queue().sendAll(messages(1))).rejects.toThrow(/InvalidParameterValue/);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(1);
    sqs.reset();
    sqs.on(SendMessageBatchCommand).rejects(Object.assign(new Error('down'), { name: 'ServiceUnavailable' }));
    await expect(queue().sendAll(messages(1))).rejects.toBeInstanceOf(QueueUnavailableError);
  });
});
