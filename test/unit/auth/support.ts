import { expect } from 'vitest';
import type { RequestHeaders, VerificationResult } from '../../../shared/auth';

export const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Header names lower-cased, as the hosts hand them to a verifier. */
export function lowerCased(headers: Record<string, string>): RequestHeaders {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

/** Asserts a rejection with its code, the header it names, and that it quotes none of `hidden`. */
export function expectRejected(
  result: VerificationResult,
  code: string,
  names: string,
  hidden: readonly string[] = [],
): void {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.code).toBe(code);
  expect(result.message.toLowerCase()).toContain(names.toLowerCase());
  for (const value of hidden) expect(result.message).not.toContain(value);
}
