import { describe, expect, it } from 'vitest';
import {
  activityIdsOf,
  apiErrorOf,
  classifyResponse,
  isRetryableStatus,
} from '../../../shared/workspace365/delivery-outcome';

const now = new Date('2026-03-10T12:00:00.000Z');
const context = { latencyMs: 42, now };

describe('classifyResponse', () => {
  describe('2xx → delivered', () => {
    it('decodes the id of the documented single-activity body', () => {
      const body = { id: 916, user: { id: 1, upn: 'anna.devries@demo.example' } };
      expect(classifyResponse({ status: 200, body }, context)).toEqual({
        type: 'delivered',
        status: 200,
        activityIds: [916],
        latencyMs: 42,
      });
    });

    it('decodes every id of the documented batch body', () => {
      const body = [
        { id: 962, user: { id: 1, upn: 'a@x' } },
        { id: 963, user: { id: 2, upn: 'b@x' } },
      ];
      expect(classifyResponse({ status: 200, body }, context)).toMatchObject({
        type: 'delivered',
        activityIds: [962, 963],
      });
    });

    it.each([
      ['no body', undefined],
      ['a string', 'created'],
      ['an object without id', { ok: true }],
      ['a non-numeric id', { id: 'abc' }],
      ['an empty array', []],
    ])('is still delivered (with no ids) when the body is %s: the activity was created', (_name, body) => {
      expect(classifyResponse({ status: 200, body }, context)).toEqual({
        type: 'delivered',
        status: 200,
        activityIds: [],
        latencyMs: 42,
      });
    });

    it.each([201, 202, 204])('treats %i as delivered', (status) => {
      expect(classifyResponse({ status, body: undefined }, context).type).toBe('delivered');
    });
  });

  describe('401/403 → unauthorized', () => {
    it.each([401, 403] as const)('classifies %i as unauthorized, whatever the body', (status) => {
      expect(classifyResponse({ status, body: { globalError: { message: 'x' } } }, context)).toEqual({
        type: 'unauthorized',
        status,
        latencyMs: 42,
      });
    });
  });

  describe('408, 429, 5xx → retryable', () => {
    it.each([408, 429, 500, 502, 503, 504, 599])('classifies %i as retryable http', (status) => {
      expect(classifyResponse({ status, body: undefined }, context)).toEqual({
        type: 'retryable',
        status,
        reason: 'http',
        latencyMs: 42,
      });
    });

    it('carries Retry-After in delta-seconds', () => {
      expect(classifyResponse({ status: 429, body: undefined, retryAfter: '30' }, context)).toMatchObject({
        type: 'retryable',
        retryAfterSeconds: 30,
      });
    });

    it('carries Retry-After given as an HTTP-date, relative to now', () => {
      const retryAfter = new Date(now.getTime() + 90_000).toUTCString();
      expect(classifyResponse({ status: 503, body: undefined, retryAfter }, context)).toMatchObject({
        type: 'retryable',
        status: 503,
        retryAfterSeconds: 90,
      });
    });

    it('leaves retryAfterSeconds out when the header is garbage', () => {
      const outcome = classifyResponse({ status: 429, body: undefined, retryAfter: 'later' }, context);
      expect(outcome).not.toHaveProperty('retryAfterSeconds');
    });
  });

  describe('other statuses → rejected (permanent)', () => {
    it('keeps the documented 400 body with its field errors', () => {
      const body = {
        globalError: null,
        fieldErrors: { 'Actions[0].Title': { message: 'Title must be at most 32 characters' } },
      };
      expect(classifyResponse({ status: 400, body }, context)).toEqual({
        type: 'rejected',
        status: 400,
        error: body,
        latencyMs: 42,
      });
    });

    it.each([
      ['no body', undefined],
      ['HTML', '<html>Bad Request</html>'],
      ['an empty object', {}],
      ['both errors null', { globalError: null, fieldErrors: null }],
      ['fieldErrors of the wrong shape', { fieldErrors: { Title: 'required' } }],
    ])('replaces an undocumented 400 body (%s) with a global error saying so', (_name, body) => {
      expect(classifyResponse({ status: 400, body }, context)).toEqual({
        type: 'rejected',
        status: 400,
        error: { globalError: { message: 'Workspace 365 answered 400 with an undocumented body' } },
        latencyMs: 42,
      });
    });

    it('classifies 404 as rejected, hinting at the base URL and environment', () => {
      const outcome = classifyResponse({ status: 404, body: undefined }, context);
      expect(outcome).toMatchObject({ type: 'rejected', status: 404 });
      expect(outcome.type === 'rejected' && outcome.error.globalError?.message).toMatch(/404.*environment/);
    });

    it.each([405, 409, 410, 413, 415, 422])('classifies %i as rejected', (status) => {
      expect(classifyResponse({ status, body: undefined }, context)).toMatchObject({
        type: 'rejected',
        status,
      });
    });

    it('classifies a redirect as rejected: it is a configuration problem, not a passing one', () => {
      const outcome = classifyResponse({ status: 301, body: undefined }, context);
      expect(outcome).toMatchObject({ type: 'rejected', status: 301 });
      expect(outcome.type === 'rejected' && outcome.error.globalError?.message).toMatch(/redirect/);
    });
  });
});

describe('isRetryableStatus', () => {
  it('is true only for 408, 429 and 5xx', () => {
    const retryable = [200, 400, 401, 403, 404, 408, 409, 429, 499, 500, 503].filter(isRetryableStatus);
    expect(retryable).toEqual([408, 429, 500, 503]);
  });
});

describe('activityIdsOf', () => {
  it('skips entries without a whole-number id and keeps the rest in order', () => {
    expect(activityIdsOf([{ id: 3 }, null, { id: 1.5 }, { id: 7 }, 'x'])).toEqual([3, 7]);
  });
});

describe('apiErrorOf', () => {
  it('keeps a documented global error', () => {
    const body = { globalError: { message: 'The user does not exist' }, fieldErrors: null };
    expect(apiErrorOf(400, body)).toEqual(body);
  });
});
