import type { DeadLetterAttributes } from './dead-letter';

/** The worker's own queue operations (the event source mapping does receive and delete). */
export interface DeliveryQueue {
  /** Hides a received message for `seconds` (0 … 43 200): this is how a retry waits without sleeping. */
  changeVisibility(receiptHandle: string, seconds: number): Promise<void>;
  /** Puts the body, unchanged, on the dead-letter queue with the reason as message attributes. */
  sendToDeadLetter(body: string, attributes: DeadLetterAttributes): Promise<void>;
}
