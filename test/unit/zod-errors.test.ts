import { describe, expect, it } from 'vitest';
import * as z from '../../shared/zod';
import { fieldPath, toFieldErrors } from '../../shared/zod-errors';

describe('fieldPath', () => {
  it('names fields the way Workspace 365 does', () => {
    expect(fieldPath(['Data', 'Actions', 0, 'Title'])).toBe('Data.Actions[0].Title');
    expect(fieldPath(['Scope', 'Users', 3])).toBe('Scope.Users[3]');
  });

  it('puts a prefix in front', () => {
    expect(fieldPath(['Title'], 'payloads[1]')).toBe('payloads[1].Title');
    expect(fieldPath([0, 'Title'], 'items')).toBe('items[0].Title');
  });

  it('returns an empty name for the root', () => {
    expect(fieldPath([])).toBe('');
  });
});

describe('toFieldErrors', () => {
  it('joins several problems with one field, so none is hidden', () => {
    const schema = z.object({
      Title: z.string().check(
        z.refine((value) => value.length > 3, 'too short'),
        z.refine((value) => /^[A-Z]/.test(value), 'not capitalised'),
      ),
    });
    const parsed = schema.safeParse({ Title: 'ab' });
    if (parsed.success) throw new Error('expected a rejection');
    expect(toFieldErrors(parsed.error.issues)).toEqual({ Title: { message: 'too short; not capitalised' } });
  });

  it('lists each unknown key as its own field, and never quotes the offending value', () => {
    const parsed = z.strictObject({ Title: z.string() }).safeParse({ Title: 42, secretish: 'sk_live_value' });
    if (parsed.success) throw new Error('expected a rejection');
    const fieldErrors = toFieldErrors(parsed.error.issues);
    expect(fieldErrors.secretish).toEqual({ message: 'is not a known field' });
    expect(JSON.stringify(fieldErrors)).not.toContain('sk_live_value');
  });

  it('keeps field names that collide with Object.prototype as ordinary fields', () => {
    const parsed = z
      .strictObject({})
      .safeParse(JSON.parse('{"__proto__": 1, "constructor": 2, "toString": 3}'));
    if (parsed.success) throw new Error('expected a rejection');
    const fieldErrors = toFieldErrors(parsed.error.issues);
    expect(Object.keys(fieldErrors).sort()).toEqual(['__proto__', 'constructor', 'toString']);
    expect(Object.values(fieldErrors).every((error) => error.message === 'is not a known field')).toBe(true);
  });
});
