import type { SQSRecord } from 'aws-lambda';

/**
 * Local mode re-queues saved messages after a restart with the receives they had as this attribute, so
 * their retry budget carries over (functions/local/queue-state.ts writes it under the same name).
 */
export const PRIOR_RECEIVE_COUNT_ATTRIBUTE = 'priorReceiveCount';

/** How many times this message has been received, this receive included (at least 1). */
export function receiveCountOf(record: Pick<SQSRecord, 'attributes' | 'messageAttributes'>): number {
  const current = wholeNumber(record.attributes?.ApproximateReceiveCount) ?? 1;
  const prior = wholeNumber(record.messageAttributes?.[PRIOR_RECEIVE_COUNT_ATTRIBUTE]?.stringValue) ?? 0;
  return Math.max(1, current) + prior;
}

function wholeNumber(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}
