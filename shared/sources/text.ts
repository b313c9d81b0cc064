import { MAX_ACTION_TITLE_LENGTH } from '../workspace365/schemas';

const ELLIPSIS = '…';
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/**
 * Fits `text` into `maxLength` UTF-16 units (the way Workspace 365 counts), replacing the tail with "…".
 * Cuts between grapheme clusters so an emoji or an accented letter is never split; a single cluster
 * longer than the room left is cut between code points instead, never inside a surrogate pair.
 */
export function shortenText(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  const room = maxLength - ELLIPSIS.length;
  let kept = '';
  for (const { segment } of graphemes.segment(text)) {
    if (kept.length + segment.length > room) break;
    kept += segment;
  }
  if (kept === '') {
    let end = room;
    if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
    kept = text.slice(0, end);
  }
  return `${kept.trimEnd()}${ELLIPSIS}`;
}

/** An action title that Workspace 365 accepts (at most 32 UTF-16 units). */
export function shortenActionTitle(title: string): string {
  return shortenText(title, MAX_ACTION_TITLE_LENGTH);
}

/** Collapses line breaks and runs of white space: the activity feed shows one line. */
export function singleLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The text on one line, or `fallback` when nothing visible is left (Workspace 365 rejects a blank Title). */
export function textOr(text: string | null | undefined, fallback: string): string {
  const line = singleLine(text ?? '');
  return line === '' ? fallback : line;
}
