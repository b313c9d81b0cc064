/** Request headers as the hosts hand them over: names lower-cased, values already joined. */
export type RequestHeaders = Readonly<Record<string, string | undefined>>;

export type AuthFailureCode =
  | 'signature_missing'
  | 'signature_invalid'
  | 'timestamp_invalid'
  | 'token_missing'
  | 'token_invalid'
  | 'credentials_missing'
  | 'credentials_invalid';

/**
 * The outcome of checking one request. A failure message names the header and the reason; it never
 * quotes a secret, a signature or the body, so it can go straight into a 401 and a log line.
 */
export type VerificationResult =
  | { ok: true /** The Standard Webhooks `webhook-id`, the sender's dedup key. */; webhookId?: string }
  | { ok: false; code: AuthFailureCode; message: string };

export interface WebhookVerifier {
  /**
   * Checks the RAW body bytes, before anything parses them. Any of `secrets` may match, so a sender
   * can rotate without downtime.
   */
  verify(
    request: { headers: RequestHeaders; rawBody: Uint8Array },
    secrets: readonly string[],
    now: Date,
  ): VerificationResult;
}

export interface SignOptions {
  /** Standard Webhooks message id; a fresh `msg_…` id when absent. */
  webhookId?: string;
  /** Signing time (Standard Webhooks timestamp). @default new Date() */
  now?: Date;
}

export function rejected(code: AuthFailureCode, message: string): VerificationResult {
  return { ok: false, code, message };
}
