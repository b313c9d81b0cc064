/** An absolute http(s) URL as Workspace 365 accepts it, or undefined: a bad link is dropped, never sent. */
export function absoluteHttpUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || !URL.canParse(value)) return undefined;
  const { protocol } = new URL(value);
  return protocol === 'https:' || protocol === 'http:' ? value : undefined;
}

/**
 * A link into a sender's web app: `base` plus path segments, each percent-encoded so an id from the
 * payload can never change the host or escape the path. Undefined when there is no base to build on,
 * or when a segment is empty, `.` or `..` (encodeURIComponent keeps those, and URL parsing would resolve them).
 */
export function appLink(base: string | undefined, ...segments: string[]): string | undefined {
  if (base === undefined || absoluteHttpUrl(base) === undefined) return undefined;
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) return undefined;
  const root = base.endsWith('/') ? base : `${base}/`;
  try {
    return new URL(segments.map(encodeURIComponent).join('/'), root).toString();
  } catch {
    // A segment with a lone surrogate cannot be percent-encoded: drop the link, as for any unusable one.
    return undefined;
  }
}
