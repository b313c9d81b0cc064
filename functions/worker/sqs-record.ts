import type { SQSRecord } from 'aws-lambda';
import { decodeQueueMessageAttributes } from '../../shared/envelope/queue-message';
import { receiveCountOf } from '../../shared/worker/receive-count';
import type { ReceivedMessage } from '../../shared/worker/received-message';

/** A Lambda SQS record → the message the delivery core takes. */
export function fromSqsRecord(record: SQSRecord): ReceivedMessage {
  return {
    messageId: record.messageId,
    receiptHandle: record.receiptHandle,
    body: record.body,
    receiveCount: receiveCountOf(record),
    attributes: decodeQueueMessageAttributes(record.messageAttributes),
  };
}
