/**
 * `Retry-After` (RFC 9110 §10.2.3): either delta-seconds or an HTTP-date. HTTP-dates come in three
 * forms (§5.6.7) and recipients must accept all of them. `Date.parse` is not used on its own because it
 * accepts almost anything ("1" is the year 2001), which would turn garbage into a delay.
 */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const DELTA_SECONDS = /^\d+$/;
// Sun, 06 Nov 1994 08:49:37 GMT
const IMF_FIXDATE = /^[A-Za-z]{3}, (\d{2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
// Sunday, 06-Nov-94 08:49:37 GMT
const RFC_850 = /^[A-Za-z]{6,9}, (\d{2})-([A-Za-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
// Sun Nov  6 08:49:37 1994
const ASCTIME = /^[A-Za-z]{3} ([A-Za-z]{3}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

/**
 * Seconds to wait, rounded up; a date in the past gives 0. Anything that is not one of the documented
 * forms gives `undefined`, so the caller falls back to its own backoff.
 */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (DELTA_SECONDS.test(text)) {
    const seconds = Number(text);
    return Number.isSafeInteger(seconds) ? seconds : undefined;
  }
  const at = parseHttpDate(text, now);
  if (at === undefined) return undefined;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}

/** Epoch milliseconds of an HTTP-date in any of its three forms, or `undefined`. */
export function parseHttpDate(text: string, now: Date = new Date()): number | undefined {
  let match = IMF_FIXDATE.exec(text);
  if (match) return utc(match[3], match[2], match[1], match[4], match[5], match[6]);
  match = RFC_850.exec(text);
  if (match) return utc(fullYearOf(match[3], now), match[2], match[1], match[4], match[5], match[6]);
  match = ASCTIME.exec(text);
  if (match) return utc(match[6], match[1], match[2], match[3], match[4], match[5]);
  return undefined;
}

// RFC 9110: a two-digit year more than 50 years in the future means the most recent past such year.
function fullYearOf(twoDigits: string | undefined, now: Date): string | undefined {
  if (twoDigits === undefined) return undefined;
  const currentYear = now.getUTCFullYear();
  let year = currentYear - (currentYear % 100) + Number(twoDigits);
  if (year > currentYear + 50) year -= 100;
  return String(year);
}

function utc(
  year: string | undefined,
  monthName: string | undefined,
  day: string | undefined,
  hours: string | undefined,
  minutes: string | undefined,
  seconds: string | undefined,
): number | undefined {
  const month = MONTHS.indexOf((monthName ?? '').toLowerCase());
  const parts = [year, day, hours, minutes, seconds].map((part) => Number((part ?? '').trim() || Number.NaN));
  const [y, d, h, m, s] = parts as [number, number, number, number, number];
  if (month < 0 || parts.some((part) => !Number.isInteger(part))) return undefined;
  if (h > 23 || m > 59 || s > 60) return undefined;
  const time = Date.UTC(y, month, d, h, m, Math.min(s, 59));
  // Reject days that roll over into the next month (31 Feb).
  return new Date(time).getUTCDate() === d ? time : undefined;
}
