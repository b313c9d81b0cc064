import { createHash, timingSafeEqual } from 'node:crypto';

const sha256 = (value: string | Uint8Array) => createHash('sha256').update(value).digest();

/**
 * Compares two secrets or signatures in constant time. Hashing both sides first gives equal-length
 * inputs, so timingSafeEqual never throws and the time taken says nothing about the length either.
 */
export function constantTimeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}
