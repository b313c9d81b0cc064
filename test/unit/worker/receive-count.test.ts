import { describe, expect, it } from 'vitest';
import { receiveCountOf } from '../../../shared/worker/receive-count';
import { sqsRecord } from '../../support/sqs-events';

describe('receiveCountOf', () => {
  it('is SQS ApproximateReceiveCount plus the receives local mode carried over', () => {
    expect(receiveCountOf(sqsRecord('x', { receiveCount: 3 }))).toBe(3);
    expect(receiveCountOf(sqsRecord('x', { receiveCount: 2, attributes: { priorReceiveCount: '5' } }))).toBe(
      7,
    );
    expect(
      receiveCountOf(sqsRecord('x', { receiveCount: 1, attributes: { priorReceiveCount: 'junk' } })),
    ).toBe(1);
  });
});
