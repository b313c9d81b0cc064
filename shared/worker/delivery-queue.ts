import type { SQSMessageAttributes } from 'aws-lambda';
import type { DeadLetterAttributes } from './dead-letter';

/** The worker's own queue operations (the event source mapping does receive, and deletes what is left). */
export interface DeliveryQueue {
  /**
   * Deletes delivered messages right away instead of when the invocation returns (docs/cost.md): a batch
   * that fails later cannot bring them back. Resolves with the receipt handles the queue did not delete.
   */
  deleteMessages(receiptHandles: readonly string[]): Promise<string[]>;
  /** Hides a received message for `seconds` (0 … 43 200): this is how a retry waits without sleeping. */
  changeVisibility(receiptHandle: string, seconds: number): Promise<void>;
  /** Puts the body, unchanged, on the dead-letter queue with the reason as message attributes. */
  sendToDeadLetter(body: string, attributes: DeadLetterAttributes): Promise<void>;
  /**
   * Sends a copy of a received message back to the main queue, visible after `delaySeconds` (0 … 900):
   * how a delivery waits behind an open circuit breaker without spending a receive (docs/outage.md).
   */
  requeue(
    copy: { body: string; messageAttributes: SQSMessageAttributes },
    delaySeconds: number,
  ): Promise<void>;
}

/** SQS's longest DelaySeconds on SendMessage. */
export const MAX_REQUEUE_DELAY_SECONDS = 900;
