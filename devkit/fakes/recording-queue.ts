import type { EncodedQueueMessage, QueueMessage } from '../../shared/envelope/queue-message';
import { type MessageQueue, QueueUnavailableError } from '../../shared/ports/message-queue';

/** A queue that keeps what it was given, and can be told to refuse. */
export class RecordingQueue implements MessageQueue {
  readonly sent: QueueMessage[] = [];

  /** The serialised form, exactly as an SQS adapter would have sent it. */
  readonly sentEncoded: EncodedQueueMessage[] = [];
  refuse = false;

  async sendAll(messages: readonly EncodedQueueMessage[]): Promise<void> {
    if (this.refuse) throw new QueueUnavailableError('test queue refuses', 0);
    this.sentEncoded.push(...messages);
    this.sent.push(...messages.map((encoded) => encoded.message));
  }
}
