import type { FieldErrors } from '../workspace365/responses';
import * as z from '../zod';
import { toFieldErrors } from '../zod-errors';

/**
 * What WorkDrive and Huddle post (docs/architecture.md §5): the relay defines this envelope because neither
 * documents outgoing webhooks. `data` is checked per event type; the envelope itself is strict so a
 * misspelt field is reported rather than ignored.
 */
export const SourceEnvelope = z.strictObject({
  id: z
    .string({ error: 'id must be a string (the event id)' })
    .check(
      z.minLength(1, { error: 'id must not be empty' }),
      z.maxLength(256, { error: 'id must be at most 256 characters' }),
    ),
  event: z
    .string({ error: 'event must be a string (the event type)' })
    .check(
      z.minLength(1, { error: 'event must not be empty' }),
      z.maxLength(128, { error: 'event must be at most 128 characters' }),
    ),
  occurredAt: z.iso.datetime({ offset: true, error: 'occurredAt must be an ISO 8601 date-time' }),
  data: z.record(z.string(), z.unknown(), { error: 'data must be an object' }),
});
export type SourceEnvelope = z.output<typeof SourceEnvelope>;

export type EnvelopeParse = { ok: true; envelope: SourceEnvelope } | { ok: false; fieldErrors: FieldErrors };

export function parseEnvelope(body: unknown): EnvelopeParse {
  const parsed = SourceEnvelope.safeParse(body);
  return parsed.success
    ? { ok: true, envelope: parsed.data }
    : { ok: false, fieldErrors: toFieldErrors(parsed.error.issues) };
}
