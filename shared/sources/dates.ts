const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const twoDigits = (value: number) => String(value).padStart(2, '0');

/**
 * Dates in titles, always in UTC and spelt out by hand: Intl output differs between Node/ICU
 * versions, and the relay does not know the reader's time zone.
 */
export function formatUtcDate(iso: string): string {
  const date = new Date(iso);
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/** `14 Sep 2022, 07:58 UTC` */
export function formatUtcDateTime(iso: string): string {
  const date = new Date(iso);
  return `${formatUtcDate(iso)}, ${twoDigits(date.getUTCHours())}:${twoDigits(date.getUTCMinutes())} UTC`;
}
