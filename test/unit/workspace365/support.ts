import { expect } from 'vitest';
import type { FieldErrors } from '../../../shared/workspace365/responses';
import type { Activity, BatchActivity, PayloadKind } from '../../../shared/workspace365/schemas';
import { validatePayload } from '../../../shared/workspace365/validate';

/** A minimal valid Activity to vary one field of. */
export const activity = (fields: Record<string, unknown> = {}): Record<string, unknown> => ({
  User: { Upn: 'anna@example.com' },
  Title: 'Proposal ready',
  ...fields,
});

/** A minimal valid Batch Activity to vary one part of. */
export const batch = (scope: Record<string, unknown> = { Kind: 0 }, data: Record<string, unknown> = {}) => ({
  Scope: scope,
  Data: { Title: 'Proposal ready', ...data },
});

export const action = (fields: Record<string, unknown> = {}): Record<string, unknown> => ({
  Kind: 4,
  Title: 'Open proposal',
  Url: 'https://example.com/proposal/1',
  ...fields,
});

export function acceptedActivity(body: unknown): Activity {
  const result = validatePayload('activity', body);
  if (!result.ok)
    throw new Error(`expected the activity to be accepted: ${JSON.stringify(result.fieldErrors)}`);
  if (result.kind !== 'activity') throw new Error('expected kind activity');
  return result.payload;
}

export function acceptedBatch(body: unknown): BatchActivity {
  const result = validatePayload('batch', body);
  if (!result.ok) throw new Error(`expected the batch to be accepted: ${JSON.stringify(result.fieldErrors)}`);
  if (result.kind !== 'batch') throw new Error('expected kind batch');
  return result.payload;
}

export function fieldErrorsOf(kind: PayloadKind, body: unknown): FieldErrors {
  const result = validatePayload(kind, body);
  if (result.ok) throw new Error(`expected the ${kind} to be rejected`);
  return result.fieldErrors;
}

/** Asserts that the payload is rejected with exactly one field error, at `path`, with `message`. */
export function expectOnlyFieldError(
  kind: PayloadKind,
  body: unknown,
  path: string,
  message: string | RegExp,
): void {
  const fieldErrors = fieldErrorsOf(kind, body);
  expect(Object.keys(fieldErrors)).toEqual([path]);
  if (typeof message === 'string') expect(fieldErrors[path]?.message).toBe(message);
  else expect(fieldErrors[path]?.message).toMatch(message);
}
