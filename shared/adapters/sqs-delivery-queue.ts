import { ChangeMessageVisibilityCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { type DeadLetterAttributes, toMessageAttributes } from '../worker/dead-letter';
import type { DeliveryQueue } from '../worker/delivery-queue';

export type SqsDeliveryQueueOptions = {
  client: SQSClient;
  /** The main queue (the worker's event source). */
  queueUrl: string;
  deadLetterQueueUrl: string;
};

/** The worker's SQS calls: ChangeMessageVisibility on the main queue, SendMessage to the DLQ. */
export class SqsDeliveryQueue implements DeliveryQueue {
  readonly #client: SQSClient;
  readonly #queueUrl: string;
  readonly #deadLetterQueueUrl: string;

  constructor(options: SqsDeliveryQueueOptions) {
    this.#client = options.client;
    this.#queueUrl = options.queueUrl;
    this.#deadLetterQueueUrl = options.deadLetterQueueUrl;
  }

  async changeVisibility(receiptHandle: string, seconds: number): Promise<void> {
    await this.#client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: this.#queueUrl,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: seconds,
      }),
    );
  }

  async sendToDeadLetter(body: string, attributes: DeadLetterAttributes): Promise<void> {
    await this.#client.send(
      new SendMessageCommand({
        QueueUrl: this.#deadLetterQueueUrl,
        MessageBody: body,
        MessageAttributes: toMessageAttributes(attributes),
      }),
    );
  }
}
