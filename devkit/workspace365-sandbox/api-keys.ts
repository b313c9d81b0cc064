import { createHash, timingSafeEqual } from 'node:crypto';

/** How the sandbox names a key in what it records: the first 12 hex digits of its SHA-256. */
export function apiKeyFingerprint(apiKey: string): string {
  return sha256(apiKey).toString('hex').slice(0, 12);
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * An environment's accepted keys, held only as SHA-256 digests: the sandbox never keeps a key, and
 * comparing equal-length digests in constant time cannot throw on a length mismatch.
 */
export class ApiKeyRing {
  private digests: Buffer[] = [];

  constructor(apiKeys: readonly string[]) {
    this.replace(apiKeys);
  }

  replace(apiKeys: readonly string[]): void {
    this.digests = apiKeys.map(sha256);
  }

  accepts(apiKey: string): boolean {
    const presented = sha256(apiKey);
    let accepted = false;
    // No early exit: every key is compared, so timing does not tell which one matched.
    for (const digest of this.digests) accepted = timingSafeEqual(digest, presented) || accepted;
    return accepted;
  }
}

export type PresentedCredentials =
  | { ok: true; apiKey: string }
  | {
      ok: false;
      reason: 'the Authorization header is missing' | 'the authentication scheme must be Workspace365';
    };

/** `Authorization: Workspace365 {token}`; the scheme is matched case-insensitively, as HTTP defines it. */
export function presentedApiKey(authorization: string | undefined): PresentedCredentials {
  if (authorization === undefined || authorization.trim() === '') {
    return { ok: false, reason: 'the Authorization header is missing' };
  }
  const [, scheme, token] = /^\s*(\S+)\s+(\S+)\s*$/.exec(authorization) ?? [];
  if (scheme?.toLowerCase() !== 'workspace365' || token === undefined) {
    return { ok: false, reason: 'the authentication scheme must be Workspace365' };
  }
  return { ok: true, apiKey: token };
}
