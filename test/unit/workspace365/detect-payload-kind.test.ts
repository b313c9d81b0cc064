import { describe, expect, it } from 'vitest';
import { detectPayloadKind, validatePayload } from '../../../shared/workspace365/validate';

describe('detectPayloadKind', () => {
  it.each([
    [{ User: { Id: 1 }, Title: 't' }, 'activity'],
    [{ user: { upn: 'a@example.com' }, title: 't' }, 'activity'],
    [{ Scope: { Kind: 0 }, Data: { Title: 't' } }, 'batch'],
    [{ scope: { kind: 0 }, data: { title: 't' } }, 'batch'],
    [{ SCOPE: { Kind: 0 } }, 'batch'],
    [{ Data: { Title: 't' } }, 'batch'],
  ])('detects %j as %s', (body, kind) => {
    expect(detectPayloadKind(body)).toBe(kind);
  });

  it('prefers batch when a body has both shapes, so the stricter batch rules reject the stray User', () => {
    const body = { User: { Id: 1 }, Scope: { Kind: 0 }, Data: { Title: 't' } };
    expect(detectPayloadKind(body)).toBe('batch');
    expect(validatePayload('batch', body)).toEqual({
      ok: false,
      fieldErrors: { User: { message: 'is not a known field' } },
    });
  });

  it.each([[{ Title: 't' }], [{}], [[{ User: { Id: 1 } }]], [null], ['User'], [42], [undefined]])(
    'returns undefined for %j, which is neither',
    (body) => {
      expect(detectPayloadKind(body)).toBeUndefined();
    },
  );
});
