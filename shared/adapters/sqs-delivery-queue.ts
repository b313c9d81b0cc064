import type { SQSClient } from '@aws-sdk/client-sqs';
import { type DeadLetterAttributes, toMessageAttributes } from '../worker/dead-letter';
import type { DeliveryQueue } from '../worker/delivery-queue';

type SqsSdk = typeof import('@aws-sdk/client-sqs');

export type SqsDeliveryQueueOptions = {
  /**
   * The client, or how to build it from the SDK module on first use. A delivery that succeeds never
   * calls SQS (only a retry or a dead letter does), so the Lambda worker passes a function and its cold
   * start does not load the SQS client.
   */
  client: SQSClient | ((sdk: SqsSdk) => SQSClient);
  /** The main queue (the worker's event source). */
  queueUrl: string;
  deadLetterQueueUrl: string;
};

/** The worker's SQS calls: ChangeMessageVisibility on the main queue, SendMessage to the DLQ. */
export class SqsDeliveryQueue implements DeliveryQueue {
  readonly #client: SqsDeliveryQueueOptions['client'];
  readonly #queueUrl: string;
  readonly #deadLetterQueueUrl: string;
  #sqs: Promise<{ sdk: SqsSdk; client: SQSClient }> | undefined;

  constructor(options: SqsDeliveryQueueOptions) {
    this.#client = options.client;
    this.#queueUrl = options.queueUrl;
    this.#deadLetterQueueUrl = options.deadLetterQueueUrl;
  }

  async changeVisibility(receiptHandle: string, seconds: number): Promise<void> {
    const { sdk, client } = await this.#loaded();
    await client.send(
      new sdk.ChangeMessageVisibilityCommand({
        QueueUrl: this.#queueUrl,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: seconds,
      }),
    );
  }

  async sendToDeadLetter(body: string, attributes: DeadLetterAttributes): Promise<void> {
    const { sdk, client } = await this.#loaded();
    await client.send(
      new sdk.SendMessageCommand({
        QueueUrl: this.#deadLetterQueueUrl,
        MessageBody: body,
        MessageAttributes: toMessageAttributes(attributes),
      }),
    );
  }

  /** The SDK module and the client, loaded once; a failed load is retried by the next call. */
  #loaded(): Promise<{ sdk: SqsSdk; client: SQSClient }> {
    this.#sqs ??= import('@aws-sdk/client-sqs')
      .then((sdk) => {
        const client = this.#client;
        return { sdk, client: typeof client === 'function' ? client(sdk) : client };
      })
      .catch((error: unknown) => {
        this.#sqs = undefined;
        throw error;
      });
    return this.#sqs;
  }
}
