import { describe, expect, it } from 'vitest';
import { buildTimeline } from '../../../../functions/cli/trace/timeline';
import type { TraceRecord } from '../../../../shared/observability/trace-fields';
import { parseTraceRecord } from '../../../../shared/observability/trace-fields';

const event = { partyId: 'acme', eventId: 'evt-1', correlationId: 'c-1' };
const query = { by: 'event', partyId: 'acme', eventId: 'evt-1' } as const;
const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 10, 0, seconds)).toISOString();

describe('buildTimeline (pure)', () => {
  it('orders lines by time whatever order they arrive in, and the last attempt decides (redrive → delivered)', () => {
    const records: TraceRecord[] = [
      {
        timestamp: at(30),
        ...event,
        step: 'delivered',
        messageId: 'm1',
        receiveCount: 1,
        status: 200,
        activityIds: [7],
      },
      { timestamp: at(0), ...event, step: 'accepted', status: 202, messageIds: ['m1'] },
      {
        timestamp: at(1),
        ...event,
        step: 'dead_lettered',
        messageId: 'm1',
        receiveCount: 1,
        status: 400,
        reason: 'rejected',
      },
    ];
    const timeline = buildTimeline(records, query);
    expect(timeline.deliveries[0]?.attempts.map((attempt) => attempt.step)).toEqual([
      'dead_lettered',
      'delivered',
    ]);
    expect(timeline.outcome).toBe('delivered');
    expect(timeline.deliveries[0]?.end).toEqual({
      state: 'delivered',
      at: at(30),
      activityIds: [7],
      activityCount: 1,
    });
  });

  it('a retry that has not come back yet is in flight, with the time of the next attempt', () => {
    const timeline = buildTimeline(
      [
        { timestamp: at(0), ...event, step: 'accepted', status: 202, messageIds: ['m1', 'm2'] },
        { timestamp: at(1), ...event, step: 'delivered', messageId: 'm1', status: 200, activityIds: [1] },
        {
          timestamp: at(2),
          ...event,
          step: 'retry',
          messageId: 'm2',
          status: 429,
          retryInSeconds: 30,
          backoff: 'retry_after',
        },
      ],
      query,
    );
    expect(timeline.outcome).toBe('in_flight');
    expect(timeline.deliveries[1]?.end).toEqual({ state: 'in_flight', nextAttemptNotBefore: at(32) });
  });

  it('an accepted event without any worker line yet is in flight; one dead-lettered delivery of two is dead_lettered', () => {
    expect(
      buildTimeline(
        [{ timestamp: at(0), ...event, step: 'accepted', status: 202, messageIds: ['m1'] }],
        query,
      ).outcome,
    ).toBe('in_flight');
    const mixed = buildTimeline(
      [
        { timestamp: at(0), ...event, step: 'accepted', status: 202, messageIds: ['m1', 'm2'] },
        { timestamp: at(1), ...event, step: 'delivered', messageId: 'm1', activityIds: [1] },
        {
          timestamp: at(1),
          ...event,
          step: 'dead_lettered',
          messageId: 'm2',
          reason: 'retries_exhausted',
          status: 503,
        },
      ],
      query,
    );
    expect(mixed.outcome).toBe('dead_lettered');
    expect(mixed.deliveries[1]?.end).toMatchObject({
      state: 'dead_lettered',
      reason: 'retries_exhausted',
      status: 503,
    });
  });

  it('ingress-only outcomes: rejected, ignored, duplicate, and nothing found', () => {
    const only = (step: 'rejected' | 'ignored' | 'duplicate') =>
      buildTimeline([{ timestamp: at(0), ...event, step, status: step === 'rejected' ? 422 : 202 }], query)
        .outcome;
    expect(only('rejected')).toBe('rejected');
    expect(only('ignored')).toBe('ignored');
    expect(only('duplicate')).toBe('duplicate');
    expect(buildTimeline([], query).outcome).toBe('not_found');
  });

  it('parseTraceRecord keeps known fields with the right types only, and skips lines without a step', () => {
    expect(parseTraceRecord('{"timestamp":"t","message":"cold start"}')).toBeUndefined();
    expect(parseTraceRecord('not json')).toBeUndefined();
    expect(
      parseTraceRecord(
        JSON.stringify({
          timestamp: 't',
          step: 'retry',
          status: '500',
          receiveCount: 2,
          payload: { secret: 1 },
        }),
      ),
    ).toEqual({ timestamp: 't', step: 'retry', receiveCount: 2 });
  });
});
