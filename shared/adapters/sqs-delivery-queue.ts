import type { SQSMessageAttributes } from 'aws-lambda';
import type { AwsJsonClient } from '../aws/aws-json-client';
import { type DeadLetterAttributes, toMessageAttributes } from '../worker/dead-letter';
import type { DeliveryQueue } from '../worker/delivery-queue';

export type SqsDeliveryQueueOptions = {
  /** An SQS client (`createAwsJsonClient({ service: 'sqs' })`). */
  client: AwsJsonClient;
  /** The main queue (the worker's event source). */
  queueUrl: string;
  deadLetterQueueUrl: string;
};

/**
 * The worker's SQS calls: DeleteMessageBatch (delivered), ChangeMessageVisibility and SendMessage (a
 * deferred copy) on the main queue, SendMessage to the DLQ.
 */
export class SqsDeliveryQueue implements DeliveryQueue {
  readonly #client: AwsJsonClient;
  readonly #queueUrl: string;
  readonly #deadLetterQueueUrl: string;

  constructor(options: SqsDeliveryQueueOptions) {
    this.#client = options.client;
    this.#queueUrl = options.queueUrl;
    this.#deadLetterQueueUrl = options.deadLetterQueueUrl;
  }

  async deleteMessages(receiptHandles: readonly string[]): Promise<string[]> {
    const { Failed = [] } = await this.#client.call<{ Failed?: { Id: string }[] }>('DeleteMessageBatch', {
      QueueUrl: this.#queueUrl,
      Entries: receiptHandles.map((receiptHandle, index) => ({
        Id: String(index),
        ReceiptHandle: receiptHandle,
      })),
    });
    return Failed.map((entry) => receiptHandles[Number(entry.Id)]).filter((handle) => handle !== undefined);
  }

  async changeVisibility(receiptHandle: string, seconds: number): Promise<void> {
    await this.#client.call('ChangeMessageVisibility', {
      QueueUrl: this.#queueUrl,
      ReceiptHandle: receiptHandle,
      VisibilityTimeout: seconds,
    });
  }

  async sendToDeadLetter(body: string, attributes: DeadLetterAttributes): Promise<void> {
    await this.#client.call('SendMessage', {
      QueueUrl: this.#deadLetterQueueUrl,
      MessageBody: body,
      MessageAttributes: toMessageAttributes(attributes),
    });
  }

  async requeue(copy: { body: string; messageAttributes: SQSMessageAttributes }, delaySeconds: number) {
    await this.#client.call('SendMessage', {
      QueueUrl: this.#queueUrl,
      MessageBody: copy.body,
      DelaySeconds: delaySeconds,
      MessageAttributes: toWireAttributes(copy.messageAttributes),
    });
  }
}

type WireAttribute = { DataType: string; StringValue?: string; BinaryValue?: string };

/**
 * Lambda's record attributes (camelCase) back into what SendMessage takes. Binary values stay base64:
 * that is how the JSON protocol carries blobs, and how Lambda hands them over.
 */
function toWireAttributes(attributes: SQSMessageAttributes): Record<string, WireAttribute> {
  const converted: Record<string, WireAttribute> = {};
  for (const [name, attribute] of Object.entries(attributes)) {
    if (attribute.stringValue !== undefined) {
      converted[name] = { DataType: attribute.dataType, StringValue: attribute.stringValue };
    } else if (attribute.binaryValue !== undefined) {
      converted[name] = { DataType: attribute.dataType, BinaryValue: attribute.binaryValue };
    }
  }
  return converted;
}
