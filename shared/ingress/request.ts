/** A webhook request as every host (API Gateway, the local HTTP server, tests) hands it to the core. */
export type IngressRequest = {
  method: string;
  partyId: string;
  /** Header names lower-cased; repeated headers joined with ", ". */
  headers: Readonly<Record<string, string | undefined>>;
  /** Exactly the bytes the sender signed. */
  rawBody: Uint8Array;
  query: Readonly<Record<string, string | undefined>>;
  /** The host's own request id (API Gateway's), used as a correlation id when the sender sends none. */
  requestId?: string;
  /** Set by hosts that stop reading a body once it passes the limit. */
  bodyTruncated?: boolean;
};

export type IngressResponse = {
  status: number;
  headers: Record<string, string>;
  body: unknown;
};

/** Lower-cases header names; joins repeated values the way HTTP allows. */
export function normaliseHeaders(
  headers: Readonly<Record<string, string | string[] | undefined>> | undefined,
): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = Object.create(null);
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    const joined = Array.isArray(value) ? value.join(', ') : value;
    out[key] = out[key] === undefined ? joined : `${out[key]}, ${joined}`;
  }
  return out;
}
