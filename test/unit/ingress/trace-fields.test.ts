import { describe, expect, it } from 'vitest';
import { createOnce } from '../../../shared/idempotency/once';
import { createPersistenceStore } from '../../../shared/idempotency/persistence-store';
import { handleWebhook, type IngressDeps } from '../../../shared/ingress/handle-webhook';
import { PartyRegistry } from '../../../shared/ingress/party-registry';
import type { IngressRequest } from '../../../shared/ingress/request';
import { InMemoryMetrics } from '../../../shared/observability/metrics';
import { demoConfig, demoSecrets } from '../../support/demo-relay';
import { capturingLogger, RecordingQueue, StaticSecretStore } from '../../support/ingress-fakes';

// Ingress log lines carry the trace fields (docs/tracing.md): the step, the event id once known, the
// delivery ids an accepted event became, and the correlation id the sender got back.
function setUp() {
  const logs = capturingLogger();
  const deps: IngressDeps = {
    parties: new PartyRegistry(demoConfig()),
    secrets: new StaticSecretStore(demoSecrets()),
    queue: new RecordingQueue(),
    once: createOnce(createPersistenceStore({}), { expiresAfterSeconds: 86_400, namespace: 'ingress' }),
    metrics: new InMemoryMetrics(),
    logger: logs.logger,
    clock: { now: () => new Date('2026-11-23T12:00:00Z') },
  };
  const send = async (body: unknown, token = 'demo-w365-token') => {
    const request: IngressRequest = {
      method: 'POST',
      partyId: 'w365-demo',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'idempotency-key': 'evt-trace-1',
        'x-correlation-id': 'corr-trace-1',
      },
      rawBody: Buffer.from(JSON.stringify(body)),
      query: {},
    };
    const response = await handleWebhook(request, deps);
    const [line] = logs.lines
      .splice(0)
      .map((text) => (JSON.parse(text) as { extra: Record<string, unknown>[] }).extra[0]);
    return { response, fields: line ?? {} };
  };
  return { send };
}

const activity = { User: { Upn: 'anna.devries@demo.example' }, Title: 'Hello' };

describe('ingress trace fields', () => {
  it('accepted: step, party, event id, correlation id and the delivery ids; then a duplicate', async () => {
    const { send } = setUp();
    const first = await send(activity);
    expect(first.fields).toEqual(
      expect.objectContaining({
        step: 'accepted',
        partyId: 'w365-demo',
        eventId: 'evt-trace-1',
        correlationId: 'corr-trace-1',
        status: 202,
        messageIds: (first.response.body as { ids: string[] }).ids,
      }),
    );
    expect((await send(activity)).fields).toMatchObject({
      step: 'duplicate',
      eventId: 'evt-trace-1',
      status: 202,
    });
  });

  it('a refusal after the event id is known carries it; one before (bad token) carries the correlation id only', async () => {
    const { send } = setUp();
    const invalid = await send({ User: { Upn: 'anna.devries@demo.example' } });
    expect(invalid.fields).toMatchObject({
      step: 'rejected',
      status: 422,
      code: 'payload_invalid',
      eventId: 'evt-trace-1',
    });
    const unauthorized = await send(activity, 'wrong-token');
    expect(unauthorized.fields).toMatchObject({
      step: 'rejected',
      status: 401,
      correlationId: 'corr-trace-1',
    });
    expect(unauthorized.fields).not.toHaveProperty('eventId');
  });
});
