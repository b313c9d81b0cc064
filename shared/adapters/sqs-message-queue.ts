import type { AwsJsonClient } from '../aws/aws-json-client';
import type { EncodedQueueMessage } from '../envelope/queue-message';
import { type MessageQueue, QueueUnavailableError } from '../ports/message-queue';

/** SQS takes at most 10 entries per SendMessageBatch. */
const BATCH_LIMIT = 10;

type BatchEntry = { Id: string; MessageBody: string; MessageAttributes: EncodedQueueMessage['attributes'] };
type BatchOutput = { Failed?: { Id: string; Code?: string; SenderFault?: boolean }[] };

export type SqsMessageQueueOptions = {
  /** An SQS client (`createAwsJsonClient({ service: 'sqs' })`). */
  client: AwsJsonClient;
  queueUrl: string;
  /**
   * Rounds for entries SQS refused inside an otherwise successful batch call (the client already retries
   * whole calls on throttling and 5xx; per-entry failures are ours to resend). @default 3
   */
  entryAttempts?: number;
};

/**
 * Ingress's queue: SendMessageBatch in chunks of 10, resending refused entries, and failing loudly
 * (QueueUnavailableError) unless every message is on the queue.
 */
export class SqsMessageQueue implements MessageQueue {
  readonly #client: AwsJsonClient;
  readonly #queueUrl: string;
  readonly #entryAttempts: number;

  constructor(options: SqsMessageQueueOptions) {
    this.#client = options.client;
    this.#queueUrl = options.queueUrl;
    this.#entryAttempts = options.entryAttempts ?? 3;
  }

  async sendAll(messages: readonly EncodedQueueMessage[]): Promise<void> {
    let queued = 0;
    for (let start = 0; start < messages.length; start += BATCH_LIMIT) {
      const chunk = messages.slice(start, start + BATCH_LIMIT);
      queued += await this.#sendChunk(chunk.map(toEntry), queued);
    }
  }

  async #sendChunk(entries: BatchEntry[], queuedBefore: number): Promise<number> {
    let pending = entries;
    let lastFailure = '';
    for (let attempt = 1; attempt <= this.#entryAttempts && pending.length > 0; attempt++) {
      let response: BatchOutput;
      try {
        response = await this.#client.call<BatchOutput>('SendMessageBatch', {
          QueueUrl: this.#queueUrl,
          Entries: pending,
        });
      } catch (error) {
        throw new QueueUnavailableError(
          `the queue refused the messages (${(error as Error).name})`,
          queuedBefore + entries.length - pending.length,
          { cause: error },
        );
      }
      const failed = new Map((response.Failed ?? []).map((entry) => [entry.Id, entry]));
      const senderFault = [...failed.values()].find((entry) => entry.SenderFault);
      if (senderFault) {
        // A sender fault (e.g. too large) will not succeed on resend.
        throw new QueueUnavailableError(
          `the queue rejected a message (${senderFault.Code ?? 'unknown'})`,
          queuedBefore + entries.length - pending.length + (pending.length - failed.size),
        );
      }
      lastFailure = [...failed.values()].map((entry) => entry.Code ?? 'unknown').join(', ');
      pending = pending.filter((entry) => failed.has(entry.Id));
    }
    if (pending.length > 0) {
      throw new QueueUnavailableError(
        `the queue refused ${pending.length} message(s) after ${this.#entryAttempts} attempts (${lastFailure})`,
        queuedBefore + entries.length - pending.length,
      );
    }
    return entries.length;
  }
}

function toEntry(message: EncodedQueueMessage, index: number): BatchEntry {
  return { Id: String(index), MessageBody: message.body, MessageAttributes: message.attributes };
}
