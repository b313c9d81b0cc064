import { randomUUID } from 'node:crypto';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Takes the sender's `X-Correlation-Id` when it is a plain token, else the host's request id, else a new one. */
export function correlationIdFor(header: string | undefined, requestId: string | undefined): string {
  if (header !== undefined && SAFE_ID.test(header)) return header;
  if (requestId !== undefined && SAFE_ID.test(requestId)) return requestId;
  return randomUUID();
}
