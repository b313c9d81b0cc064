import { expect } from 'vitest';
import type { VerificationResult } from '../../../shared/auth';

export const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

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
