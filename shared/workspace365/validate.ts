import { toFieldErrors } from '../zod-errors';
import type { FieldErrors } from './responses';
import { Activity, BatchActivity, type PayloadKind } from './schemas';

export type ValidatedPayload =
  | { ok: true; kind: 'activity'; payload: Activity }
  | { ok: true; kind: 'batch'; payload: BatchActivity };

export type ValidationResult = ValidatedPayload | { ok: false; fieldErrors: FieldErrors };

/** Checks a payload against the Workspace 365 rules for its endpoint and returns it in canonical form. */
export function validatePayload(kind: PayloadKind, body: unknown, fieldPrefix = ''): ValidationResult {
  if (kind === 'activity') {
    const parsed = Activity.safeParse(body);
    return parsed.success
      ? { ok: true, kind, payload: parsed.data }
      : { ok: false, fieldErrors: toFieldErrors(parsed.error.issues, fieldPrefix) };
  }
  const parsed = BatchActivity.safeParse(body);
  return parsed.success
    ? { ok: true, kind, payload: parsed.data }
    : { ok: false, fieldErrors: toFieldErrors(parsed.error.issues, fieldPrefix) };
}

/**
 * Tells a single Activity from a Batch Activity by shape (a batch has `Scope`/`Data`, an activity `User`),
 * matching keys case-insensitively as the schemas do.
 */
export function detectPayloadKind(body: unknown): PayloadKind | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const keys = new Set(Object.keys(body).map((key) => key.toLowerCase()));
  if (keys.has('scope') || keys.has('data')) return 'batch';
  if (keys.has('user')) return 'activity';
  return undefined;
}
