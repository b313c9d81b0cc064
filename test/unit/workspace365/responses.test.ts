import { describe, expect, it } from 'vitest';
import {
  ActivityCreated,
  ApiErrorResponse,
  BatchActivityCreated,
} from '../../../shared/workspace365/responses';
import { validatePayload } from '../../../shared/workspace365/validate';

describe('ActivityCreated (200 of POST /api/activities)', () => {
  it('parses the documented example response', () => {
    const body = JSON.parse('{ "id": 916, "user": { "id": 1, "upn": "user@example.com" } }');
    expect(ActivityCreated.parse(body)).toEqual({ id: 916, user: { id: 1, upn: 'user@example.com' } });
  });

  it('keeps fields it does not know (Workspace 365 may add some)', () => {
    expect(ActivityCreated.parse({ id: 1, createdAt: '2025-01-01' })).toEqual({
      id: 1,
      createdAt: '2025-01-01',
    });
  });

  it.each([
    ['no id', { user: { id: 1 } }],
    ['a string id', { id: '916' }],
    ['a fractional id', { id: 9.5 }],
    ['a user id that is not a number', { id: 1, user: { id: 'one' } }],
  ])('rejects a body with %s', (_, body) => {
    expect(ActivityCreated.safeParse(body).success).toBe(false);
  });
});

describe('BatchActivityCreated (200 of POST /api/activities-batch)', () => {
  it('parses the documented example response: one entry per user', () => {
    const body = JSON.parse(
      '[{ "id": 962, "user": { "id": 1, "upn": "user@example.com" } }, { "id": 963, "user": { "id": 2 } }]',
    );
    expect(BatchActivityCreated.parse(body)).toEqual([
      { id: 962, user: { id: 1, upn: 'user@example.com' } },
      { id: 963, user: { id: 2 } },
    ]);
  });

  it('rejects a single object where a list is documented', () => {
    expect(BatchActivityCreated.safeParse({ id: 962 }).success).toBe(false);
  });
});

describe('ApiErrorResponse (the documented 400 body)', () => {
  it('parses a global error with null fieldErrors', () => {
    const body = { globalError: { message: 'The environment is inactive' }, fieldErrors: null };
    expect(ApiErrorResponse.parse(body)).toEqual(body);
  });

  it('parses field errors named as in the input, with a null globalError', () => {
    const body = JSON.parse(
      '{ "globalError": null, "fieldErrors": { "Title": { "message": "Title is required" }, "Actions[0].Title": { "message": "too long" } } }',
    );
    expect(ApiErrorResponse.parse(body).fieldErrors).toEqual({
      Title: { message: 'Title is required' },
      'Actions[0].Title': { message: 'too long' },
    });
  });

  it("parses the relay's own error body, which adds a code", () => {
    const body = { globalError: { message: 'bad signature', code: 'signature_invalid' } };
    expect(ApiErrorResponse.parse(body).globalError?.code).toBe('signature_invalid');
  });

  it('describes the field errors validatePayload produces', () => {
    const result = validatePayload('activity', { User: {}, Title: '', Foo: 1 });
    if (result.ok) throw new Error('expected a rejection');
    expect(ApiErrorResponse.safeParse({ fieldErrors: result.fieldErrors }).success).toBe(true);
  });

  it.each([
    ['a field error without a message', { fieldErrors: { Title: {} } }],
    ['a message that is not a string', { globalError: { message: 42 } }],
    ['fieldErrors as a list', { fieldErrors: [{ message: 'x' }] }],
  ])('rejects %s', (_, body) => {
    expect(ApiErrorResponse.safeParse(body).success).toBe(false);
  });
});
