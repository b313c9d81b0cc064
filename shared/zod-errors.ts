import type { FieldErrors } from './workspace365/responses';
import type * as z from './zod';

/** Formats a zod path the way Workspace 365 names fields: `Data.Actions[0].Title`. */
export function fieldPath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

/**
 * Turns zod issues into the documented `fieldErrors` map. Several problems with one field are joined,
 * so none is hidden. Messages never quote the offending value: payloads stay out of error text.
 */
export function toFieldErrors(issues: readonly z.core.$ZodIssue[], prefix = ''): FieldErrors {
  const fieldErrors: FieldErrors = Object.create(null); // keys come from input: __proto__, constructor
  for (const issue of issues) {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    for (const key of keys) {
      const path = key === undefined ? issue.path : [...issue.path, key];
      const name = fieldPath(path, prefix) || '$';
      const message = key === undefined ? issue.message : 'is not a known field';
      const existing = fieldErrors[name];
      fieldErrors[name] = { message: existing ? `${existing.message}; ${message}` : message };
    }
  }
  return fieldErrors;
}
