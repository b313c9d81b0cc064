import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createVerifier, signWebhook } from '../../../shared/auth';
import type { PartyAuthConfig } from '../../../shared/config/relay-config';
import { normaliseHeaders } from '../../../shared/ingress/request';

const NOW = new Date('2025-03-01T12:00:00.000Z');

const visibleAscii = (maxLength: number) => fc.stringMatching(new RegExp(`^[!-~]{1,${maxLength}}$`));
const whsecSecret = fc
  .uint8Array({ minLength: 1, maxLength: 64 })
  .map((key) => `whsec_${Buffer.from(key).toString('base64')}`);
const basicSecret = fc
  .tuple(fc.stringMatching(/^[!-9;-~]{1,20}$/), fc.string({ unit: 'grapheme', maxLength: 30 }))
  .map(([user, password]) => `${user}:${password}`);

/** Each scheme with secrets that suit it (the shape docs/architecture.md §3 prescribes). */
const cases: ReadonlyArray<{ auth: PartyAuthConfig; secret: fc.Arbitrary<string> }> = [
  { auth: { scheme: 'standard-webhooks' }, secret: whsecSecret },
  { auth: { scheme: 'hmac-sha256' }, secret: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 64 }) },
  { auth: { scheme: 'hmac-sha256', header: 'X-Hub-Signature-256' }, secret: visibleAscii(64) },
  { auth: { scheme: 'token' }, secret: visibleAscii(64) },
  { auth: { scheme: 'token', header: 'X-Relay-Token' }, secret: visibleAscii(64) },
  { auth: { scheme: 'basic' }, secret: basicSecret },
];

const body = fc.uint8Array({ maxLength: 2048 });
const webhookId = fc.stringMatching(/^msg_[A-Za-z0-9]{1,32}$/);
const skewSeconds = fc.integer({ min: -300, max: 300 });

describe.each(cases)('signWebhook → createVerifier for $auth.scheme ($auth.header)', ({ auth, secret }) => {
  const verifier = createVerifier(auth);

  it('verifies whatever it signs, among other configured secrets, within the timestamp window', () => {
    fc.assert(
      fc.property(
        body,
        secret,
        fc.array(secret, { maxLength: 2 }),
        webhookId,
        skewSeconds,
        (rawBody, signingSecret, others, id, skew) => {
          const signedAt = new Date(NOW.getTime() + skew * 1000);
          const headers = signWebhook(auth, signingSecret, rawBody, { webhookId: id, now: signedAt });
          const result = verifier.verify(
            { headers: normaliseHeaders(headers), rawBody },
            [...others, signingSecret],
            NOW,
          );
          expect(result.ok).toBe(true);
          if (auth.scheme === 'standard-webhooks') expect(result).toEqual({ ok: true, webhookId: id });
        },
      ),
    );
  });

  it('rejects the signature when only other secrets are configured', () => {
    fc.assert(
      fc.property(
        body,
        secret,
        fc.array(secret, { minLength: 1, maxLength: 2 }),
        (rawBody, signingSecret, others) => {
          fc.pre(!others.includes(signingSecret));
          const headers = signWebhook(auth, signingSecret, rawBody, { now: NOW });
          const result = verifier.verify({ headers: normaliseHeaders(headers), rawBody }, others, NOW);
          expect(result.ok).toBe(false);
        },
      ),
    );
  });

  it('never throws on arbitrary header values, and never accepts them', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom(
            'authorization',
            'x-signature-256',
            'x-hub-signature-256',
            'x-relay-token',
            'webhook-id',
            'webhook-timestamp',
            'webhook-signature',
          ),
          fc.string({ maxLength: 120 }),
        ),
        body,
        // Long enough that neither a random header nor the fixed message text can contain it by chance.
        secret.filter((value) => value.length >= 12),
        (headers, rawBody, configured) => {
          const result = verifier.verify({ headers, rawBody }, [configured], NOW);
          expect(result.ok).toBe(false);
          if (!result.ok) expect(result.message).not.toContain(configured);
        },
      ),
    );
  });
});

describe.each(cases.filter(({ auth }) => auth.scheme !== 'token' && auth.scheme !== 'basic'))(
  'signatures bind the raw body for $auth.scheme',
  ({ auth, secret }) => {
    it('rejects the signature once any byte of the body changes', () => {
      const verifier = createVerifier(auth);
      fc.assert(
        fc.property(
          fc.uint8Array({ minLength: 1, maxLength: 512 }),
          secret,
          fc.nat(),
          fc.integer({ min: 1, max: 255 }),
          (rawBody, key, at, flip) => {
            const headers = normaliseHeaders(signWebhook(auth, key, rawBody, { now: NOW }));
            const tampered = Uint8Array.from(rawBody);
            const index = at % tampered.length;
            tampered[index] = (tampered[index] ?? 0) ^ flip;
            expect(verifier.verify({ headers, rawBody: tampered }, [key], NOW).ok).toBe(false);
          },
        ),
      );
    });
  },
);
