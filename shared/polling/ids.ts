import { createHash } from 'node:crypto';

/** Source event ids stay within the envelope's 256 characters: long parts are replaced by a hash. */
export function idPart(value: string): string {
  return value.length <= 80 ? value : `h${createHash('sha256').update(value).digest('hex').slice(0, 32)}`;
}

/** A short stable key for a value that must not show in ids or logs (an e-mail address). */
export function opaqueKey(value: string): string {
  return `h${createHash('sha256').update(value).digest('hex').slice(0, 16)}`;
}
