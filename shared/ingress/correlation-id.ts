import { randomUUID } from 'node:crypto';

/** A plain token: letters, digits, `._:-`, and `=` (base64 padding, as API Gateway request ids end). */
const SAFE_ID = /^[A-Za-z0-9._:=-]{1,128}$/;

/**
 * Takes the sender's `X-Correlation-Id` when it is a plain token, else the host's request id, else a new
 * one. Behind API Gateway the request id is the access log line's `requestId`, so that line and the
 * webhook's trace share one id (and 16 characters instead of a UUID's 36 on every line).
 */
export function correlationIdFor(header: string | undefined, requestId: string | undefined): string {
  if (header !== undefined && SAFE_ID.test(header)) return header;
  if (requestId !== undefined && SAFE_ID.test(requestId)) return requestId;
  return randomUUID();
}
