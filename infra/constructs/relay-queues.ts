import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { QUEUE_RETENTION_SECONDS } from '../../shared/retry/schedule';

/** SQS allows a message to live at most 14 days. */
const MAX_RETENTION = Duration.days(14);

export interface RelayQueuesProps {
  /**
   * Receives before SQS moves a message to the DLQ (the party config's `retry.maxReceives`). The worker
   * dead-letters on the final receive itself, with a reason; this redrive policy is the backstop for crashes.
   */
  readonly maxReceiveCount: number;
  /**
   * The worker function's timeout. The queue's visibility timeout is derived from it (AWS guidance:
   * at least 6 × the function timeout, so a batch that is retried by Lambda is not received twice).
   * @default Duration.seconds(60)
   */
  readonly workerTimeout?: Duration;
  /**
   * How long an undelivered message stays on the main queue: longer than the retry schedule plus the time
   * a message may wait behind an open circuit breaker (the config refuses schedules that would not fit;
   * docs/outage.md).
   * @default Duration.days(7)
   */
  readonly retentionPeriod?: Duration;
  /**
   * How long a dead-lettered message waits for an operator. SQS keeps the original enqueue time when it
   * moves a message, so this must be longer than the main queue's retention.
   * @default Duration.days(14)
   */
  readonly deadLetterRetentionPeriod?: Duration;
  /**
   * What happens to the queues (and the messages in them) when they leave the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The delivery queue and its dead-letter queue: standard queues, SQS-managed server-side encryption,
 * TLS-only access policies, and a redrive policy after `maxReceiveCount` receives.
 *
 * Encryption is SSE-SQS rather than a customer-managed KMS key: the bodies are encrypted at rest with
 * no key policy to maintain, no KMS request charges per message, and no kms:* permission on either
 * function. A CMK would only add value for cross-account access or key-level audit, which the relay
 * does not need.
 */
export class RelayQueues extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly visibilityTimeout: Duration;

  constructor(scope: Construct, id: string, props: RelayQueuesProps) {
    super(scope, id);
    if (
      !Number.isInteger(props.maxReceiveCount) ||
      props.maxReceiveCount < 1 ||
      props.maxReceiveCount > 1000
    ) {
      throw new Error(`maxReceiveCount must be an integer from 1 to 1000, got ${props.maxReceiveCount}`);
    }
    const workerTimeout = props.workerTimeout ?? Duration.seconds(60);
    const retentionPeriod = props.retentionPeriod ?? Duration.seconds(QUEUE_RETENTION_SECONDS);
    const deadLetterRetentionPeriod = props.deadLetterRetentionPeriod ?? MAX_RETENTION;
    if (deadLetterRetentionPeriod.toSeconds() <= retentionPeriod.toSeconds()) {
      throw new Error('deadLetterRetentionPeriod must be longer than retentionPeriod');
    }
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.visibilityTimeout = Duration.seconds(6 * workerTimeout.toSeconds());

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: deadLetterRetentionPeriod,
      removalPolicy,
    });

    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod,
      visibilityTimeout: this.visibilityTimeout,
      // Long polling is what the Lambda poller uses anyway; it also makes the CLI's receives cheaper.
      receiveMessageWaitTime: Duration.seconds(20),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
      removalPolicy,
    });
  }
}
