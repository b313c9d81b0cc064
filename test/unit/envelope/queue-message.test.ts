import { describe, expect, it } from 'vitest';
import {
  decodeQueueMessageAttributes,
  encodeQueueMessage,
  fitsQueue,
  MAX_QUEUE_MESSAGE_BYTES,
  QUEUE_MESSAGE_ATTRIBUTE_NAMES,
  type QueueMessage,
  RESEND_ATTRIBUTE_ROOM_BYTES,
} from '../../../shared/envelope/queue-message';

const message = (title: string): QueueMessage => ({
  v: 1,
  id: 'm-1',
  partyId: 'acme',
  kind: 'activity',
  payload: { Title: title },
  eventId: 'evt-1',
  event: 'deal.won',
  receivedAt: '2026-11-23T12:00:00.000Z',
  correlationId: 'c-1',
});

/** SQS's own count: the body plus each attribute's name, data type and value (UTF-8 bytes). */
function sqsSize(
  body: string,
  attributes: Record<string, { DataType: string; StringValue: string }>,
): number {
  let size = Buffer.byteLength(body);
  for (const [name, attribute] of Object.entries(attributes))
    size +=
      Buffer.byteLength(name) +
      Buffer.byteLength(attribute.DataType) +
      Buffer.byteLength(attribute.StringValue);
  return size;
}

describe('queue message: docs/architecture.md §6', () => {
  it('serialises once: the body is the JSON message, the attributes are partyId and kind', () => {
    const encoded = encodeQueueMessage(message('Deal won'));
    expect(JSON.parse(encoded.body)).toEqual(message('Deal won'));
    expect(encoded.attributes).toEqual({
      partyId: { DataType: 'String', StringValue: 'acme' },
      kind: { DataType: 'String', StringValue: 'activity' },
    });
    expect(Object.keys(encoded.attributes)).toEqual([...QUEUE_MESSAGE_ATTRIBUTE_NAMES]);
  });

  it('counts its size as SQS does, attributes and multi-byte characters included', () => {
    const encoded = encodeQueueMessage(message('Contract signé ✓ 🚀'));
    expect(encoded.bytes).toBe(sqsSize(encoded.body, encoded.attributes));
    expect(encoded.bytes).toBeGreaterThan(encoded.body.length);
  });

  it('fits the queue up to the limit less the room a re-send needs, and not one byte more', () => {
    const overhead = encodeQueueMessage(message('')).bytes;
    const limit = MAX_QUEUE_MESSAGE_BYTES - RESEND_ATTRIBUTE_ROOM_BYTES;
    expect(fitsQueue(encodeQueueMessage(message('x'.repeat(limit - overhead))))).toBe(true);
    expect(fitsQueue(encodeQueueMessage(message('x'.repeat(limit - overhead + 1))))).toBe(false);
  });

  it('decodes the attributes from an SDK message and from a Lambda record, leaving out empty ones', () => {
    expect(
      decodeQueueMessageAttributes({
        partyId: { StringValue: 'acme' },
        kind: { StringValue: 'batch' },
        reason: { StringValue: 'x' },
      }),
    ).toEqual({ partyId: 'acme', kind: 'batch' });
    expect(
      decodeQueueMessageAttributes({ partyId: { stringValue: 'acme' }, kind: { stringValue: '' } }),
    ).toEqual({
      partyId: 'acme',
    });
    expect(decodeQueueMessageAttributes(undefined)).toEqual({});
  });
});
