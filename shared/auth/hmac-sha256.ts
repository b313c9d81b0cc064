import { createHmac } from 'node:crypto';
import { constantTimeEqual } from './constant-time';
import { readHeader } from './headers';
import { rejected, type WebhookVerifier } from './types';

/**
 * GitHub-style signatures: `<header>: sha256=<hex HMAC-SHA256 of the raw body>`. No timestamp is
 * signed, so replays are caught only by the ingress dedup on the event id.
 */

const PREFIX = 'sha256=';

function hexSignature(secret: string, rawBody: Uint8Array): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/**
 * The hex parts of every `sha256=` entry, lower-cased. Several entries may arrive comma-separated
 * (a sender mid-rotation, or a repeated header joined by the HTTP server).
 */
function offeredSignatures(header: string): string[] {
  return header
    .split(/[\s,]+/)
    .filter((entry) => entry.toLowerCase().startsWith(PREFIX) && entry.length > PREFIX.length)
    .map((entry) => entry.slice(PREFIX.length).toLowerCase());
}

export function createHmacSha256Verifier(options: { header: string }): WebhookVerifier {
  const { header } = options;
  return {
    verify({ headers, rawBody }, secrets) {
      const value = readHeader(headers, header);
      if (value === undefined) {
        return rejected(
          'signature_missing',
          `${header} header is missing; expected sha256=<hex HMAC-SHA256 of the body>`,
        );
      }
      const offered = offeredSignatures(value);
      if (offered.length === 0) {
        return rejected('signature_invalid', `${header} header must be sha256=<hex HMAC-SHA256 of the body>`);
      }
      const matches = secrets.some((secret) => {
        const expected = hexSignature(secret, rawBody);
        return offered.some((candidate) => constantTimeEqual(candidate, expected));
      });
      return matches
        ? { ok: true }
        : rejected('signature_invalid', `${header} header matches none of the party's secrets for this body`);
    },
  };
}

export function signHmacSha256(header: string, secret: string, rawBody: Uint8Array): Record<string, string> {
  return { [header]: `${PREFIX}${hexSignature(secret, rawBody)}` };
}
