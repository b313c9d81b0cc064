import {
  DEFAULT_SIGNATURE_HEADER,
  DEFAULT_TIMESTAMP_TOLERANCE_SECONDS,
  DEFAULT_TOKEN_HEADER,
  type PartyAuthConfig,
} from '../config/relay-config';
import { createBasicVerifier, signBasic } from './basic';
import { createHmacSha256Verifier, signHmacSha256 } from './hmac-sha256';
import { createStandardWebhooksVerifier, signStandardWebhook } from './standard-webhooks';
import { createTokenVerifier, signToken } from './token';
import type { SignOptions, WebhookVerifier } from './types';

export type {
  AuthFailureCode,
  RequestHeaders,
  SignOptions,
  VerificationResult,
  WebhookVerifier,
} from './types';
export { UnusableSecretError } from './unusable-secret-error';

/** The header a scheme reads its signature, token or credentials from. */
export function authHeaderName(auth: PartyAuthConfig): string {
  switch (auth.scheme) {
    case 'standard-webhooks':
      return 'webhook-signature';
    case 'hmac-sha256':
      return auth.header ?? DEFAULT_SIGNATURE_HEADER;
    case 'token':
    case 'basic':
      return auth.header ?? DEFAULT_TOKEN_HEADER;
  }
}

/** The verifier for a party's auth scheme; build it once per party at start-up. */
export function createVerifier(auth: PartyAuthConfig): WebhookVerifier {
  switch (auth.scheme) {
    case 'standard-webhooks':
      return createStandardWebhooksVerifier({
        toleranceSeconds: auth.toleranceSeconds ?? DEFAULT_TIMESTAMP_TOLERANCE_SECONDS,
      });
    case 'hmac-sha256':
      return createHmacSha256Verifier({ header: authHeaderName(auth) });
    case 'token':
      return createTokenVerifier({ header: authHeaderName(auth) });
    case 'basic':
      return createBasicVerifier({ header: authHeaderName(auth) });
  }
}

/**
 * The sender's side, for samples, tests, the bench and the CLI: the headers that make `rawBody`
 * pass createVerifier(auth) with `secret`. Throws UnusableSecretError when the secret cannot sign.
 */
export function signWebhook(
  auth: PartyAuthConfig,
  secret: string,
  rawBody: Uint8Array,
  options: SignOptions = {},
): Record<string, string> {
  switch (auth.scheme) {
    case 'standard-webhooks':
      return signStandardWebhook(secret, rawBody, options);
    case 'hmac-sha256':
      return signHmacSha256(authHeaderName(auth), secret, rawBody);
    case 'token':
      return signToken(authHeaderName(auth), secret);
    case 'basic':
      return signBasic(authHeaderName(auth), secret);
  }
}
