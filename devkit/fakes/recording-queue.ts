import type { QueueMessage } from '../../shared/envelope/queue-message';
import { type MessageQueue, QueueUnavailableError } from '../../shared/ports/message-queue';

/** A queue that keeps what it was given, and can be told to refuse. */
export class RecordingQueue implements MessageQueue {
  readonly sent: QueueMessage[] = [];
  refuse = false;

  async sendAll(messages: readonly QueueMessage[]): Promise<void> {
    if (this.refuse) throw new QueueUnavailableError('test queue refuses', 0);
    this.sent.push(...messages);
  }
}
