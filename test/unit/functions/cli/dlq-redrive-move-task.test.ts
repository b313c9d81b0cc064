import {
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { redriveDeadLetters } from '../../../../functions/cli/dlq/redrive';

const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/relay-queue';
const DLQ = 'https://sqs.eu-west-1.amazonaws.com/123456789012/relay-dlq';
const client = new SQSClient({
  region: 'eu-west-1',
  credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
});
const sqs = mockClient(client);
afterEach(() => sqs.reset());

describe('redrive in AWS: SQS StartMessageMoveTask (only when asked for with --move-task)', () => {
  it('starts a move task from the DLQ to the main queue and reports what it moved', async () => {
    sqs.on(GetQueueAttributesCommand, { QueueUrl: DLQ }).resolves({ Attributes: { QueueArn: 'arn:dlq' } });
    sqs
      .on(GetQueueAttributesCommand, { QueueUrl: QUEUE })
      .resolves({ Attributes: { QueueArn: 'arn:queue' } });
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-1' });
    sqs
      .on(ListMessageMoveTasksCommand)
      .resolvesOnce({
        Results: [{ TaskHandle: 'task-1', Status: 'RUNNING', ApproximateNumberOfMessagesMoved: 2 }],
      })
      .resolves({
        Results: [{ TaskHandle: 'task-1', Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 5 }],
      });

    const result = await redriveDeadLetters({
      client,
      queueUrl: QUEUE,
      dlqUrl: DLQ,
      method: 'move-task',
      pollIntervalMs: 1,
    });

    expect(result).toEqual({ method: 'move-task', moved: 5, status: 'COMPLETED', taskHandle: 'task-1' });
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)[0]?.args[0].input).toEqual({
      SourceArn: 'arn:dlq',
      DestinationArn: 'arn:queue',
    });
  });

  it('by default snapshots and moves with receive/send, never starting a move task', async () => {
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [] });
    const result = await redriveDeadLetters({ client, queueUrl: QUEUE, dlqUrl: DLQ });
    expect(result).toMatchObject({ method: 'receive-send', moved: 0 });
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)).toHaveLength(0);
    // The snapshot stays hidden long enough to be moved before any of it could be received again.
    expect(sqs.commandCalls(ReceiveMessageCommand)[0]?.args[0].input).toMatchObject({
      QueueUrl: DLQ,
      VisibilityTimeout: 900,
    });
  });

  it('refuses a filtered move task (it would move every party)', async () => {
    await expect(
      redriveDeadLetters({ client, queueUrl: QUEUE, dlqUrl: DLQ, partyId: 'acme', method: 'move-task' }),
    ).rejects.toThrow(/cannot filter/);
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)).toHaveLength(0);
  });
});
