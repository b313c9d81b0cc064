import { describe, expect, it } from 'vitest';
import { readEnvelope } from '../../../shared/worker/read-envelope';
import { queueMessage } from '../../support/queue-messages';

describe('readEnvelope: poison detection', () => {
  it('reads a valid v1 queue message', () => {
    const message = queueMessage('acme');
    expect(readEnvelope(JSON.stringify(message))).toEqual({ ok: true, message });
  });

  it('a body that is not JSON is poison, and the problem does not quote the body', () => {
    const reading = readEnvelope('{"secret-ish payload" oops');
    expect(reading).toMatchObject({ ok: false, reason: 'not_json' });
    expect(JSON.stringify(reading)).not.toContain('secret-ish');
  });

  it.each([
    ['an array', '[1,2]'],
    ['a string', '"hello"'],
    ['null', 'null'],
  ])('%s is not a queue message', (_, body) => {
    expect(readEnvelope(body)).toMatchObject({ ok: false, reason: 'invalid_envelope' });
  });

  it('names the broken fields, keeps the party for the DLQ entry, and never quotes values', () => {
    const { correlationId: _dropped, ...rest } = queueMessage('acme', { kind: 'activity' });
    const reading = readEnvelope(JSON.stringify({ ...rest, kind: 'announcement', extra: 'TOP-SECRET' }));
    expect(reading).toMatchObject({
      ok: false,
      reason: 'invalid_envelope',
      partyId: 'acme',
      kind: 'announcement',
    });
    if (reading.ok) throw new Error('expected poison');
    expect(reading.problem).toContain('correlationId');
    expect(reading.problem).toContain('kind');
    expect(reading.problem).toContain('extra: is not a known field');
    expect(reading.problem).not.toContain('TOP-SECRET');
  });

  it('an unknown version is its own reason, so a newer ingress is easy to spot', () => {
    const message = { ...queueMessage('acme'), v: 2 };
    expect(readEnvelope(JSON.stringify(message))).toMatchObject({
      ok: false,
      reason: 'unsupported_version',
      partyId: 'acme',
    });
    expect(readEnvelope(JSON.stringify({ ...message, v: '1' }))).toMatchObject({
      reason: 'unsupported_version',
    });
  });

  it('a missing version is a broken envelope', () => {
    const { v: _v, ...rest } = queueMessage('acme');
    expect(readEnvelope(JSON.stringify(rest))).toMatchObject({ ok: false, reason: 'invalid_envelope' });
  });
});
