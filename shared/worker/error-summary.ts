import type { ApiErrorResponse } from '../workspace365/responses';
import { truncate } from './dead-letter';

/** `Title: is required; Data.Actions[0].Title: too long` — field names and messages only. */
export function summariseFieldErrors(
  fieldErrors: Record<string, { message: string } | undefined> | null | undefined,
): string {
  if (!fieldErrors) return '';
  return Object.entries(fieldErrors)
    .filter((entry): entry is [string, { message: string }] => typeof entry[1]?.message === 'string')
    .map(([field, error]) => `${field}: ${error.message}`)
    .join('; ');
}

/**
 * One line for the operator from a Workspace 365 error body: the global error, then each field error.
 * Workspace 365 names fields and rules in these messages, not the values it was sent.
 */
export function describeApiError(status: number, error: ApiErrorResponse): string {
  const parts: string[] = [];
  if (error.globalError?.message) parts.push(error.globalError.message);
  const fields = summariseFieldErrors(error.fieldErrors);
  if (fields) parts.push(fields);
  return truncate(parts.length > 0 ? parts.join(' | ') : `Workspace 365 answered ${status}`);
}
