/**
 * Why a request never got an answer, in words safe to log and to put in a DLQ reason: the socket or
 * TLS error code, and the host and port it concerns (from the configured target or the error's own
 * address fields). Never the error message: undici's can quote header values, and so the API key.
 */
export function describeConnectionProblem(error: unknown, url: URL): string {
  const found = findCoded(error);
  const where = `${url.hostname}${url.port ? `:${url.port}` : ''}`;
  if (!found) return `no answer from ${where}`;
  const { code, address, port } = found;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `${code} ${url.hostname} (DNS)`;
  if (code === 'ECONNREFUSED')
    return `${code} ${address ?? url.hostname}:${port ?? (url.port || defaultPort(url))}`;
  if (/CERT|TLS|SSL|SELF_SIGNED|VERIFY/.test(code)) return `TLS error ${code} talking to ${where}`;
  return `${code} talking to ${where}`;
}

type Coded = { code: string; address?: string; port?: number };

/** fetch wraps the socket error as `cause`, sometimes an AggregateError of one per address. */
function findCoded(error: unknown): Coded | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 6; depth += 1) {
    const { code, address, port, cause, errors } = current as {
      code?: unknown;
      address?: unknown;
      port?: unknown;
      cause?: unknown;
      errors?: unknown[];
    };
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code) && code !== 'UND_ERR_SOCKET') {
      return {
        code,
        ...(typeof address === 'string' ? { address } : {}),
        ...(typeof port === 'number' ? { port } : {}),
      };
    }
    current = cause ?? errors?.[0];
  }
  return undefined;
}

function defaultPort(url: URL): string {
  return url.protocol === 'https:' ? '443' : '80';
}
