import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { demoConfig, demoSecrets } from '../../../devkit/fakes/demo';
import { demoIngressDeps } from '../../../devkit/fakes/demo-ingress';
import { sampleEvents } from '../../../devkit/samples';
import { signWebhook } from '../../../shared/auth';
import { QueueMessage } from '../../../shared/envelope/queue-message';
import { handleWebhook } from '../../../shared/ingress/handle-webhook';
import { validatePayload } from '../../../shared/workspace365/validate';

const NOW = new Date('2026-11-23T12:00:00Z');
// Fixed by default so CI is repeatable; set FUZZ_SEED to explore other inputs (a failure prints its seed).
const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20_261_123);
const config = demoConfig();
const secrets = demoSecrets();
const sourceOf = Object.fromEntries(config.parties.map((party) => [party.id, party.source]));

/** A fresh core on the demo config, its clock fixed to the signing time. */
const freshDeps = () => demoIngressDeps({ config, clock: { now: () => NOW } });

/** Every path into a JSON value, so a mutation can land anywhere in it. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const children = Object.entries(value).flatMap(([key, child]) =>
    pathsOf(child, [...prefix, Array.isArray(value) ? Number(key) : key]),
  );
  return [prefix, ...children];
}

function mutate(value: unknown, path: (string | number)[], replacement: unknown, remove: boolean): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (remove) delete parent[last];
  else parent[last] = replacement;
  return copy;
}

const samples = Object.entries(sampleEvents).flatMap(([source, events]) =>
  Object.values(events).map((make) => ({ source, body: make() })),
);

const hostileValue = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\uD800',
    '🚀'.repeat(40),
    'x'.repeat(5000),
    '__proto__',
    -1,
    1e308,
    null,
  ),
  fc.constant({ __proto__: { polluted: true } }),
  fc.constant(
    JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}'),
  ),
);

const signedRequest = fc
  .record({
    partyId: fc.constantFrom(...config.parties.map((party) => party.id)),
    sample: fc.constantFrom(...samples),
    pathPick: fc.nat(),
    replacement: hostileValue,
    remove: fc.boolean(),
    raw: fc.option(
      fc.oneof(
        fc.string(),
        fc.jsonValue().map((value) => JSON.stringify(value)),
      ),
      { freq: 3 },
    ),
  })
  .map(({ partyId, sample, pathPick, replacement, remove, raw }) => {
    const source = samples.filter((candidate) => candidate.source === sourceOf[partyId]);
    const base = source.length > 0 ? (source[pathPick % source.length]?.body ?? sample.body) : sample.body;
    const paths = pathsOf(base);
    const body =
      raw ?? JSON.stringify(mutate(base, paths[pathPick % paths.length] ?? [], replacement, remove));
    return { partyId, rawBody: Buffer.from(body) };
  });

describe('ingress fuzz', () => {
  it('never answers 5xx and never queues a message that fails the queue or Workspace 365 schema', async () => {
    const { deps, queue } = freshDeps();
    await fc.assert(
      fc.asyncProperty(signedRequest, async ({ partyId, rawBody }) => {
        const party = config.parties.find((candidate) => candidate.id === partyId);
        const secret = party ? secrets[party.secretName]?.webhookSecrets[0] : undefined;
        if (!party || !secret) throw new Error('demo config and secrets disagree');
        const headers = {
          'content-type': 'application/json',
          ...signWebhook(party.auth, secret, rawBody, { now: NOW }),
        };
        const response = await handleWebhook(
          {
            method: 'POST',
            partyId,
            headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
            rawBody,
            query: {},
          },
          deps,
        );
        expect(response.status, JSON.stringify(response.body)).toBeLessThan(500);
        expect([200, 202, 400, 401, 413, 415, 422]).toContain(response.status);
      }),
      { numRuns: 1500, seed: FUZZ_SEED },
    );
    for (const message of queue.sent) {
      expect(QueueMessage.safeParse(message).success).toBe(true);
      expect(validatePayload(message.kind, message.payload).ok).toBe(true);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses random headers and bodies without a valid signature with a 4xx, queueing nothing', async () => {
    const { deps, queue } = freshDeps();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...config.parties.map((party) => party.id), 'unknown-party', ''),
        fc.dictionary(
          fc.constantFrom(
            'content-type',
            'webhook-id',
            'webhook-timestamp',
            'webhook-signature',
            'x-signature-256',
            'authorization',
            'idempotency-key',
          ),
          fc.oneof(
            fc.string(),
            fc.constantFrom('application/json', 'v1,AAAA', 'sha256=00', 'Basic Og==', 'Bearer x'),
          ),
        ),
        fc.uint8Array({ maxLength: 2048 }),
        async (partyId, headers, rawBody) => {
          const response = await handleWebhook(
            { method: 'POST', partyId, headers, rawBody, query: {} },
            deps,
          );
          expect(response.status).toBeGreaterThanOrEqual(400);
          expect(response.status).toBeLessThan(500);
        },
      ),
      { numRuns: 1500, seed: FUZZ_SEED },
    );
    expect(queue.sent).toHaveLength(0);
  });
});
