import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validatePayload } from '../../../shared/workspace365/validate';
import { action, activityInput, batchInput, httpUrl, keyOf, tooLongActionTitle } from './arbitraries';

type Kind = 'activity' | 'batch';
const kinds: ReadonlyArray<{ kind: Kind; input: fc.Arbitrary<Record<string, unknown>> }> = [
  { kind: 'activity', input: activityInput },
  { kind: 'batch', input: batchInput },
];

function accepted(kind: Kind, body: unknown): unknown {
  const result = validatePayload(kind, body);
  if (!result.ok) throw new Error(`rejected: ${JSON.stringify(result.fieldErrors)}`);
  return result.payload;
}

// Every field name of the documented schemas, in its canonical PascalCase spelling.
const canonicalKeys = new Set(
  'User Icon Title Url Tag Color Actions Scope Data Kind Users Groups Id Upn Name Value'.split(' '),
);

function expectCanonical(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) expectCanonical(item);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, child] of Object.entries(value)) {
    expect(canonicalKeys).toContain(key);
    if (key === 'Kind' || key === 'Id') expect(typeof child).toBe('number');
    expectCanonical(child);
  }
}

describe.each(kinds)('$kind inputs', ({ kind, input }) => {
  it('are accepted, and what is accepted survives JSON and re-validates to the same value', () => {
    fc.assert(
      fc.property(input, (body) => {
        const payload = accepted(kind, body);
        const overTheWire = JSON.parse(JSON.stringify(payload)) as unknown;
        expect(accepted(kind, overTheWire)).toEqual(payload);
      }),
    );
  });

  it('come out canonical (PascalCase keys, number kinds and ids), and canonical output is a fixed point', () => {
    fc.assert(
      fc.property(input, (body) => {
        const payload = accepted(kind, body);
        expectCanonical(payload);
        expect(accepted(kind, payload)).toEqual(payload);
      }),
    );
  });
});

/** The object under which a batch keeps its activity fields; an activity keeps them at the top. */
function activityPart(
  kind: Kind,
  body: Record<string, unknown>,
): { fields: Record<string, unknown>; prefix: string } {
  if (kind === 'activity') return { fields: body, prefix: '' };
  return { fields: body[keyOf(body, 'Data')] as Record<string, unknown>, prefix: 'Data.' };
}

function expectOnlyErrorAt(kind: Kind, body: unknown, path: string): void {
  const result = validatePayload(kind, body);
  expect(result.ok).toBe(false);
  if (!result.ok) expect(Object.keys(result.fieldErrors)).toEqual([path]);
}

/**
 * Applies `mutate` to the last action of the activity fields (adding `spare` when there is none) and
 * returns that action's index.
 */
function mutateLastAction(
  fields: Record<string, unknown>,
  spare: Record<string, unknown>,
  mutate: (action: Record<string, unknown>) => void,
): number {
  const key = keyOf(fields, 'Actions');
  const existing = (fields[key] as Record<string, unknown>[] | undefined) ?? [];
  const actions = existing.length > 0 ? existing : [spare];
  const index = actions.length - 1;
  const target = actions[index];
  if (target === undefined) throw new Error('no action to mutate');
  mutate(target);
  fields[key] = actions;
  return index;
}

describe.each(kinds)('one broken rule in a valid $kind input', ({ kind, input }) => {
  it('a third action is rejected at Actions', () => {
    fc.assert(
      fc.property(input, fc.array(action, { minLength: 3, maxLength: 5 }), (body, actions) => {
        const { fields, prefix } = activityPart(kind, body);
        fields[keyOf(fields, 'Actions')] = actions;
        expectOnlyErrorAt(kind, body, `${prefix}Actions`);
      }),
    );
  });

  it('an action title over 32 UTF-16 units is rejected at that action', () => {
    fc.assert(
      fc.property(input, action, tooLongActionTitle, (body, spare, title) => {
        const { fields, prefix } = activityPart(kind, body);
        const index = mutateLastAction(fields, spare, (target) => {
          target[keyOf(target, 'Title')] = title;
        });
        expectOnlyErrorAt(kind, body, `${prefix}Actions[${index}].Title`);
      }),
    );
  });

  it('an action Kind outside 1–9 is rejected at that action', () => {
    const badKind = fc
      .oneof(fc.integer({ min: 10, max: 1000 }), fc.integer({ min: -1000, max: 0 }))
      .chain((n) => fc.constantFrom<unknown>(n, String(n)));
    fc.assert(
      fc.property(input, action, badKind, (body, spare, kindValue) => {
        const { fields, prefix } = activityPart(kind, body);
        const index = mutateLastAction(fields, spare, (target) => {
          target[keyOf(target, 'Kind')] = kindValue;
        });
        expectOnlyErrorAt(kind, body, `${prefix}Actions[${index}].Kind`);
      }),
    );
  });

  it('an action without a Url, or with a relative one, is rejected at that action', () => {
    fc.assert(
      fc.property(input, action, httpUrl, fc.boolean(), (body, spare, url, drop) => {
        const { fields, prefix } = activityPart(kind, body);
        const index = mutateLastAction(fields, spare, (target) => {
          const key = keyOf(target, 'Url');
          if (drop) delete target[key];
          else target[key] = new URL(url).pathname;
        });
        expectOnlyErrorAt(kind, body, `${prefix}Actions[${index}].Url`);
      }),
    );
  });

  it('a blank Title is rejected at Title', () => {
    fc.assert(
      fc.property(input, fc.constantFrom('', ' ', '\t \n'), (body, blank) => {
        const { fields, prefix } = activityPart(kind, body);
        fields[keyOf(fields, 'Title')] = blank;
        expectOnlyErrorAt(kind, body, `${prefix}Title`);
      }),
    );
  });

  it('a custom Color without a Value is rejected at Color.Value', () => {
    fc.assert(
      fc.property(input, fc.constantFrom<unknown>(1, '1'), (body, custom) => {
        const { fields, prefix } = activityPart(kind, body);
        fields[keyOf(fields, 'Color')] = { kind: custom };
        expectOnlyErrorAt(kind, body, `${prefix}Color.Value`);
      }),
    );
  });

  it('an unknown field is rejected at its path', () => {
    fc.assert(
      fc.property(input, fc.stringMatching(/^x[A-Za-z]{0,10}$/), (body, name) => {
        const { fields, prefix } = activityPart(kind, body);
        fields[name] = true;
        expectOnlyErrorAt(kind, body, `${prefix}${name}`);
      }),
    );
  });
});

describe('one broken scope rule in a valid batch input', () => {
  it('Kind 1 without users is rejected at Scope.Users, Kind 2 without groups at Scope.Groups', () => {
    fc.assert(
      fc.property(batchInput, fc.constantFrom(1, 2), (body, scopeKind) => {
        body[keyOf(body, 'Scope')] = { KIND: String(scopeKind), users: [], Groups: [] };
        expectOnlyErrorAt('batch', body, scopeKind === 1 ? 'Scope.Users' : 'Scope.Groups');
      }),
    );
  });

  it('a scope Kind other than 0, 1, 2 is rejected at Scope.Kind', () => {
    fc.assert(
      fc.property(batchInput, fc.integer({ min: 3, max: 100 }), (body, scopeKind) => {
        const scope = body[keyOf(body, 'Scope')] as Record<string, unknown>;
        scope[keyOf(scope, 'Kind')] = scopeKind;
        expectOnlyErrorAt('batch', body, 'Scope.Kind');
      }),
    );
  });
});
