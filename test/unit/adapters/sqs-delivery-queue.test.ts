import { ChangeMessageVisibilityCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SqsDeliveryQueue } from '../../../shared/adapters/sqs-delivery-queue';

const sqs = mockClient(SQSClient);
afterEach(() => sqs.reset());

const urls = { queueUrl: 'https://q', deadLetterQueueUrl: 'https://dlq' };

describe('SqsDeliveryQueue', () => {
  it('builds a lazy client once, on the first call, and sends both operations with it', async () => {
    sqs.on(ChangeMessageVisibilityCommand).resolves({});
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    const clients: SQSClient[] = [];
    const factory = vi.fn(({ SQSClient: Client }: typeof import('@aws-sdk/client-sqs')) => {
      const client = new Client({ region: 'eu-west-1' });
      clients.push(client);
      return client;
    });
    const queue = new SqsDeliveryQueue({ client: factory, ...urls });
    // Building the queue (the worker's cold start) builds no client.
    expect(factory).not.toHaveBeenCalled();

    await Promise.all([queue.changeVisibility('rh-1', 30), queue.changeVisibility('rh-2', 60)]);
    await queue.sendToDeadLetter('{"v":1}', {
      reason: 'rejected',
      errorMessage: 'Title is required',
      attempts: 1,
      failedAt: '2026-11-23T12:00:00.000Z',
      sourceMessageId: 'm-0',
    });

    expect(factory).toHaveBeenCalledTimes(1);
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand).map((call) => call.args[0].input)).toEqual([
      { QueueUrl: 'https://q', ReceiptHandle: 'rh-1', VisibilityTimeout: 30 },
      { QueueUrl: 'https://q', ReceiptHandle: 'rh-2', VisibilityTimeout: 60 },
    ]);
    const [deadLetter] = sqs.commandCalls(SendMessageCommand);
    expect(deadLetter?.args[0].input).toMatchObject({ QueueUrl: 'https://dlq', MessageBody: '{"v":1}' });
    expect(deadLetter?.args[0].input.MessageAttributes?.reason).toEqual({
      DataType: 'String',
      StringValue: 'rejected',
    });
    expect(sqs.calls().every((call) => clients.includes(call.thisValue as SQSClient))).toBe(true);
  });

  it('tries again on the next call when building the client failed', async () => {
    sqs.on(ChangeMessageVisibilityCommand).resolves({});
    const factory = vi
      .fn<(sdk: typeof import('@aws-sdk/client-sqs')) => SQSClient>()
      .mockImplementationOnce(() => {
        throw new Error('no region');
      })
      .mockImplementation((sdk) => new sdk.SQSClient({ region: 'eu-west-1' }));
    const queue = new SqsDeliveryQueue({ client: factory, ...urls });

    await expect(queue.changeVisibility('rh-1', 30)).rejects.toThrow('no region');
    await queue.changeVisibility('rh-1', 30);
    expect(factory).toHaveBeenCalledTimes(2);
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand)).toHaveLength(1);
  });

  it('uses a client it is given as it is', async () => {
    sqs.on(ChangeMessageVisibilityCommand).resolves({});
    const client = new SQSClient({ region: 'eu-west-1' });
    await new SqsDeliveryQueue({ client, ...urls }).changeVisibility('rh-1', 5);
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand)[0]?.thisValue).toBe(client);
  });
});
