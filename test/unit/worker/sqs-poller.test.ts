import { describe, expect, it } from 'vitest';
import { failedIds, toRecord } from '../../../functions/local/sqs-poller';
import { sqsRecord } from '../../support/sqs-events';

describe('poller: partial batch responses, as Lambda reads them', () => {
  const records = [sqsRecord('a'), sqsRecord('b'), sqsRecord('c')];
  const ids = records.map((record) => record.messageId);

  it('nothing failed when the response is empty', () => {
    expect(failedIds(undefined, records).size).toBe(0);
    expect(failedIds({}, records).size).toBe(0);
    expect(failedIds({ batchItemFailures: [] }, records).size).toBe(0);
  });

  it('exactly the reported records failed', () => {
    expect([...failedIds({ batchItemFailures: [{ itemIdentifier: ids[1] }] }, records)]).toEqual([ids[1]]);
  });

  it('the whole batch failed when an identifier is unknown or malformed', () => {
    expect(failedIds({ batchItemFailures: [{ itemIdentifier: 'other' }] }, records).size).toBe(3);
    expect(failedIds({ batchItemFailures: [{}] }, records).size).toBe(3);
    expect(failedIds({ batchItemFailures: 'nope' }, records).size).toBe(3);
  });
});

describe('poller: records in the Lambda shape', () => {
  it('maps an SDK message to a Lambda SQS record', () => {
    const record = toRecord(
      {
        MessageId: 'm-1',
        ReceiptHandle: 'rh-1',
        Body: '{}',
        MD5OfBody: 'md5',
        Attributes: { ApproximateReceiveCount: '2', SentTimestamp: '1700000000000' },
        MessageAttributes: { partyId: { DataType: 'String', StringValue: 'acme' } },
      },
      { arn: 'arn:aws:sqs:us-east-1:000000000000:q', region: 'us-east-1' },
    );
    expect(record).toEqual({
      messageId: 'm-1',
      receiptHandle: 'rh-1',
      body: '{}',
      attributes: { ApproximateReceiveCount: '2', SentTimestamp: '1700000000000' },
      messageAttributes: {
        partyId: { dataType: 'String', stringValue: 'acme', stringListValues: [], binaryListValues: [] },
      },
      md5OfBody: 'md5',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:q',
      awsRegion: 'us-east-1',
    });
  });
});
