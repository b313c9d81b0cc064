import { randomBytes } from 'node:crypto';
import type { AuthScheme } from '../../../shared/config/relay-config';

/** A new webhook secret in the form the scheme's verifier accepts, from 32 random bytes (256 bits). */
export function generateWebhookSecret(scheme: AuthScheme, id: string): string {
  const key = randomBytes(32);
  switch (scheme) {
    case 'standard-webhooks':
      return `whsec_${key.toString('base64')}`;
    case 'hmac-sha256':
      return key.toString('hex');
    case 'token':
      return key.toString('base64url');
    case 'basic':
      // The user name only tells the sender which credentials these are; the password carries the entropy.
      return `${id}:${key.toString('base64url')}`;
  }
}
