import { describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../../devkit/fakes/memory-secret-store';
import { SecretUnavailableError } from '../../../shared/ports/secret-store';
import { coalesceSecretReads } from '../../../shared/worker/coalesce-secret-reads';
import {
  type DeadLetterAttributes,
  fromMessageAttributes,
  MAX_ERROR_MESSAGE_LENGTH,
  toMessageAttributes,
} from '../../../shared/worker/dead-letter';
import { describeApiError } from '../../../shared/worker/error-summary';
import { createKeyedLimiter } from '../../../shared/worker/keyed-limiter';
import { receiveCountOf } from '../../../shared/worker/receive-count';
import { sqsRecord } from '../../support/sqs-events';

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

describe('describeApiError', () => {
  it('joins the global error and the field errors', () => {
    expect(
      describeApiError(400, {
        globalError: { message: 'Validation failed' },
        fieldErrors: { 'Data.Title': { message: 'Title is required' } },
      }),
    ).toBe('Validation failed | Data.Title: Title is required');
    expect(describeApiError(422, {})).toBe('Workspace 365 answered 422');
  });
});

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

describe('createKeyedLimiter', () => {
  it('caps work per key, runs other keys alongside, and hands slots over in order', async () => {
    const limiter = createKeyedLimiter(2);
    const order: string[] = [];
    let open = 0;
    let peak = 0;
    const task = (key: string, name: string) =>
      limiter.run(key, async () => {
        open++;
        peak = Math.max(peak, open);
        order.push(name);
        await new Promise((resolve) => setTimeout(resolve, 5));
        open--;
        return name;
      });
    const results = await Promise.all([task('a', 'a1'), task('a', 'a2'), task('a', 'a3'), task('b', 'b1')]);
    expect(results).toEqual(['a1', 'a2', 'a3', 'b1']);
    expect(order.slice(0, 3)).toEqual(['a1', 'a2', 'b1']);
    expect(peak).toBe(3); // two of a, one of b
  });

  it('releases the slot when the work fails', async () => {
    const limiter = createKeyedLimiter(1);
    await expect(limiter.run('a', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limiter.run('a', async () => 'next')).toBe('next');
  });
});

describe('coalesceSecretReads', () => {
  it('shares one read among concurrent callers, separately for cached and forced reads', async () => {
    const store = new MemorySecretStore({ s: { workspace365ApiKey: 'k', webhookSecrets: ['w'] } });
    const secrets = coalesceSecretReads(store);
    await Promise.all([secrets.get('s'), secrets.get('s'), secrets.get('s')]);
    await Promise.all([secrets.get('s', { forceFetch: true }), secrets.get('s', { forceFetch: true })]);
    expect(store.reads).toEqual([
      { secretName: 's', forceFetch: false },
      { secretName: 's', forceFetch: true },
    ]);
    await secrets.get('s');
    expect(store.reads).toHaveLength(3);
  });

  it('passes failures to every waiting caller and does not keep them', async () => {
    const store = new MemorySecretStore({});
    const secrets = coalesceSecretReads(store);
    const results = await Promise.allSettled([secrets.get('missing'), secrets.get('missing')]);
    expect(
      results.every(
        (result) => result.status === 'rejected' && result.reason instanceof SecretUnavailableError,
      ),
    ).toBe(true);
    store.put('missing', { workspace365ApiKey: 'k', webhookSecrets: ['w'] });
    expect((await secrets.get('missing')).workspace365ApiKey).toBe('k');
  });
});
