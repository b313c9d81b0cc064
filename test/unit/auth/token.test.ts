import { describe, expect, it } from 'vitest';
import { createVerifier, signWebhook } from '../../../shared/auth';
import type { PartyAuthConfig } from '../../../shared/config/relay-config';
import { normaliseHeaders } from '../../../shared/ingress/request';
import { encode, expectRejected } from './support';

const auth: PartyAuthConfig = { scheme: 'token' };
const verifier = createVerifier(auth);
const TOKEN = 'w365-relay-token-0123456789';
const OLD_TOKEN = 'w365-relay-token-previous';
const NOW = new Date('2025-03-01T12:00:00.000Z');
const body = encode('{"User":{"Upn":"anna@example.com"},"Title":"Hello"}');

function verify(headers: Record<string, string>, secrets: readonly string[]) {
  return verifier.verify({ headers: normaliseHeaders(headers), rawBody: body }, secrets, NOW);
}

describe('token verifier', () => {
  it('signs with Authorization: Bearer <token> by default', () => {
    expect(signWebhook(auth, TOKEN, body)).toEqual({ Authorization: `Bearer ${TOKEN}` });
  });

  it.each([
    ['Bearer <token>', `Bearer ${TOKEN}`],
    ['a lower-case bearer scheme', `bearer ${TOKEN}`],
    ['the bare token', TOKEN],
  ])('accepts %s', (_, value) => {
    expect(verify({ Authorization: value }, [TOKEN])).toEqual({ ok: true });
  });

  it('rejects a wrong token without quoting either token', () => {
    expectRejected(
      verify({ Authorization: `Bearer ${OLD_TOKEN}` }, [TOKEN]),
      'token_invalid',
      'Authorization',
      [TOKEN, OLD_TOKEN],
    );
  });

  it('accepts the second of two configured tokens (rotation)', () => {
    expect(verify({ Authorization: `Bearer ${TOKEN}` }, [OLD_TOKEN, TOKEN]).ok).toBe(true);
  });

  it('does not accept several tokens in one header as a way to guess', () => {
    expectRejected(
      verify({ Authorization: `Bearer ${OLD_TOKEN} ${TOKEN}` }, [TOKEN]),
      'token_invalid',
      'Authorization',
    );
  });

  it.each([
    ['truncated', TOKEN.slice(0, -1)],
    ['longer', `${TOKEN}x`],
    ['one character', 'x'],
    ['a prefix of another scheme', `Basic ${TOKEN}`],
  ])('rejects a %s token without throwing', (_, value) => {
    expectRejected(verify({ Authorization: value }, [TOKEN]), 'token_invalid', 'Authorization');
  });

  it('rejects a request without the header, or with an empty one, naming it', () => {
    expectRejected(verify({}, [TOKEN]), 'token_missing', 'Authorization');
    expectRejected(verify({ Authorization: '' }, [TOKEN]), 'token_missing', 'Authorization');
  });

  it('reads a configured header, where the token is sent bare', () => {
    const custom: PartyAuthConfig = { scheme: 'token', header: 'X-Relay-Token' };
    const headers = signWebhook(custom, TOKEN, body);
    expect(headers).toEqual({ 'X-Relay-Token': TOKEN });
    expect(
      createVerifier(custom).verify({ headers: normaliseHeaders(headers), rawBody: body }, [TOKEN], NOW).ok,
    ).toBe(true);
    expectRejected(
      createVerifier(custom).verify(
        { headers: { authorization: `Bearer ${TOKEN}` }, rawBody: body },
        [TOKEN],
        NOW,
      ),
      'token_missing',
      'X-Relay-Token',
    );
  });
});
