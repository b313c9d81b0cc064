import { IngressRejection } from './rejection';

/** docs/architecture.md §4: bodies over 256 KiB are refused (and SQS could not carry them anyway). */
export const MAX_BODY_BYTES = 256 * 1024;
/** Deeper JSON than this is refused before any mapper walks it; no real webhook nests this far. */
export const MAX_JSON_DEPTH = 64;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export function checkBodySize(rawBody: Uint8Array, truncated = false): void {
  if (truncated || rawBody.byteLength > MAX_BODY_BYTES) {
    throw new IngressRejection(
      'payload_too_large',
      `the body is larger than ${MAX_BODY_BYTES} bytes (256 KiB)`,
    );
  }
}

/** JSON only: `application/json` or a `+json` type, in UTF-8. */
export function checkContentType(contentType: string | undefined): void {
  const [mediaType = '', ...parameters] = (contentType ?? '')
    .split(';')
    .map((part) => part.trim().toLowerCase());
  const isJson = mediaType === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType);
  if (!isJson) {
    throw new IngressRejection(
      'content_type_unsupported',
      contentType
        ? 'Content-Type must be application/json'
        : 'the Content-Type header is missing; send application/json',
    );
  }
  const charset = parameters.find((parameter) => parameter.startsWith('charset='))?.slice('charset='.length);
  if (charset !== undefined && charset.replace(/"/g, '') !== 'utf-8') {
    throw new IngressRejection('content_type_unsupported', 'the body must be UTF-8 (charset=utf-8)');
  }
}

/** Decodes and parses the verified body. Error messages never quote the body. */
export function parseJsonBody(rawBody: Uint8Array): unknown {
  let text: string;
  try {
    text = utf8.decode(rawBody);
  } catch {
    throw new IngressRejection('body_not_utf8', 'the body is not valid UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new IngressRejection(
      'body_not_json',
      position === undefined
        ? 'the body is not valid JSON'
        : `the body is not valid JSON (at character ${position})`,
    );
  }
  if (depthExceeds(value, MAX_JSON_DEPTH)) {
    throw new IngressRejection('body_too_deep', `the body nests deeper than ${MAX_JSON_DEPTH} levels`);
  }
  return value;
}

/** Iterative, so a hostile body cannot exhaust the stack here. */
function depthExceeds(root: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (typeof value !== 'object' || value === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return false;
}
