import type { EncodedQueueMessage } from '../envelope/queue-message';

/** Where ingress puts accepted deliveries. */
export interface MessageQueue {
  /**
   * Queues every message or throws `QueueUnavailableError`. Implementations retry entries the queue
   * refused; a resolved promise means all of them are on the queue. Messages come serialised
   * (`encodeQueueMessage`), so what was size-checked is exactly what is sent.
   */
  sendAll(messages: readonly EncodedQueueMessage[]): Promise<void>;
}

export class QueueUnavailableError extends Error {
  override readonly name = 'QueueUnavailableError';
  constructor(
    message: string,
    /** How many of the messages are known to be on the queue despite the failure. */
    readonly queuedCount: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
