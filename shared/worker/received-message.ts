/**
 * One queue message as the worker receives it, whatever delivered it: the Lambda SQS adapter
 * (functions/worker/sqs-record.ts) converts each record, tests build it directly. The delivery core needs
 * no more than this, so it does not depend on the Lambda event type.
 */
export type ReceivedMessage = {
  /** The queue's id for this message (logged, and kept on a dead letter as `sourceMessageId`). */
  messageId: string;
  /** Changes this message's visibility (the retry delay). */
  receiptHandle: string;
  /** Exactly the body as queued. */
  body: string;
  /** Receives so far, this one included (at least 1). */
  receiveCount: number;
  /** The ingress attributes (docs/architecture.md §6), when present: labels for logs if the body is unreadable. */
  attributes: { partyId?: string; kind?: string };
};
