/** V8 quotes up to 10 characters each side of the offending token when the text is longer than 20. */
const CONTEXT = 10;
const EXCERPT = /, (\.\.\.)?"([\s\S]*)"(\.\.\.)? is not valid JSON$/;

/**
 * JSON.parse's message with the line and column of the mistake, and without the excerpt of the text
 * V8 puts in some messages (`Unexpected token 's', "{"k": s3cr…" is not valid JSON`): the file may hold
 * secrets, and the position is what an editor needs.
 */
export function describeJsonError(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const stated = /at position (\d+)/.exec(message)?.[1];
  if (stated !== undefined)
    return `${message}${/\bline \d+/.test(message) ? '' : lineAndColumn(text, Number(stated))}`;
  const excerpt = EXCERPT.exec(message);
  if (!excerpt) return message;
  const [, before, quoted = '', after] = excerpt;
  const withoutExcerpt = message.slice(0, excerpt.index);
  let position: number | undefined;
  if (before && after) {
    const start = text.indexOf(quoted);
    position = start < 0 ? undefined : start + CONTEXT;
  } else if (after) position = quoted.length - CONTEXT;
  else if (before) position = text.length - quoted.length + CONTEXT;
  return position === undefined
    ? `${withoutExcerpt} (the text is ${text.length} characters long)`
    : `${withoutExcerpt} at position ${position}${lineAndColumn(text, position)}`;
}

function lineAndColumn(text: string, position: number): string {
  const lines = text.slice(0, position).split('\n');
  return ` (line ${lines.length}, column ${(lines.at(-1)?.length ?? 0) + 1})`;
}
