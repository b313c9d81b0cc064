import { describe, expect, it } from 'vitest';
import { fromSqsRecord } from '../../../../functions/worker/sqs-record';
import { queueMessage } from '../../../support/queue-messages';
import { sqsRecord } from '../../../support/sqs-events';

describe('fromSqsRecord: the Lambda SQS record → the delivery core’s own message', () => {
  it('keeps the ids and the exact body, counts the receives and decodes the ingress attributes', () => {
    const record = sqsRecord(queueMessage('acme'), { receiveCount: 3 });
    expect(fromSqsRecord(record)).toEqual({
      messageId: record.messageId,
      receiptHandle: record.receiptHandle,
      body: record.body,
      receiveCount: 3,
      attributes: { partyId: 'acme', kind: 'activity' },
    });
  });

  it('adds the receives a message had before local mode re-queued it, and leaves missing labels out', () => {
    const record = sqsRecord('not json', { receiveCount: 2, attributes: { priorReceiveCount: '4' } });
    expect(fromSqsRecord(record)).toMatchObject({ body: 'not json', receiveCount: 6, attributes: {} });
  });
});
