import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createVerifier, signWebhook, UnusableSecretError } from '../../../shared/auth';
import type { PartyAuthConfig } from '../../../shared/config/relay-config';
import { normaliseHeaders } from '../../../shared/ingress/request';
import { encode, expectRejected } from './support';

const auth: PartyAuthConfig = { scheme: 'standard-webhooks' };
const verifier = createVerifier(auth);

// The published Standard Webhooks test vector.
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: '1614265330',
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const VECTOR_TIME = new Date(Number(VECTOR.timestamp) * 1000);
const vectorHeaders = {
  'webhook-id': VECTOR.id,
  'webhook-timestamp': VECTOR.timestamp,
  'webhook-signature': VECTOR.signature,
};

const SECRET = 'whsec_c2Vjb25kLXNlY3JldC1mb3ItdGhlLXJlbGF5LXRlc3Rz';
const OTHER_SECRET = 'whsec_b3RoZXItc2VjcmV0LW5vdC1jb25maWd1cmVkLWFueXdoZXJl';
const NOW = new Date('2025-03-01T12:00:00.000Z');
const body = encode('{"id":"evt_1","event":"news.published"}');

function verify(headers: Record<string, string>, secrets: readonly string[], now = NOW, rawBody = body) {
  return verifier.verify({ headers: normaliseHeaders(headers), rawBody }, secrets, now);
}

function signedAt(signingTime: Date, secret = SECRET) {
  return signWebhook(auth, secret, body, { webhookId: 'msg_1', now: signingTime });
}

const secondsFrom = (date: Date, seconds: number) => new Date(date.getTime() + seconds * 1000);

describe('standard-webhooks verifier', () => {
  it('accepts the published test vector and returns its webhook-id', () => {
    const result = verify(vectorHeaders, [VECTOR.secret], VECTOR_TIME, encode(VECTOR.body));
    expect(result).toEqual({ ok: true, webhookId: VECTOR.id });
  });

  it('accepts the test vector with the bare base64 key (no whsec_ prefix)', () => {
    const bareKey = VECTOR.secret.slice('whsec_'.length);
    const result = verify(vectorHeaders, [bareKey], VECTOR_TIME, encode(VECTOR.body));
    expect(result.ok).toBe(true);
  });

  it('signs the test vector exactly as published', () => {
    const headers = signWebhook(auth, VECTOR.secret, encode(VECTOR.body), {
      webhookId: VECTOR.id,
      now: VECTOR_TIME,
    });
    expect(headers).toEqual(vectorHeaders);
  });

  it('rejects the test vector when one byte of the body changed (the raw bytes are signed)', () => {
    const reformatted = encode('{"test":2432232314}');
    expectRejected(
      verify(vectorHeaders, [VECTOR.secret], VECTOR_TIME, reformatted),
      'signature_invalid',
      'webhook-signature',
    );
  });

  it('accepts a good signature', () => {
    expect(verify(signedAt(NOW), [SECRET])).toEqual({ ok: true, webhookId: 'msg_1' });
  });

  it('rejects a signature made with a secret that is not configured, without quoting either', () => {
    const headers = signedAt(NOW, OTHER_SECRET);
    const result = verify(headers, [SECRET]);
    expectRejected(result, 'signature_invalid', 'webhook-signature', [
      SECRET,
      OTHER_SECRET,
      headers['webhook-signature'] ?? '',
    ]);
  });

  it('accepts a signature made with the second of two configured secrets (rotation)', () => {
    expect(verify(signedAt(NOW, SECRET), [OTHER_SECRET, SECRET]).ok).toBe(true);
  });

  it('accepts when any of several signatures in the header matches', () => {
    const good = signedAt(NOW)['webhook-signature'];
    const stale = signedAt(NOW, OTHER_SECRET)['webhook-signature'];
    const headers = { ...signedAt(NOW), 'webhook-signature': `${stale} v1a,c29tZS1lZDI1NTE5 ${good}` };
    expect(verify(headers, [SECRET]).ok).toBe(true);
  });

  it('ignores signature versions other than v1, even when their value is the right HMAC', () => {
    const good = signedAt(NOW)['webhook-signature'] ?? '';
    const headers = { ...signedAt(NOW), 'webhook-signature': good.replace(/^v1,/, 'v2,') };
    expectRejected(verify(headers, [SECRET]), 'signature_invalid', 'webhook-signature');
  });

  it('rejects a tampered webhook-id, since the id is part of what is signed', () => {
    const headers = { ...signedAt(NOW), 'webhook-id': 'msg_2' };
    expectRejected(verify(headers, [SECRET]), 'signature_invalid', 'webhook-signature');
  });

  describe('timestamp window (±300 s by default)', () => {
    it.each([
      ['exactly 300 s old', -300],
      ['exactly 300 s ahead', 300],
    ])('accepts a timestamp %s', (_, offset) => {
      expect(verify(signedAt(secondsFrom(NOW, offset)), [SECRET]).ok).toBe(true);
    });

    it('rejects a timestamp 301 s old as stale', () => {
      const result = verify(signedAt(secondsFrom(NOW, -301)), [SECRET]);
      expectRejected(result, 'timestamp_invalid', 'webhook-timestamp');
      if (!result.ok) expect(result.message).toContain('past');
    });

    it('rejects a timestamp 301 s ahead as from the future', () => {
      const result = verify(signedAt(secondsFrom(NOW, 301)), [SECRET]);
      expectRejected(result, 'timestamp_invalid', 'webhook-timestamp');
      if (!result.ok) expect(result.message).toContain('future');
    });

    it('honours a configured toleranceSeconds', () => {
      const strict = createVerifier({ scheme: 'standard-webhooks', toleranceSeconds: 10 });
      const request = (offset: number) => ({
        headers: normaliseHeaders(signedAt(secondsFrom(NOW, offset))),
        rawBody: body,
      });
      expect(strict.verify(request(-10), [SECRET], NOW).ok).toBe(true);
      expectRejected(strict.verify(request(-11), [SECRET], NOW), 'timestamp_invalid', 'webhook-timestamp');
    });

    it.each(['soon', '1614265330.5', '-5', '1e9', ''.padEnd(20, '9')])(
      'rejects a webhook-timestamp of %j as not unix seconds',
      (timestamp) => {
        const headers = { ...signedAt(NOW), 'webhook-timestamp': timestamp };
        expectRejected(verify(headers, [SECRET]), 'timestamp_invalid', 'webhook-timestamp');
      },
    );

    it('checks the window against the given clock, not the machine clock (the vector is from 2021)', () => {
      expectRejected(
        verify(vectorHeaders, [VECTOR.secret], NOW, encode(VECTOR.body)),
        'timestamp_invalid',
        'webhook-timestamp',
      );
    });
  });

  describe('malformed signatures are just non-matching', () => {
    const good = () => signedAt(NOW)['webhook-signature'] ?? '';

    it.each([
      ['truncated', () => good().slice(0, 20)],
      ['only the version', () => 'v1,'],
      ['no comma', () => 'v1'],
      ['longer than a SHA-256 signature', () => `${good()}AAAAAAAAAAAAAAAA`],
      ['a short signature', () => 'v1,AA=='],
      ['not base64', () => 'v1,%%%%%%'],
      ['only blanks and commas', () => ' , ,, '],
    ])('rejects a %s header without throwing', (_, header) => {
      const headers = { ...signedAt(NOW), 'webhook-signature': header() };
      expectRejected(verify(headers, [SECRET]), 'signature_invalid', 'webhook-signature');
    });
  });

  describe('missing headers', () => {
    it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])(
      'rejects a request without %s, naming it',
      (name) => {
        const headers: Record<string, string> = { ...signedAt(NOW) };
        delete headers[name];
        expectRejected(verify(headers, [SECRET]), 'signature_missing', name);
      },
    );

    it('treats a blank header as missing', () => {
      expectRejected(
        verify({ ...signedAt(NOW), 'webhook-id': '  ' }, [SECRET]),
        'signature_missing',
        'webhook-id',
      );
    });

    it('names every missing header of an unsigned request', () => {
      const result = verify({}, [SECRET]);
      expectRejected(result, 'signature_missing', 'webhook-id');
      if (!result.ok) expect(result.message).toMatch(/webhook-timestamp.*webhook-signature/);
    });
  });

  it('skips a configured secret that decodes to an empty key instead of signing with it', () => {
    const signed = signedAt(NOW);
    // What a careless verifier would accept for the secret "whsec_": HMAC-SHA256 with an empty key.
    const emptyKeySignature = createHmac('sha256', Buffer.alloc(0))
      .update(`msg_1.${signed['webhook-timestamp']}.`)
      .update(body)
      .digest('base64');
    const headers = { ...signed, 'webhook-signature': `v1,${emptyKeySignature}` };
    expectRejected(verify(headers, ['whsec_']), 'signature_invalid', 'webhook-signature');
    expect(() => signWebhook(auth, 'whsec_', body)).toThrow(UnusableSecretError);
  });

  it('signs with a fresh msg_ id and the current time when none is given', () => {
    const before = Math.floor(Date.now() / 1000);
    const headers = signWebhook(auth, SECRET, body);
    expect(headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(Number(headers['webhook-timestamp'])).toBeGreaterThanOrEqual(before);
    expect(signWebhook(auth, SECRET, body)['webhook-id']).not.toBe(headers['webhook-id']);
  });
});

