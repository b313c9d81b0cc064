import { beforeEach, describe, expect, it, vi } from 'vitest';
import { demoConfig, demoParty, demoSecrets } from '../../../devkit/fakes/demo';
import { MemorySecretStore } from '../../../devkit/fakes/memory-secret-store';
import { recordingLogger } from '../../../devkit/fakes/recording-logger';
import { RecordingQueue } from '../../../devkit/fakes/recording-queue';
import { sampleEvents } from '../../../devkit/samples';
import { ALL_SOURCE_ENGINES } from '../../../devkit/source-engines';
import { InMemoryDedupLedger } from '../../../shared/adapters/in-memory-dedup-ledger';
import { signWebhook } from '../../../shared/auth';
import { createIngressDeps } from '../../../shared/composition/ingress-deps';
import type { RelayConfig } from '../../../shared/config/relay-config';
import type { PartySecret } from '../../../shared/config/secret-value';
import { eventKey } from '../../../shared/dedup/event-key';
import { QueueMessage } from '../../../shared/envelope/queue-message';
import { handleWebhook, type IngressDeps } from '../../../shared/ingress/handle-webhook';
import { PartyRegistry } from '../../../shared/ingress/party-registry';
import { type IngressRequest, normaliseHeaders } from '../../../shared/ingress/request';
import { InMemoryMetrics } from '../../../shared/observability/metrics';
import { DedupLedgerUnavailableError } from '../../../shared/ports/dedup-ledger';
import { type MessageQueue, QueueUnavailableError } from '../../../shared/ports/message-queue';
import { DEFAULT_USER_AGENT } from '../../../shared/workspace365/client';

const NOW = new Date('2026-11-23T12:00:00Z');

let config: RelayConfig;
let secrets: Record<string, PartySecret>;
let queue: RecordingQueue;
let metrics: InMemoryMetrics;
let logs: ReturnType<typeof recordingLogger>;
let deps: IngressDeps;

beforeEach(() => {
  config = demoConfig();
  secrets = demoSecrets();
  queue = new RecordingQueue();
  metrics = new InMemoryMetrics();
  logs = recordingLogger();
  deps = createIngressDeps({
    sourceEngines: ALL_SOURCE_ENGINES,
    config,
    secrets: new MemorySecretStore(secrets),
    queue,
    ledger: new InMemoryDedupLedger(),
    metrics,
    logger: logs.logger,
    clock: { now: () => NOW },
  });
});

function secretOf(partyId: string): string {
  const party = demoParty({ id: partyId }, config);
  const secret = secrets[party.secretName]?.webhookSecrets[0];
  if (!secret) throw new Error(`no demo secret for ${partyId}`);
  return secret;
}

/** A correctly signed request for a demo party. */
function signed(
  partyId: string,
  body: unknown,
  options: {
    headers?: Record<string, string>;
    webhookId?: string;
    now?: Date;
    query?: Record<string, string>;
  } = {},
): IngressRequest {
  const rawBody =
    body instanceof Uint8Array
      ? Buffer.from(body)
      : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const party = demoParty({ id: partyId }, config);
  const auth = signWebhook(party.auth, secretOf(partyId), rawBody, {
    now: options.now ?? NOW,
    ...(options.webhookId ? { webhookId: options.webhookId } : {}),
  });
  return {
    method: 'POST',
    partyId,
    headers: normaliseHeaders({ 'content-type': 'application/json', ...auth, ...options.headers }),
    rawBody,
    query: options.query ?? {},
  };
}

const activity = (title = 'Contract signed') => ({
  User: { Upn: 'anna.devries@demo.example' },
  Title: title,
  Actions: [{ Kind: 4, Title: 'Open contract', Url: 'https://crm.example/contracts/1' }],
});

