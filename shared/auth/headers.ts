import type { RequestHeaders } from './types';

/**
 * The trimmed value of a header, matched case-insensitively; undefined when absent or blank. Hosts
 * lower-case header names, but a sender-side object (e.g. signWebhook output) may not be.
 */
export function readHeader(headers: RequestHeaders, name: string): string | undefined {
  const wanted = name.toLowerCase();
  let value = headers[wanted];
  if (value === undefined) {
    for (const [key, candidate] of Object.entries(headers)) {
      if (key.toLowerCase() === wanted) {
        value = candidate;
        break;
      }
    }
  }
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