describe('standard-webhooks verifier: svix-* headers (what Svix libraries send)', () => {
  const asSvix = (headers: Record<string, string>) =>
    Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name.replace(/^webhook-/, 'svix-'), value]),
    );

  it('accepts the published test vector under svix-id, svix-timestamp, svix-signature, with svix-id as the dedup key', () => {
    const result = verifier.verify(
      { headers: normaliseHeaders(asSvix(vectorHeaders)), rawBody: encode(VECTOR.body) },
      [VECTOR.secret],
      VECTOR_TIME,
    );
    expect(result).toEqual({ ok: true, webhookId: VECTOR.id });
  });

  it('applies the same checks: a changed body, an old timestamp, a foreign secret are refused, naming the svix header', () => {
    const headers = asSvix(signedAt(NOW));
    expect(verify(headers, [SECRET])).toEqual({ ok: true, webhookId: 'msg_1' });
    expect(verify(headers, [SECRET], NOW, encode('{"id":"evt_2"}'))).toMatchObject({
      ok: false,
      code: 'signature_invalid',
      message: expect.stringContaining('svix-signature'),
    });
    expect(verify(headers, [OTHER_SECRET])).toMatchObject({ ok: false, code: 'signature_invalid' });
    expect(verify(asSvix(signedAt(secondsFrom(NOW, -301))), [SECRET])).toMatchObject({
      ok: false,
      code: 'timestamp_invalid',
      message: expect.stringContaining('svix-timestamp'),
    });
  });

  it('a request with neither family names both in the refusal', () => {
    expect(verify({}, [SECRET])).toMatchObject({
      ok: false,
      code: 'signature_missing',
      message: expect.stringContaining('svix-id, svix-timestamp and svix-signature'),
    });
  });
});
