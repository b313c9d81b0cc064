import { createHmac, randomUUID } from 'node:crypto';
import { constantTimeEqual } from './constant-time';
import { readHeader } from './headers';
import { rejected, type SignOptions, type WebhookVerifier } from './types';
import { UnusableSecretError } from './unusable-secret-error';

/**
 * Standard Webhooks (https://www.standardwebhooks.com): `webhook-signature` holds space-separated
 * `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` entries; the key is the base64 part of `whsec_…`.
 */

const SECRET_PREFIX = 'whsec_';
const SIGNATURE_VERSION = 'v1';
const UNIX_SECONDS = /^\d{1,15}$/;

export const STANDARD_WEBHOOKS_HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
} as const;

/**
 * Svix's libraries (Svix is the reference implementation of Standard Webhooks) send the same three
 * headers under `svix-*` names; the same scheme and checks apply.
 */
export const SVIX_HEADERS = {
  id: 'svix-id',
  timestamp: 'svix-timestamp',
  signature: 'svix-signature',
} as const;

type HeaderRole = keyof typeof STANDARD_WEBHOOKS_HEADERS;

/** `webhook-<role>`, else `svix-<role>`, with the name it came under (for error messages). */
function readRole(
  headers: Parameters<typeof readHeader>[0],
  role: HeaderRole,
): { name: string; value: string } | undefined {
  for (const name of [STANDARD_WEBHOOKS_HEADERS[role], SVIX_HEADERS[role]]) {
    const value = readHeader(headers, name);
    if (value !== undefined) return { name, value };
  }
  return undefined;
}

/** The HMAC key of a `whsec_<base64>` secret, or of a bare base64 key. */
export function standardWebhooksKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  return Buffer.from(encoded, 'base64');
}

function signature(key: Uint8Array, id: string, timestamp: string, rawBody: Uint8Array): string {
  return createHmac('sha256', key).update(`${id}.${timestamp}.`).update(rawBody).digest('base64');
}

/** The base64 parts of the v1 entries; other versions (e.g. v1a, asymmetric) are not ours to check. */
function offeredV1Signatures(header: string): string[] {
  const offered: string[] = [];
  for (const entry of header.split(/\s+/)) {
    const comma = entry.indexOf(',');
    if (comma < 0 || entry.slice(0, comma) !== SIGNATURE_VERSION) continue;
    const value = entry.slice(comma + 1);
    if (value !== '') offered.push(value);
  }
  return offered;
}

function timestampProblem(
  timestamp: string,
  header: string,
  now: Date,
  toleranceSeconds: number,
): string | undefined {
  if (!UNIX_SECONDS.test(timestamp)) return `${header} header must be a unix time in whole seconds`;
  const ageSeconds = Math.floor(now.getTime() / 1000) - Number(timestamp);
  if (ageSeconds > toleranceSeconds) {
    return `${header} header is more than ${toleranceSeconds} s in the past (a replay, or the sender's clock is wrong)`;
  }
  if (-ageSeconds > toleranceSeconds) {
    return `${header} header is more than ${toleranceSeconds} s in the future (the sender's clock is wrong)`;
  }
  return undefined;
}

export function createStandardWebhooksVerifier(options: { toleranceSeconds: number }): WebhookVerifier {
  return {
    verify({ headers, rawBody }, secrets, now) {
      const id = readRole(headers, 'id');
      const timestamp = readRole(headers, 'timestamp');
      const signatures = readRole(headers, 'signature');
      if (id === undefined || timestamp === undefined || signatures === undefined) {
        const roles = Object.keys(STANDARD_WEBHOOKS_HEADERS) as HeaderRole[];
        const missing = roles
          .filter((role) => readRole(headers, role) === undefined)
          .map((role) => STANDARD_WEBHOOKS_HEADERS[role]);
        return rejected(
          'signature_missing',
          `${missing.join(', ')} ${missing.length === 1 ? 'header is' : 'headers are'} missing; ` +
            'Standard Webhooks requests carry webhook-id, webhook-timestamp and webhook-signature ' +
            '(or svix-id, svix-timestamp and svix-signature)',
        );
      }

      const problem = timestampProblem(timestamp.value, timestamp.name, now, options.toleranceSeconds);
      if (problem !== undefined) return rejected('timestamp_invalid', problem);

      const offered = offeredV1Signatures(signatures.value);
      if (offered.length === 0) {
        return rejected('signature_invalid', `${signatures.name} header holds no "v1,<base64>" signature`);
      }
      const matches = secrets.some((secret) => {
        const key = standardWebhooksKey(secret);
        if (key.length === 0) return false;
        const expected = signature(key, id.value, timestamp.value, rawBody);
        return offered.some((candidate) => constantTimeEqual(candidate, expected));
      });
      return matches
        ? { ok: true, webhookId: id.value }
        : rejected(
            'signature_invalid',
            `${signatures.name} header matches none of the party's secrets for this id, timestamp and body`,
          );
    },
  };
}

export function signStandardWebhook(
  secret: string,
  rawBody: Uint8Array,
  options: SignOptions = {},
): Record<string, string> {
  const key = standardWebhooksKey(secret);
  if (key.length === 0) {
    throw new UnusableSecretError('a standard-webhooks secret must be "whsec_<base64 key>" or a base64 key');
  }
  const id = options.webhookId ?? `msg_${randomUUID().replaceAll('-', '')}`;
  const timestamp = String(Math.floor((options.now ?? new Date()).getTime() / 1000));
  return {
    [STANDARD_WEBHOOKS_HEADERS.id]: id,
    [STANDARD_WEBHOOKS_HEADERS.timestamp]: timestamp,
    [STANDARD_WEBHOOKS_HEADERS.signature]: `${SIGNATURE_VERSION},${signature(key, id, timestamp, rawBody)}`,
  };
}
