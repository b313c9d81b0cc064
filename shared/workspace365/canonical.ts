import * as z from '../zod';

/**
 * Workspace 365's own examples mix `id`/`Id` and send `"Kind": "1"` as a string. These helpers
 * accept what the document shows and always produce the canonical PascalCase form with numbers.
 */

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Wraps an object schema so keys are matched case-insensitively to its canonical names. The copy
 * has no prototype, so a `__proto__` key stays an ordinary (and then rejected) key.
 */
export function withCanonicalKeys<Shape extends z.core.$ZodShape>(shape: Shape) {
  const canonicalNames = new Set(Object.keys(shape));
  const canonicalByLowerCase = new Map(Object.keys(shape).map((key) => [key.toLowerCase(), key]));
  // Rename, then check: an issue raised while renaming stops the pipe before the object is checked.
  return z.pipe(
    z.transform((input: unknown, payload) => {
      if (!isPlainObject(input)) return input;
      // Already canonical (every mapper's output): nothing to rename, so no copy to make.
      if (hasOnlyNames(input, canonicalNames)) return input;
      const canonical: Record<string, unknown> = Object.create(null);
      const givenAs = new Map<string, string>();
      for (const [key, value] of Object.entries(input)) {
        const name = canonicalByLowerCase.get(key.toLowerCase()) ?? key;
        const earlier = givenAs.get(name);
        if (earlier !== undefined) {
          payload.issues.push({
            code: 'custom',
            path: [name],
            message: `is given twice (as "${earlier}" and "${key}")`,
            input,
          });
          continue;
        }
        givenAs.set(name, key);
        canonical[name] = value;
      }
      return canonical;
    }),
    z.strictObject(shape, {
      error: (issue) => (issue.input === undefined ? 'is required' : 'must be a JSON object'),
    }),
  );
}

function hasOnlyNames(input: Record<string, unknown>, names: ReadonlySet<string>): boolean {
  for (const key of Object.keys(input)) if (!names.has(key)) return false;
  return true;
}

const DIGITS = /^\s*-?\d+\s*$/;

/** An integer that may arrive as a JSON number or as a string of digits ("1"). */
export function integerField(what: string) {
  const error = `${what} must be a whole number`;
  return z.pipe(
    z.transform((value: unknown) =>
      typeof value === 'string' && DIGITS.test(value) ? Number(value) : value,
    ),
    z.number({ error }).check(z.int({ error })),
  );
}

/** An absolute http(s) URL. */
export function httpUrlField(what: string) {
  return z.string({ error: `${what} must be a string holding an absolute http(s) URL` }).check(
    z.refine(
      (value) => {
        const protocol = protocolOf(value);
        return protocol === 'https:' || protocol === 'http:';
      },
      { error: `${what} must be an absolute http(s) URL` },
    ),
  );
}

/** One URL parse (canParse + new URL would be two); undefined when it is not a URL. */
function protocolOf(value: string): string | undefined {
  try {
    return new URL(value).protocol;
  } catch {
    return undefined;
  }
}

/** A string that is not empty once surrounding white space is removed. */
export function requiredText(what: string) {
  return z
    .string({ error: `${what} is required and must be a string` })
    .check(z.refine((value) => value.trim().length > 0, { error: `${what} must not be empty` }));
}
