/** The parts of a source map v3 the breakdown reads. */
export type SourceMap = { sources: string[]; mappings: string };

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUE = new Map([...BASE64].map((char, index) => [char, index]));

/** Decodes one mappings segment (base64 VLQ, e.g. `AAAA` or `gBAAG`) into its fields. */
export function decodeSegment(segment: string): number[] {
  const fields: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = BASE64_VALUE.get(char);
    if (digit === undefined) throw new Error(`invalid VLQ character "${char}"`);
    value += (digit & 31) * 2 ** shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    fields.push(value % 2 === 1 ? -(value - 1) / 2 : value / 2);
    value = 0;
    shift = 0;
  }
  return fields;
}

/**
 * Bytes of generated code per original source file, from the bundle and its source map: each mapped
 * segment owns the code up to the next one. Code no segment maps (banner, glue) counts as `(generated)`.
 */
export function bytesBySource(code: string, map: SourceMap): Map<string, number> {
  const totals = new Map<string, number>();
  const add = (source: string, text: string) => {
    if (text.length > 0) totals.set(source, (totals.get(source) ?? 0) + Buffer.byteLength(text));
  };
  const lines = code.split('\n');
  const mappingLines = map.mappings.split(';');
  let sourceIndex = 0;
  lines.forEach((line, lineIndex) => {
    const segments = (mappingLines[lineIndex] ?? '').split(',').filter(Boolean);
    let column = 0;
    let start = 0;
    let owner = '(generated)';
    for (const segment of segments) {
      const fields = decodeSegment(segment);
      column += fields[0] ?? 0;
      add(owner, line.slice(start, column));
      start = column;
      if (fields.length >= 4) {
        sourceIndex += fields[1] ?? 0;
        owner = map.sources[sourceIndex] ?? '(unknown)';
      } else owner = '(generated)';
    }
    add(owner, line.slice(start));
    // The newline belongs to whatever ends the line.
    if (lineIndex < lines.length - 1) add(owner, '\n');
  });
  return totals;
}

/** `node_modules/@aws-sdk/client-sqs/dist-es/…` → `@aws-sdk/*`; `node_modules/zod/…` → `zod`; ours → `relay code`. */
export function packageOf(source: string): string {
  const match = /node_modules\/((@[^/]+)\/)?([^/]+)/.exec(source.replaceAll('\\', '/'));
  if (!match) return source.startsWith('(') ? source : 'relay code';
  return match[2] ? `${match[2]}/*` : (match[3] as string);
}

/** Bytes per package, largest first. */
export function bytesByPackage(code: string, map: SourceMap): [string, number][] {
  const totals = new Map<string, number>();
  for (const [source, bytes] of bytesBySource(code, map)) {
    const name = packageOf(source);
    totals.set(name, (totals.get(name) ?? 0) + bytes);
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
}
