import { constantTimeEqual } from './constant-time';
import { readHeader } from './headers';
import { rejected, type VerificationResult, type WebhookVerifier } from './types';
import { UnusableSecretError } from './unusable-secret-error';

/**
 * HTTP Basic (RFC 7617): `Authorization: Basic base64(user:password)`, compared with the configured
 * `user:password` secrets. Replays are caught only by the ingress dedup on the event id.
 */

const BASIC = /^basic[ \t]+(\S+)$/i;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** `user:password`, or undefined when the value is not valid base64 of UTF-8 text with a colon. */
function decodeCredentials(encoded: string): string | undefined {
  if (!BASE64.test(encoded) || encoded.replace(/=+$/, '').length % 4 === 1) return undefined;
  try {
    const decoded = strictUtf8.decode(Buffer.from(encoded, 'base64'));
    return decoded.includes(':') ? decoded : undefined;
  } catch {
    return undefined;
  }
}

export function createBasicVerifier(options: { header: string }): WebhookVerifier {
  const { header } = options;
  const invalid = (why: string): VerificationResult =>
    rejected('credentials_invalid', `${header} header ${why}`);
  return {
    verify({ headers }, secrets) {
      const value = readHeader(headers, header);
      if (value === undefined) {
        return rejected(
          'credentials_missing',
          `${header} header is missing; expected "Basic <base64 of user:password>"`,
        );
      }
      const encoded = BASIC.exec(value)?.[1];
      if (encoded === undefined) return invalid('must be "Basic <base64 of user:password>"');
      const credentials = decodeCredentials(encoded);
      if (credentials === undefined) return invalid('must hold base64 of "user:password" after "Basic "');
      const matches = secrets.some((secret) => constantTimeEqual(credentials, secret));
      return matches ? { ok: true } : invalid("holds credentials that match none of the party's users");
    },
  };
}

export function signBasic(header: string, secret: string): Record<string, string> {
  if (!secret.includes(':')) throw new UnusableSecretError('a basic secret must be "user:password"');
  return { [header]: `Basic ${Buffer.from(secret, 'utf8').toString('base64')}` };
}
