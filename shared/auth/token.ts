import { constantTimeEqual } from './constant-time';
import { readHeader } from './headers';
import { rejected, type WebhookVerifier } from './types';

/**
 * A shared token in a header: `Bearer <token>` or the bare token. Nothing binds it to the body or a
 * time, so replays are caught only by the ingress dedup on the event id.
 */

const BEARER = /^bearer[ \t]+/i;

export function createTokenVerifier(options: { header: string }): WebhookVerifier {
  const { header } = options;
  return {
    verify({ headers }, secrets) {
      const value = readHeader(headers, header);
      if (value === undefined) {
        return rejected(
          'token_missing',
          `${header} header is missing; expected "Bearer <token>" or the token`,
        );
      }
      // The whole value is a candidate too, in case a configured token itself starts with "Bearer ".
      const candidates = BEARER.test(value) ? [value.replace(BEARER, ''), value] : [value];
      const matches = secrets.some((secret) =>
        candidates.some((candidate) => constantTimeEqual(candidate, secret)),
      );
      return matches
        ? { ok: true }
        : rejected('token_invalid', `${header} header holds a token that matches none of the party's tokens`);
    },
  };
}

export function signToken(header: string, secret: string): Record<string, string> {
  return { [header]: header.toLowerCase() === 'authorization' ? `Bearer ${secret}` : secret };
}
