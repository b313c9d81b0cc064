import { describe, expect, it } from 'vitest';
import {
  type DeadLetterAttributes,
  fromMessageAttributes,
  MAX_ERROR_MESSAGE_LENGTH,
  toMessageAttributes,
} from '../../../shared/worker/dead-letter';

describe('dead-letter attributes', () => {
  it('round-trip through SQS message attributes, numbers as Number, at most 10', () => {
    const attributes: DeadLetterAttributes = {
      reason: 'rejected',
      errorMessage: 'Title: Title is required',
      attempts: 2,
      failedAt: '2026-01-01T00:00:00.000Z',
      status: 400,
      partyId: 'acme',
      kind: 'activity',
      sourceMessageId: 'sqs-1',
    };
    const sqs = toMessageAttributes(attributes);
    expect(Object.keys(sqs).length).toBeLessThanOrEqual(10);
    expect(sqs.status).toEqual({ DataType: 'Number', StringValue: '400' });
    expect(fromMessageAttributes(sqs)).toEqual(attributes);
  });

  it('leaves out what is unknown and shortens long error messages', () => {
    const sqs = toMessageAttributes({
      reason: 'retries_exhausted',
      errorMessage: 'x'.repeat(5000),
      attempts: 10,
      failedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(Object.keys(sqs).sort()).toEqual(['attempts', 'errorMessage', 'failedAt', 'reason']);
    expect(sqs.errorMessage?.StringValue).toHaveLength(MAX_ERROR_MESSAGE_LENGTH);
  });

  it('reads nothing from a message SQS moved itself', () => {
    expect(fromMessageAttributes(undefined)).toEqual({});
    expect(fromMessageAttributes({ reason: { StringValue: 'made-up' } })).toEqual({});
  });
});
