import fc from 'fast-check';
import { MAX_ACTION_TITLE_LENGTH, MAX_ACTIONS } from '../../../shared/workspace365/schemas';

/**
 * Valid Workspace 365 inputs as senders write them: keys in PascalCase, lower case or upper case,
 * kinds and ids as numbers or strings of digits, optional fields present or not.
 */

type FieldSpec = { value: fc.Arbitrary<unknown>; optional?: boolean };

/** An object with the given canonical fields, each key in a random casing. */
export function objectWith(fields: Record<string, FieldSpec>): fc.Arbitrary<Record<string, unknown>> {
  const entries = Object.entries(fields).map(([name, spec]) => {
    const entry = fc.tuple(fc.constantFrom(name, name.toLowerCase(), name.toUpperCase()), spec.value);
    return spec.optional ? fc.option(entry, { nil: undefined }) : entry;
  });
  return fc
    .tuple(...entries)
    .map((pairs) =>
      Object.fromEntries(pairs.filter((pair): pair is [string, unknown] => pair !== undefined)),
    );
}

/** A whole number given as a JSON number or as a string of digits, as the reference examples do. */
const numberOrDigits = (numbers: fc.Arbitrary<number>) =>
  numbers.chain((n) => fc.constantFrom<unknown>(n, String(n)));

export const text = (maxLength: number) =>
  fc.string({ unit: 'grapheme', minLength: 1, maxLength }).filter((value) => value.trim() !== '');

/** Fits the action title limit as Workspace 365 counts it, in UTF-16 code units. */
export const actionTitle = text(MAX_ACTION_TITLE_LENGTH).filter(
  (value) => value.length <= MAX_ACTION_TITLE_LENGTH,
);
export const tooLongActionTitle = fc
  .string({ unit: 'grapheme', minLength: MAX_ACTION_TITLE_LENGTH + 1, maxLength: 60 })
  .filter((value) => value.trim() !== '' && value.length > MAX_ACTION_TITLE_LENGTH);

export const httpUrl = fc.webUrl({
  validSchemes: ['http', 'https'],
  withQueryParameters: true,
  withFragments: true,
});
const positiveId = numberOrDigits(fc.integer({ min: 1, max: 2 ** 31 - 1 }));
const htmlColor = fc.oneof(
  fc.stringMatching(/^#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/),
  fc.constantFrom('teal', 'Red', 'rebeccapurple', 'LightGoldenRodYellow'),
);

export const userLookup = fc.oneof(
  objectWith({ Id: { value: positiveId } }),
  objectWith({ Upn: { value: text(64) } }),
  objectWith({ Id: { value: positiveId }, Upn: { value: text(64) } }),
);

export const groupLookup = fc.oneof(
  objectWith({ Id: { value: positiveId } }),
  objectWith({ Name: { value: text(64) } }),
  objectWith({ Id: { value: positiveId }, Name: { value: text(64) } }),
);

export const action = objectWith({
  Kind: { value: numberOrDigits(fc.integer({ min: 1, max: 9 })) },
  Title: { value: actionTitle },
  Url: { value: httpUrl },
});

const color = fc.oneof(
  objectWith({ Kind: { value: numberOrDigits(fc.constant(1)) }, Value: { value: htmlColor } }),
  objectWith({
    Kind: { value: numberOrDigits(fc.constantFrom(2, 3)) },
    Value: { value: htmlColor, optional: true },
  }),
);

const activityFields = {
  Icon: {
    value: objectWith({ Name: { value: fc.string({ maxLength: 20 }), optional: true } }),
    optional: true,
  },
  Title: { value: text(200) },
  Url: { value: httpUrl, optional: true },
  Tag: { value: fc.string({ maxLength: 30 }), optional: true },
  Color: { value: color, optional: true },
  Actions: { value: fc.array(action, { maxLength: MAX_ACTIONS }), optional: true },
} satisfies Record<string, FieldSpec>;

export const activityInput = objectWith({ User: { value: userLookup }, ...activityFields });

const scope = fc.oneof(
  objectWith({
    Kind: { value: numberOrDigits(fc.constant(0)) },
    Users: { value: fc.array(userLookup, { maxLength: 2 }), optional: true },
  }),
  objectWith({
    Kind: { value: numberOrDigits(fc.constant(1)) },
    Users: { value: fc.array(userLookup, { minLength: 1, maxLength: 4 }) },
  }),
  objectWith({
    Kind: { value: numberOrDigits(fc.constant(2)) },
    Groups: { value: fc.array(groupLookup, { minLength: 1, maxLength: 4 }) },
  }),
);

export const batchInput = objectWith({
  Scope: { value: scope },
  Data: { value: objectWith(activityFields) },
});

/** The key under which `object` holds `name`, whatever its casing (so a mutation replaces, not duplicates). */
export function keyOf(object: Record<string, unknown>, name: string): string {
  return Object.keys(object).find((key) => key.toLowerCase() === name.toLowerCase()) ?? name;
}
