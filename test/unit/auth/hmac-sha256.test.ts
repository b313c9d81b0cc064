import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createVerifier, signWebhook } from '../../../shared/auth';
import type { PartyAuthConfig } from '../../../shared/config/relay-config';
import { normaliseHeaders } from '../../../shared/ingress/request';
import { encode, expectRejected } from './support';

const auth: PartyAuthConfig = { scheme: 'hmac-sha256' };
const verifier = createVerifier(auth);
const SECRET = 'huddle-signing-secret';
const OTHER_SECRET = 'an-older-signing-secret';
const NOW = new Date('2025-03-01T12:00:00.000Z');
const body = encode('{"id":"evt_1","event":"workspace.created"}');

const hex = (secret: string, rawBody = body) => createHmac('sha256', secret).update(rawBody).digest('hex');

function verify(headers: Record<string, string>, secrets: readonly string[], rawBody = body) {
  return verifier.verify({ headers: normaliseHeaders(headers), rawBody }, secrets, NOW);
}

describe('hmac-sha256 verifier', () => {
  it('signs with X-Signature-256: sha256=<hex HMAC of the raw body> by default', () => {
    expect(signWebhook(auth, SECRET, body)).toEqual({ 'X-Signature-256': `sha256=${hex(SECRET)}` });
  });

  it('accepts a good signature', () => {
    expect(verify({ 'X-Signature-256': `sha256=${hex(SECRET)}` }, [SECRET])).toEqual({ ok: true });
  });

  it('accepts upper-case hex and an upper-case header name', () => {
    const headers = { 'X-SIGNATURE-256': `sha256=${hex(SECRET).toUpperCase()}` };
    expect(verifier.verify({ headers, rawBody: body }, [SECRET], NOW).ok).toBe(true);
  });

  it('rejects a signature made with another secret, without quoting the secret or the signature', () => {
    const signature = `sha256=${hex(OTHER_SECRET)}`;
    expectRejected(
      verify({ 'x-signature-256': signature }, [SECRET]),
      'signature_invalid',
      'X-Signature-256',
      [SECRET, OTHER_SECRET, hex(OTHER_SECRET)],
    );
  });

  it('accepts a signature made with the second of two configured secrets (rotation)', () => {
    expect(verify({ 'x-signature-256': `sha256=${hex(SECRET)}` }, [OTHER_SECRET, SECRET]).ok).toBe(true);
  });

  it('accepts when one of several comma-separated signatures matches (a repeated header joined)', () => {
    const header = `sha256=${hex(OTHER_SECRET)}, sha256=${hex(SECRET)}`;
    expect(verify({ 'x-signature-256': header }, [SECRET]).ok).toBe(true);
  });

  it('rejects a signature of a different body (the raw bytes are signed, not the parsed JSON)', () => {
    const pretty = encode('{ "id": "evt_1", "event": "workspace.created" }');
    expectRejected(
      verify({ 'x-signature-256': `sha256=${hex(SECRET, pretty)}` }, [SECRET]),
      'signature_invalid',
      'X-Signature-256',
    );
  });

  it.each([
    ['truncated', () => `sha256=${hex(SECRET).slice(0, 40)}`],
    ['too long', () => `sha256=${hex(SECRET)}00`],
    ['one byte long', () => 'sha256=00'],
    ['without the sha256= prefix', () => hex(SECRET)],
    ['with another algorithm', () => `sha1=${hex(SECRET)}`],
    ['only the prefix', () => 'sha256='],
  ])('rejects a %s signature without throwing', (_, header) => {
    expectRejected(verify({ 'x-signature-256': header() }, [SECRET]), 'signature_invalid', 'X-Signature-256');
  });

  it('rejects a request without the header, naming it', () => {
    expectRejected(verify({}, [SECRET]), 'signature_missing', 'X-Signature-256');
    expectRejected(verify({ 'x-signature-256': ' ' }, [SECRET]), 'signature_missing', 'X-Signature-256');
  });

  it('reads the configured header instead of the default', () => {
    const custom = createVerifier({ scheme: 'hmac-sha256', header: 'X-Hub-Signature-256' });
    const headers = signWebhook({ scheme: 'hmac-sha256', header: 'X-Hub-Signature-256' }, SECRET, body);
    expect(Object.keys(headers)).toEqual(['X-Hub-Signature-256']);
    expect(custom.verify({ headers: normaliseHeaders(headers), rawBody: body }, [SECRET], NOW).ok).toBe(true);
    const onDefault = { 'x-signature-256': `sha256=${hex(SECRET)}` };
    expectRejected(
      custom.verify({ headers: onDefault, rawBody: body }, [SECRET], NOW),
      'signature_missing',
      'X-Hub-Signature-256',
    );
  });
});
