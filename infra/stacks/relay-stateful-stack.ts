import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { RelayConfig } from '../../shared/config/relay-config';
import { AlarmTopic } from '../constructs/alarm-topic';
import { IdempotencyTable } from '../constructs/idempotency-table';
import { PollCheckpointTable } from '../constructs/poll-checkpoint-table';
import { RelayQueues } from '../constructs/relay-queues';

export interface RelayStatefulStackProps extends StackProps {
  /** The party configuration: `retry.maxReceives` sets the redrive policy. */
  readonly config: RelayConfig;
  /**
   * The worker function's timeout; the queue's visibility timeout is 6 × this.
   * @default Duration.seconds(60)
   */
  readonly workerTimeout?: Duration;
  /**
   * Deployment stage, shown as the sender of alarm e-mails so they say which stage fired.
   * @default - the topic's default display name
   */
  readonly stage?: string;
  /**
   * E-mail address subscribed to the alarm topic.
   * @default - no subscription
   */
  readonly alarmEmail?: string;
  /**
   * Protects the table against deletion outside CloudFormation (stack termination protection is the
   * StackProps `terminationProtection`).
   * @default false
   */
  readonly deletionProtection?: boolean;
}

/**
 * What outlives a deployment of code: the queue and DLQ (messages in flight), the idempotency table and
 * the alarm topic (confirmed subscriptions). Everything that holds data is retained when it leaves the
 * stack. Party secrets are not here: `relay party add` creates them under `webhook-relay/<stage>/`, so
 * no stack owns them, a thousand parties add no resource, and `destroy` + `deploy` finds them where they
 * were (docs/deploy.md).
 */
export class RelayStatefulStack extends Stack {
  readonly queue: IQueue;
  readonly deadLetterQueue: IQueue;
  /** The queue's visibility timeout, so the stateless stack can check it against the worker timeout. */
  readonly queueVisibilityTimeout: Duration;
  readonly idempotencyTable: ITable;
  /** The poller's checkpoints; only when a party is polled (docs/polling.md). */
  readonly checkpointTable: ITable | undefined;
  readonly alarmTopic: ITopic;

  constructor(scope: Construct, id: string, props: RelayStatefulStackProps) {
    super(scope, id, props);
    const queues = new RelayQueues(this, 'Queues', {
      maxReceiveCount: props.config.retry.maxReceives,
      workerTimeout: props.workerTimeout ?? Duration.seconds(60),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const dedup = new IdempotencyTable(this, 'Idempotency', {
      deletionProtection: props.deletionProtection ?? false,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const checkpoints = props.config.parties.some((party) => party.poll !== undefined)
      ? new PollCheckpointTable(this, 'PollCheckpoints', {
          deletionProtection: props.deletionProtection ?? false,
          removalPolicy: RemovalPolicy.RETAIN,
        })
      : undefined;
    const alarms = new AlarmTopic(this, 'Alarms', {
      ...(props.stage ? { displayName: `Webhook relay alarms (${props.stage})` } : {}),
      ...(props.alarmEmail ? { alarmEmail: props.alarmEmail } : {}),
    });

    this.queue = queues.queue;
    this.deadLetterQueue = queues.deadLetterQueue;
    this.queueVisibilityTimeout = queues.visibilityTimeout;
    this.idempotencyTable = dedup.table;
    this.checkpointTable = checkpoints?.table;
    this.alarmTopic = alarms.topic;

    new CfnOutput(this, 'QueueUrl', {
      value: queues.queue.queueUrl,
      description: 'Delivery queue (QUEUE_URL)',
    });
    new CfnOutput(this, 'DeadLetterQueueUrl', {
      value: queues.deadLetterQueue.queueUrl,
      description: 'Dead-letter queue (DLQ_URL for `npm run relay -- dlq ...`)',
    });
    new CfnOutput(this, 'IdempotencyTableName', { value: dedup.table.tableName });
    if (checkpoints) {
      new CfnOutput(this, 'CheckpointTableName', {
        value: checkpoints.table.tableName,
        description: 'Poll checkpoints (CHECKPOINT_TABLE_NAME for `npm run relay -- poll`)',
      });
    }
    new CfnOutput(this, 'AlarmTopicArn', {
      value: alarms.topic.topicArn,
      description: 'Subscribe on-call here',
    });
  }
}
