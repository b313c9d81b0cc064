import { describe, expect, it } from 'vitest';
import { SqsDeliveryQueue } from '../../../shared/adapters/sqs-delivery-queue';
import { recordingAwsClient } from '../../support/recording-aws-client';

const urls = { queueUrl: 'https://q', deadLetterQueueUrl: 'https://dlq' };

describe('SqsDeliveryQueue', () => {
  it('changes visibility on the main queue and dead-letters with the reason attributes', async () => {
    const client = recordingAwsClient();
    const queue = new SqsDeliveryQueue({ client, ...urls });
    await queue.changeVisibility('rh-1', 30);
    await queue.sendToDeadLetter('{"v":1}', {
      reason: 'rejected',
      errorMessage: 'Title is required',
      attempts: 1,
      failedAt: '2026-11-23T12:00:00.000Z',
      sourceMessageId: 'm-0',
    });

    expect(client.calls[0]).toEqual({
      operation: 'ChangeMessageVisibility',
      input: { QueueUrl: 'https://q', ReceiptHandle: 'rh-1', VisibilityTimeout: 30 },
    });
    expect(client.calls[1]?.operation).toBe('SendMessage');
    expect(client.calls[1]?.input).toMatchObject({ QueueUrl: 'https://dlq', MessageBody: '{"v":1}' });
    expect(client.calls[1]?.input.MessageAttributes).toMatchObject({
      reason: { DataType: 'String', StringValue: 'rejected' },
      attempts: { DataType: 'Number', StringValue: '1' },
    });
  });

  it('requeues a copy with its delay and the record’s attributes, binary ones still base64', async () => {
    const client = recordingAwsClient();
    await new SqsDeliveryQueue({ client, ...urls }).requeue(
      {
        body: '{"v":1}',
        messageAttributes: {
          partyId: { dataType: 'String', stringValue: 'acme', stringListValues: [], binaryListValues: [] },
          blob: { dataType: 'Binary', binaryValue: 'AAEC', stringListValues: [], binaryListValues: [] },
        },
      },
      120,
    );
    expect(client.calls).toEqual([
      {
        operation: 'SendMessage',
        input: {
          QueueUrl: 'https://q',
          MessageBody: '{"v":1}',
          DelaySeconds: 120,
          MessageAttributes: {
            partyId: { DataType: 'String', StringValue: 'acme' },
            blob: { DataType: 'Binary', BinaryValue: 'AAEC' },
          },
        },
      },
    ]);
  });
});
