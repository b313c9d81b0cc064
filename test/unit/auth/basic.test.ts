import { describe, expect, it } from 'vitest';
import { createVerifier, signWebhook, UnusableSecretError } from '../../../shared/auth';
import type { PartyAuthConfig } from '../../../shared/config/relay-config';
import { normaliseHeaders } from '../../../shared/ingress/request';
import { encode, expectRejected } from './support';

const auth: PartyAuthConfig = { scheme: 'basic' };
const verifier = createVerifier(auth);
const CREDENTIALS = 'crm:s3cret-pässword';
const OLD_CREDENTIALS = 'crm:old-password';
const NOW = new Date('2025-03-01T12:00:00.000Z');
const body = encode('{"deal":{"id":7},"status":"won"}');

const basic = (value: string) => `Basic ${Buffer.from(value, 'utf8').toString('base64')}`;

function verify(headers: Record<string, string>, secrets: readonly string[]) {
  return verifier.verify({ headers: normaliseHeaders(headers), rawBody: body }, secrets, NOW);
}

describe('basic verifier', () => {
  it('signs with Authorization: Basic base64(user:password)', () => {
    expect(signWebhook(auth, CREDENTIALS, body)).toEqual({ Authorization: basic(CREDENTIALS) });
  });

  it('accepts the configured user:password, with the scheme in any case', () => {
    expect(verify({ Authorization: basic(CREDENTIALS) }, [CREDENTIALS])).toEqual({ ok: true });
    expect(verify({ Authorization: basic(CREDENTIALS).replace('Basic', 'BASIC') }, [CREDENTIALS]).ok).toBe(
      true,
    );
  });

  it('rejects a wrong password without quoting any credentials', () => {
    const header = basic('crm:guess');
    expectRejected(verify({ Authorization: header }, [CREDENTIALS]), 'credentials_invalid', 'Authorization', [
      CREDENTIALS,
      'guess',
      header.slice('Basic '.length),
    ]);
  });

  it('accepts the second of two configured users (rotation)', () => {
    expect(verify({ Authorization: basic(CREDENTIALS) }, [OLD_CREDENTIALS, CREDENTIALS]).ok).toBe(true);
  });

  it.each([
    ['base64 without a colon', basic('crm-no-colon')],
    ['malformed base64', 'Basic ###not-base64###'],
    ['base64 of impossible length', 'Basic abcde'],
    ['base64 of bytes that are not UTF-8', `Basic ${Buffer.from([0xff, 0x3a, 0xfe]).toString('base64')}`],
    ['the scheme alone', 'Basic'],
    ['another scheme', 'Bearer abc'],
    ['two credentials', `${basic(OLD_CREDENTIALS)} ${basic(CREDENTIALS).slice('Basic '.length)}`],
    ['truncated credentials', basic(CREDENTIALS).slice(0, -4)],
  ])('rejects %s as credentials_invalid without throwing', (_, header) => {
    expectRejected(verify({ Authorization: header }, [CREDENTIALS]), 'credentials_invalid', 'Authorization');
  });

  it('rejects a request without the header, naming it', () => {
    expectRejected(verify({}, [CREDENTIALS]), 'credentials_missing', 'Authorization');
  });

  it('refuses to sign with a secret that is not user:password', () => {
    expect(() => signWebhook(auth, 'no-colon', body)).toThrow(UnusableSecretError);
    try {
      signWebhook(auth, 'no-colon', body);
    } catch (error) {
      expect((error as Error).message).not.toContain('no-colon');
    }
  });
});
