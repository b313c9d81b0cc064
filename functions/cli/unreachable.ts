const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The socket error code behind a failed call (`fetch failed`, SDK errors, happy-eyeballs AggregateError). */
export function networkErrorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth += 1) {
    const { code, errors, cause } = current as { code?: unknown; errors?: unknown[]; cause?: unknown };
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
    current = cause ?? errors?.[0];
  }
  return undefined;
}

export function isLoopbackUrl(url: string): boolean {
  return URL.canParse(url) && LOOPBACK_HOSTS.has(new URL(url).hostname);
}

/** A loopback address nobody listens on means the local relay is not running; say so and how to start it. */
export function localRelayNotRunning(where: string, cause: unknown): Error {
  return new Error(`the local relay is not running (nothing answers at ${where}); start it with npm start`, {
    cause,
  });
}