describe('ingress: docs/architecture.md §4 responses', () => {
  it('accepts a signed webhook: 202 with the ids, the messages queued in the fixed format', async () => {
    const response = await handleWebhook(signed('w365-demo', activity()), deps);
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ accepted: 1, ids: [queue.sent[0]?.id] });
    expect(queue.sent).toHaveLength(1);
    const message = QueueMessage.parse(queue.sent[0]);
    expect(message).toMatchObject({
      v: 1,
      partyId: 'w365-demo',
      kind: 'activity',
      event: 'activity',
      receivedAt: NOW.toISOString(),
      payload: { User: { Upn: 'anna.devries@demo.example' }, Title: 'Contract signed' },
    });
    expect(message.correlationId).toBe(response.headers['x-correlation-id']);
    expect(metrics.sum('DeliveryQueued')).toBe(1);
  });

  it('maps every sample event of every source and queues only schema-valid payloads', async () => {
    const partyBySource = {
      workdrive: 'workdrive-demo',
      huddle: 'huddle-demo',
      template: 'crm-demo',
    } as const;
    for (const [source, partyId] of Object.entries(partyBySource)) {
      for (const [event, makeBody] of Object.entries(sampleEvents[source as keyof typeof partyBySource])) {
        const response = await handleWebhook(signed(partyId, makeBody()), deps);
        expect(response.status, `${source} ${event}: ${JSON.stringify(response.body)}`).toBe(202);
        expect((response.body as { accepted: number }).accepted, `${source} ${event}`).toBeGreaterThan(0);
      }
    }
    for (const message of queue.sent) expect(QueueMessage.safeParse(message).success).toBe(true);
  });

  it('answers 202 ignored for an event type the mapping does not handle, and queues nothing', async () => {
    const body = { id: 'evt-ignored-1', event: 'document.viewed', occurredAt: NOW.toISOString(), data: {} };
    const response = await handleWebhook(signed('workdrive-demo', body), deps);
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ accepted: 0, ignored: expect.stringContaining('document.viewed') });
    expect(queue.sent).toHaveLength(0);
    expect(metrics.sum('WebhookIgnored')).toBe(1);
  });

  it("answers 202 duplicate when the sender retries the same event id; the retry's copy is not the owner's", async () => {
    const ledger = new InMemoryDedupLedger();
    deps.ledger = ledger;
    const first = await handleWebhook(
      signed('w365-demo', activity(), { headers: { 'Idempotency-Key': 'evt-7' } }),
      deps,
    );
    const again = await handleWebhook(
      signed('w365-demo', activity(), { headers: { 'Idempotency-Key': 'evt-7' } }),
      deps,
    );
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ accepted: 0, duplicate: true });
    expect(metrics.sum('WebhookDuplicate')).toBe(1);
    // Queued first, claimed after: the retry's copy is on the queue, under the same message id but
    // another attempt, and the ledger names the first attempt, so the worker drops it unposted.
    const [original, retry] = queue.sent;
    expect(retry?.id).toBe(original?.id);
    expect(retry?.attempt).not.toBe(original?.attempt);
    expect(await ledger.read(eventKey('w365-demo', 'evt-7'))).toEqual({
      owner: original?.attempt,
      abandoned: [],
      delivered: [],
    });
  });

  it('of two copies of an event sent at the same moment exactly one is accepted, the other answered duplicate', async () => {
    const request = signed('w365-demo', activity(), { headers: { 'Idempotency-Key': 'evt-race' } });
    const answers = await Promise.all([handleWebhook(request, deps), handleWebhook(request, deps)]);
    expect(answers.map((answer) => answer.body).sort()).toEqual(
      [{ accepted: 0, duplicate: true }, expect.objectContaining({ accepted: 1 })].sort(),
    );
    const owner = (await deps.ledger?.read(eventKey('w365-demo', 'evt-race')))?.owner;
    expect(queue.sent.filter((message) => message.attempt === owner)).toHaveLength(1);
  });

  it('gives up an attempt the queue refused: 503, and its copies already queued are never delivered', async () => {
    const ledger = new InMemoryDedupLedger();
    const request = signed('w365-demo', activity(), { headers: { 'Idempotency-Key': 'evt-partial' } });
    let attempt: string | undefined;
    const refusing: MessageQueue = {
      sendAll: async (messages) => {
        attempt = messages[0]?.message.attempt;
        throw new QueueUnavailableError('one entry refused', 1);
      },
    };
    const refused = await handleWebhook(request, { ...deps, ledger, queue: refusing });
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ globalError: { code: 'queue_unavailable' } });
    expect(await ledger.read(eventKey('w365-demo', 'evt-partial'))).toEqual({
      abandoned: [attempt],
      delivered: [],
    });
    // The sender's retry is a new attempt, and becomes the owner.
    const retried = await handleWebhook(request, { ...deps, ledger });
    expect(retried.body).toMatchObject({ accepted: 1 });
    expect((await ledger.read(eventKey('w365-demo', 'evt-partial')))?.owner).toBe(queue.sent.at(-1)?.attempt);
  });

  it('answers 202 accepted when the ledger cannot record the event: the messages are queued, the worker settles it', async () => {
    const ledger = new InMemoryDedupLedger();
    vi.spyOn(ledger, 'claim').mockRejectedValue(
      new DedupLedgerUnavailableError('the dedup ledger could not claim (ThrottlingException)'),
    );
    const response = await handleWebhook(signed('w365-demo', activity()), { ...deps, ledger });
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ accepted: 1 });
    expect(queue.sent).toHaveLength(1);
    expect(logs.lines.some(([message]) => String(message).includes('could not record the event'))).toBe(true);
  });

  it('dedups standard-webhooks retries by webhook-id even when the body was re-serialised', async () => {
    const body = sampleEvents.workdrive['task.assigned']?.() as Record<string, unknown>;
    const first = signed('workdrive-demo', body, { webhookId: 'msg_retry_1' });
    const retry = signed('workdrive-demo', JSON.stringify(body, null, 2), { webhookId: 'msg_retry_1' });
    expect((await handleWebhook(first, deps)).status).toBe(202);
    expect((await handleWebhook(retry, deps)).body).toEqual({ accepted: 0, duplicate: true });
  });

  it('accepts svix-* headers as Standard Webhooks and dedups by svix-id', async () => {
    const asSvix = (request: IngressRequest): IngressRequest => ({
      ...request,
      headers: Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [name.replace(/^webhook-/, 'svix-'), value]),
      ),
    });
    const body = sampleEvents.workdrive['task.assigned']?.() as Record<string, unknown>;
    const first = asSvix(signed('workdrive-demo', body, { webhookId: 'msg_svix_1' }));
    expect(Object.keys(first.headers)).toContain('svix-signature');
    expect(Object.keys(first.headers)).not.toContain('webhook-signature');
    const retry = asSvix(
      signed('workdrive-demo', JSON.stringify(body, null, 2), { webhookId: 'msg_svix_1' }),
    );
    expect((await handleWebhook(first, deps)).status).toBe(202);
    expect((await handleWebhook(retry, deps)).body).toEqual({ accepted: 0, duplicate: true });
  });

  it('says which fields of a template output were dropped (links Workspace 365 would refuse): 202, dry run and log', async () => {
    const deal = sampleEvents.template['deal.won']?.() as { deal: Record<string, unknown> };
    const body = { ...deal, deal: { ...deal.deal, url: 'not a url' } };
    const dryRun = await handleWebhook(signed('crm-demo', body, { query: { dryRun: '1' } }), deps);
    expect(dryRun.status).toBe(200);
    expect(dryRun.body).toMatchObject({ dryRun: true, dropped: ['Url', 'Actions[0]'] });
    const accepted = await handleWebhook(signed('crm-demo', body), deps);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ accepted: 1, dropped: ['Url', 'Actions[0]'] });
    const warnings = logs.lines
      .filter(([message]) => message === 'fields dropped that Workspace 365 would refuse')
      .map((line) => JSON.stringify(line));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('"dropped":["Url","Actions[0]"]');
    expect(warnings.join('\n')).not.toContain('not a url');
  });

  it('answers 404 for an unknown party', async () => {
    const response = await handleWebhook({ ...signed('w365-demo', activity()), partyId: 'nobody' }, deps);
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ globalError: { code: 'party_unknown', message: expect.any(String) } });
  });

  it('answers 401 for a missing or wrong signature, token or credentials', async () => {
    const wrongSecret = { 'standard-webhooks': `whsec_${Buffer.from('not-the-secret').toString('base64')}` };
    for (const partyId of ['workdrive-demo', 'huddle-demo', 'w365-demo', 'crm-demo']) {
      const party = demoParty({ id: partyId }, config);
      const good = signed(partyId, activity());
      const unsigned = { ...good, headers: { 'content-type': 'application/json' } };
      const wrong = {
        ...good,
        headers: normaliseHeaders({
          'content-type': 'application/json',
          ...signWebhook(
            party.auth,
            wrongSecret[party.auth.scheme as 'standard-webhooks'] ?? 'wrong:secret',
            good.rawBody,
            {
              now: NOW,
            },
          ),
        }),
      };
      for (const request of [unsigned, wrong]) {
        const response = await handleWebhook(request, deps);
        expect(response.status, partyId).toBe(401);
        expect((response.body as { globalError: { code: string } }).globalError.code).toMatch(
          /^(signature|token|credentials)_(missing|invalid)$/,
        );
      }
    }
    expect(queue.sent).toHaveLength(0);
  });

  it('answers 401 when a signed body is changed after signing', async () => {
    for (const partyId of ['workdrive-demo', 'huddle-demo']) {
      const tampered = {
        ...signed(partyId, activity()),
        rawBody: Buffer.from(JSON.stringify(activity('Tampered'))),
      };
      const response = await handleWebhook(tampered, deps);
      expect(response.body).toMatchObject({ globalError: { code: 'signature_invalid' } });
    }
    expect(queue.sent).toHaveLength(0);
  });

  it('answers 401 timestamp_invalid outside ±300 s', async () => {
    const stale = signed('workdrive-demo', { x: 1 }, { now: new Date(NOW.getTime() - 301_000) });
    const future = signed('workdrive-demo', { x: 1 }, { now: new Date(NOW.getTime() + 301_000) });
    for (const request of [stale, future]) {
      const response = await handleWebhook(request, deps);
      expect(response.status).toBe(401);
      expect((response.body as { globalError: { code: string } }).globalError.code).toBe('timestamp_invalid');
    }
  });

  it('answers 413 for a body over 256 KiB, before verifying or parsing it', async () => {
    const request = signed('w365-demo', activity('x'.repeat(256 * 1024)));
    const response = await handleWebhook(request, deps);
    expect(response.status).toBe(413);
    expect(queue.sent).toHaveLength(0);
  });

  it('answers 415 for a non-JSON content type and 400 for a body that is not JSON', async () => {
    const form = signed('w365-demo', 'a=1', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect((await handleWebhook(form, deps)).status).toBe(415);
    const broken = await handleWebhook(signed('w365-demo', '{"User": '), deps);
    expect(broken.status).toBe(400);
    expect(broken.body).toMatchObject({ globalError: { code: 'body_not_json' } });
    const notUtf8 = await handleWebhook(signed('w365-demo', new Uint8Array([0x7b, 0xff, 0x7d])), deps);
    expect(notUtf8.body).toMatchObject({ globalError: { code: 'body_not_utf8' } });
    const deep = await handleWebhook(signed('w365-demo', `${'['.repeat(100)}${']'.repeat(100)}`), deps);
    expect(deep.body).toMatchObject({ globalError: { code: 'body_too_deep' } });
    expect(queue.sent).toHaveLength(0);
  });

  it('answers 422 with the field and the reason when the mapped payload breaks a Workspace 365 rule', async () => {
    const tooMany = {
      ...activity(),
      Actions: [1, 2, 3].map((n) => ({ Kind: 4, Title: `Action ${n}`, Url: 'https://x.example' })),
    };
    const response = await handleWebhook(signed('w365-demo', tooMany), deps);
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({
      globalError: { code: 'payload_invalid' },
      fieldErrors: { Actions: { message: 'at most 2 actions are allowed' } },
    });
    const polluted = await handleWebhook(
      signed('w365-demo', `{"User":{"Upn":"a@x.example"},"Title":"t","__proto__":{"x":1}}`),
      deps,
    );
    expect(polluted.status).toBe(422);
    expect(JSON.stringify(polluted.body)).toContain('"__proto__":{"message":"is not a known field"}');
    const noUser = await handleWebhook(signed('w365-demo', { User: {}, Title: 't' }), deps);
    expect(noUser.body).toMatchObject({ fieldErrors: { User: { message: 'a user needs an Id or a Upn' } } });
    expect(queue.sent).toHaveLength(0);
  });

  it('answers 422 source_invalid with field paths when the source event breaks its schema', async () => {
    const response = await handleWebhook(
      signed('huddle-demo', { id: 'e1', event: 'workspace.user.added' }),
      deps,
    );
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({
      globalError: { code: 'source_invalid' },
      fieldErrors: expect.any(Object),
    });
  });

  it('answers 503 when the queue refuses, claims nothing, and accepts the retry once the queue is back', async () => {
    queue.refuse = true;
    const request = signed('w365-demo', activity(), { headers: { 'Idempotency-Key': 'evt-503' } });
    const refused = await handleWebhook(request, deps);
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ globalError: { code: 'queue_unavailable' } });
    queue.refuse = false;
    const retried = await handleWebhook(request, deps);
    expect(retried.status).toBe(202);
    expect(retried.body).toMatchObject({ accepted: 1 });
  });

  it('answers 503 secret_unavailable when the party secret cannot be read', async () => {
    deps.secrets = new MemorySecretStore({});
    const response = await handleWebhook(signed('w365-demo', activity()), deps);
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBeDefined();
  });

  it('derives the same message ids for the same event, so a re-sent event is delivered once by the worker', async () => {
    const request = signed('w365-demo', activity(), { headers: { 'Idempotency-Key': 'evt-ids' } });
    const a = await handleWebhook(request, { ...deps, ledger: new InMemoryDedupLedger() });
    const b = await handleWebhook(request, { ...deps, ledger: new InMemoryDedupLedger() });
    expect((a.body as { ids: string[] }).ids).toEqual((b.body as { ids: string[] }).ids);
  });

  it('dry run answers 200 with the exact Workspace 365 requests, queues nothing and claims nothing', async () => {
    const request = signed('w365-demo', activity(), {
      query: { dryRun: '1' },
      headers: { 'Idempotency-Key': 'evt-dry' },
    });
    const response = await handleWebhook(request, deps);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      dryRun: true,
      requests: [
        {
          method: 'POST',
          url: 'http://127.0.0.1:4365/demo/api/activities',
          body: { User: { Upn: 'anna.devries@demo.example' }, Title: 'Contract signed' },
        },
      ],
    });
    expect(JSON.stringify(response.body)).not.toContain(
      secrets['webhook-relay/w365-demo']?.workspace365ApiKey,
    );
    expect(queue.sent).toHaveLength(0);
    const real = await handleWebhook({ ...request, query: {} }, deps);
    expect(real.body).toMatchObject({ accepted: 1 });
  });

  it('dry run shows every header the worker sends: Idempotency-Key, X-Correlation-Id, Accept-Language, the key masked', async () => {
    demoParty({ id: 'w365-demo' }, config).target.language = 'nl-NL';
    deps = { ...deps, parties: new PartyRegistry(config, ALL_SOURCE_ENGINES) };
    const request = signed('w365-demo', activity(), {
      query: { dryRun: '1' },
      headers: { 'Idempotency-Key': 'evt-dry-headers', 'X-Correlation-Id': 'corr-dry-1' },
    });
    const response = await handleWebhook(request, deps);
    const [preview] = (response.body as { requests: { headers: Record<string, string> }[] }).requests;
    const real = await handleWebhook({ ...request, query: {} }, deps);
    const [id] = (real.body as { ids: string[] }).ids;
    expect(preview?.headers).toEqual({
      Authorization: 'Workspace365 <the party key from its secret>',
      'Content-Type': 'application/json',
      Accept: 'application/json',
      'User-Agent': DEFAULT_USER_AGENT,
      'Accept-Language': 'nl-NL',
      'Idempotency-Key': id,
      'X-Correlation-Id': 'corr-dry-1',
    });
    expect(queue.sent[0]).toMatchObject({ id, correlationId: 'corr-dry-1' });
  });

  it('never writes a secret, a signature or the payload to the logs', async () => {
    const request = signed('crm-demo', sampleEvents.template['deal.won']?.());
    await handleWebhook(request, deps);
    await handleWebhook(
      { ...request, headers: { ...request.headers, authorization: 'Basic bm9wZTpub3Bl' } },
      deps,
    );
    const text = JSON.stringify(logs.lines);
    expect(logs.lines.length).toBeGreaterThanOrEqual(2);
    for (const secret of Object.values(secrets)) {
      expect(text).not.toContain(secret.workspace365ApiKey);
      for (const webhookSecret of secret.webhookSecrets) expect(text).not.toContain(webhookSecret);
    }
    expect(text).not.toContain(request.headers.authorization);
    expect(text).not.toContain('Deal won');
  });
});
