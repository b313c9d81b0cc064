import type { IncomingMessage, ServerResponse } from 'node:http';

/** Request bodies above this are answered 413. */
export const MAX_REQUEST_BYTES = 1024 * 1024;
// Past this the rest of an oversized body is not even drained: the connection is dropped.
const MAX_DRAIN_BYTES = 16 * MAX_REQUEST_BYTES;

export type ReadBody = { tooLarge: false; bytes: Buffer } | { tooLarge: true };

/**
 * Reads the body up to `limit` bytes. An oversized body is drained (not kept) before the caller answers
 * 413, so the client sees the answer instead of a broken pipe.
 */
export function readBody(request: IncomingMessage, limit = MAX_REQUEST_BYTES): Promise<ReadBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > MAX_DRAIN_BYTES) request.destroy();
      else if (size <= limit) chunks.push(chunk);
    });
    request.on('end', () =>
      resolve(size > limit ? { tooLarge: true } : { tooLarge: false, bytes: Buffer.concat(chunks) }),
    );
    request.on('error', reject);
    request.on('close', () => {
      if (!request.complete)
        reject(new Error('the client closed the connection before sending the whole body'));
    });
  });
}

export function parseJsonBody(bytes: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(bytes.toString('utf8')) };
  } catch {
    return { ok: false };
  }
}

/** True while the response can still be written (the client may have gone, or the sandbox closed). */
export function canAnswer(response: ServerResponse): boolean {
  return !response.headersSent && !response.destroyed && !response.writableEnded;
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (!canAnswer(response)) return;
  const text = body === undefined ? '' : JSON.stringify(body);
  response.writeHead(status, {
    ...(text === '' ? {} : { 'Content-Type': 'application/json; charset=utf-8' }),
    'Cache-Control': 'no-store',
    ...headers,
  });
  response.end(text);
}

/** A scripted body: strings as they are, everything else as JSON; scripted headers win. */
export function sendScripted(
  response: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: unknown,
): void {
  if (!canAnswer(response)) return;
  if (typeof body === 'string') {
    response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
    response.end(body);
    return;
  }
  sendJson(response, status, body, headers);
}

export function sendError(response: ServerResponse, status: number, message: string): void {
  sendJson(response, status, { globalError: { message }, fieldErrors: null });
}

/** The control endpoints and the feed page are a dev tool: only the machine itself may use them. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  if (address === '::1') return true;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}
