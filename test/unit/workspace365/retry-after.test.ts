import { describe, expect, it } from 'vitest';
import { parseHttpDate, parseRetryAfter } from '../../../shared/workspace365/retry-after';

const now = new Date('2026-03-10T12:00:00.000Z');

describe('parseRetryAfter', () => {
  describe('delta-seconds', () => {
    it.each([
      ['0', 0],
      ['1', 1],
      ['120', 120],
      [' 30 ', 30],
      ['86400', 86_400],
    ])('reads %j as %i seconds', (value, seconds) => {
      expect(parseRetryAfter(value, now)).toBe(seconds);
    });
  });

  describe('HTTP-date', () => {
    it('reads an IMF-fixdate as the seconds until then', () => {
      expect(parseRetryAfter('Tue, 10 Mar 2026 12:02:00 GMT', now)).toBe(120);
    });

    it('rounds a date between whole seconds up, so the caller never retries early', () => {
      const justAfter = new Date('2026-03-10T11:59:59.400Z');
      expect(parseRetryAfter('Tue, 10 Mar 2026 12:00:05 GMT', justAfter)).toBe(6);
    });

    it('reads what Date#toUTCString produces (the form servers send)', () => {
      const inFiveMinutes = new Date(now.getTime() + 300_000).toUTCString();
      expect(parseRetryAfter(inFiveMinutes, now)).toBe(300);
    });

    it('reads the obsolete RFC 850 form, placing a two-digit year in the right century', () => {
      expect(parseRetryAfter('Tuesday, 10-Mar-26 12:01:00 GMT', now)).toBe(60);
    });

    it('reads the obsolete asctime form, including a space-padded day', () => {
      expect(parseRetryAfter('Tue Mar 10 12:00:45 2026', now)).toBe(45);
      expect(parseRetryAfter('Wed Mar  4 12:00:00 2026', new Date('2026-03-04T11:59:00Z'))).toBe(60);
    });

    it('gives 0 for a date in the past', () => {
      expect(parseRetryAfter('Tue, 10 Mar 2026 11:00:00 GMT', now)).toBe(0);
      expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', now)).toBe(0);
    });

    it('gives 0 for exactly now', () => {
      expect(parseRetryAfter(now.toUTCString(), now)).toBe(0);
    });
  });

  describe('garbage', () => {
    it.each([
      ['null', null],
      ['undefined', undefined],
      ['an empty string', ''],
      ['blank', '   '],
      ['a word', 'soon'],
      ['a negative number', '-5'],
      ['a fraction', '1.5'],
      ['a number with a unit', '10s'],
      ['an ISO timestamp (not an HTTP-date)', '2026-03-10T12:02:00Z'],
      ['a date without GMT', 'Tue, 10 Mar 2026 12:02:00'],
      ['a date in another zone', 'Tue, 10 Mar 2026 12:02:00 CET'],
      ['an unknown month', 'Tue, 10 Foo 2026 12:02:00 GMT'],
      ['a day that does not exist', 'Tue, 31 Feb 2026 12:02:00 GMT'],
      ['an hour out of range', 'Tue, 10 Mar 2026 25:02:00 GMT'],
      ['a number too big to be exact', '99999999999999999999'],
    ])('gives undefined for %s', (_name, value) => {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    });
  });
});

describe('parseHttpDate', () => {
  it('gives the same instant for all three forms', () => {
    const expected = Date.UTC(1994, 10, 6, 8, 49, 37);
    const reference = new Date('2020-01-01T00:00:00Z');
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT', reference)).toBe(expected);
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', reference)).toBe(expected);
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994', reference)).toBe(expected);
  });
});
