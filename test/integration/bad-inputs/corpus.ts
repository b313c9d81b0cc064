import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from '../../../shared/zod';

/** The corpus folder; `cases.json` there is the manifest, bodies live beside it. */
export const CORPUS_DIR = 'test/fixtures/bad-inputs';

const AFTER_SIGNING = [
  'reserialise',
  'pretty-print',
  'ascii-escape',
  'append-newline',
  'reorder-keys',
  'change-webhook-id',
  'change-timestamp',
] as const;
export type AfterSigning = (typeof AFTER_SIGNING)[number];

const Sign = z.union([
  z.boolean(),
  z.strictObject({
    webhookId: z.optional(z.string()),
    timestampOffsetSeconds: z.optional(z.number().check(z.int())),
  }),
]);

const PayloadCheck = z.strictObject({
  /** `Actions[0].Title` style path into the queued Workspace 365 payload. */
  path: z.string(),
  equals: z.optional(z.unknown()),
  maxLength: z.optional(z.number().check(z.int())),
  startsWith: z.optional(z.string()),
  endsWith: z.optional(z.string()),
});
export type PayloadCheck = z.infer<typeof PayloadCheck>;

const Expectation = z.strictObject({
  status: z.number().check(z.int()),
  code: z.optional(z.string()),
  field: z.optional(z.string()),
  accepted: z.optional(z.number().check(z.int())),
  duplicate: z.optional(z.boolean()),
  ignored: z.optional(z.boolean()),
  payload: z.optional(z.array(PayloadCheck)),
});
export type Expectation = z.infer<typeof Expectation>;

const bodySource = {
  bodyFile: z.optional(z.string()),
  bodyText: z.optional(z.string()),
  json: z.optional(z.unknown()),
};

const Replay = z.strictObject({ ...bodySource, sign: z.optional(Sign), expect: Expectation });

const Case = z.strictObject({
  name: z.string(),
  party: z.string(),
  ...bodySource,
  fill: z.optional(z.strictObject({ toBytes: z.number().check(z.int(), z.positive()) })),
  contentType: z.nullish(z.string()),
  sign: z.optional(Sign),
  afterSigning: z.optional(z.enum(AFTER_SIGNING)),
  note: z.optional(z.string()),
  expect: Expectation,
  replay: z.optional(Replay),
});
export type CorpusCase = z.infer<typeof Case>;

const Manifest = z.object({
  extraParties: z._default(z.array(z.unknown()), []),
  cases: z.array(Case).check(z.minLength(1)),
});
export type Manifest = z.infer<typeof Manifest>;

export function readManifest(): Manifest {
  return Manifest.parse(JSON.parse(readFileSync(join(CORPUS_DIR, 'cases.json'), 'utf8')));
}

const FILL_MARKER = '{{fill}}';

/** The exact bytes a case sends before signing: a file, literal text or serialised JSON, then `fill`. */
export function bodyOf(source: Pick<CorpusCase, 'bodyFile' | 'bodyText' | 'json' | 'fill'>): Buffer {
  let body: Buffer;
  if (source.bodyFile !== undefined) body = readFileSync(join(CORPUS_DIR, source.bodyFile));
  else if (source.bodyText !== undefined) body = Buffer.from(source.bodyText, 'utf8');
  else if (source.json !== undefined) body = Buffer.from(JSON.stringify(source.json), 'utf8');
  else throw new Error('a case needs bodyFile, bodyText or json');
  if (!source.fill) return body;
  const text = body.toString('utf8');
  if (!text.includes(FILL_MARKER)) throw new Error(`fill needs ${FILL_MARKER} in the body`);
  const room = source.fill.toBytes - (Buffer.byteLength(text) - FILL_MARKER.length);
  if (room < 0) throw new Error('fill.toBytes is smaller than the body without the marker');
  return Buffer.from(text.replace(FILL_MARKER, 'x'.repeat(room)), 'utf8');
}

/**
 * What an intermediary (or an attacker with a captured request) does to a signed request. Each change
 * keeps the JSON meaning but not the bytes or signed headers, so the signature must no longer match.
 */
export function afterSigning(
  change: AfterSigning,
  body: Buffer,
  headers: Record<string, string>,
): { body: Buffer; headers: Record<string, string> } {
  const value = () => JSON.parse(body.toString('utf8')) as unknown;
  switch (change) {
    case 'reserialise':
      return { body: Buffer.from(JSON.stringify(value())), headers };
    case 'pretty-print':
      return { body: Buffer.from(JSON.stringify(value(), null, 2)), headers };
    case 'ascii-escape':
      return {
        body: Buffer.from(
          body
            .toString('utf8')
            .replace(/[^\x20-\x7e]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`),
        ),
        headers,
      };
    case 'append-newline':
      return { body: Buffer.concat([body, Buffer.from('\n')]), headers };
    case 'reorder-keys':
      return { body: Buffer.from(JSON.stringify(reversedKeys(value()))), headers };
    case 'change-webhook-id':
      return { body, headers: { ...headers, 'webhook-id': `msg_${randomUUID()}` } };
    case 'change-timestamp': {
      const timestamp = Number(headers['webhook-timestamp']);
      return { body, headers: { ...headers, 'webhook-timestamp': String(timestamp + 1) } };
    }
  }
}

function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, child]) => [key, reversedKeys(child)]),
  );
}

/** Reads `Actions[0].Title`-style paths. */
export function valueAtPath(root: unknown, path: string): unknown {
  let current = root;
  for (const [, name, index] of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (typeof current !== 'object' || current === null) return undefined;
    const key = name ?? Number(index);
    current = Object.hasOwn(current, key) ? (current as Record<string | number, unknown>)[key] : undefined;
  }
  return current;
}
