import type { MessageAttributeValue, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSMessageAttributes } from 'aws-lambda';
import { type DeadLetterAttributes, toMessageAttributes } from '../worker/dead-letter';
import type { DeliveryQueue } from '../worker/delivery-queue';

type SqsSdk = typeof import('@aws-sdk/client-sqs');

export type SqsDeliveryQueueOptions = {
  /**
   * The client, or how to build it from the SDK module on first use, so the Lambda worker's cold start
   * does not load the SQS client.
   */
  client: SQSClient | ((sdk: SqsSdk) => SQSClient);
  /** The main queue (the worker's event source). */
  queueUrl: string;
  deadLetterQueueUrl: string;
};

/**
 * The worker's SQS calls: DeleteMessageBatch (delivered), ChangeMessageVisibility and SendMessage (a
 * deferred copy) on the main queue, SendMessage to the DLQ.
 */
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

  async deleteMessages(receiptHandles: readonly string[]): Promise<string[]> {
    const { sdk, client } = await this.#loaded();
    const { Failed = [] } = await client.send(
      new sdk.DeleteMessageBatchCommand({
        QueueUrl: this.#queueUrl,
        Entries: receiptHandles.map((receiptHandle, index) => ({
          Id: String(index),
          ReceiptHandle: receiptHandle,
        })),
      }),
    );
    return Failed.map((entry) => receiptHandles[Number(entry.Id)]).filter((handle) => handle !== undefined);
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

  async requeue(copy: { body: string; messageAttributes: SQSMessageAttributes }, delaySeconds: number) {
    const { sdk, client } = await this.#loaded();
    await client.send(
      new sdk.SendMessageCommand({
        QueueUrl: this.#queueUrl,
        MessageBody: copy.body,
        DelaySeconds: delaySeconds,
        MessageAttributes: toSdkAttributes(copy.messageAttributes),
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

/** Lambda's record attributes (camelCase, binary as base64) back into what SendMessage takes. */
function toSdkAttributes(attributes: SQSMessageAttributes): Record<string, MessageAttributeValue> {
  const converted: Record<string, MessageAttributeValue> = {};
  for (const [name, attribute] of Object.entries(attributes)) {
    if (attribute.stringValue !== undefined) {
      converted[name] = { DataType: attribute.dataType, StringValue: attribute.stringValue };
    } else if (attribute.binaryValue !== undefined) {
      converted[name] = {
        DataType: attribute.dataType,
        BinaryValue: Buffer.from(attribute.binaryValue, 'base64'),
      };
    }
  }
  return converted;
}
