import { describe, expect, it } from 'vitest';
import { demoConfig, demoSecrets } from '../../../devkit/fakes/demo';
import { MemorySecretStore } from '../../../devkit/fakes/memory-secret-store';
import { recordingLogger } from '../../../devkit/fakes/recording-logger';
import { RecordingQueue } from '../../../devkit/fakes/recording-queue';
import { ALL_SOURCE_ENGINES } from '../../../devkit/source-engines';
import { InMemoryDedupLedger } from '../../../shared/adapters/in-memory-dedup-ledger';
import { createIngressDeps } from '../../../shared/composition/ingress-deps';
import { handleWebhook } from '../../../shared/ingress/handle-webhook';
import type { IngressRequest } from '../../../shared/ingress/request';
import { InMemoryMetrics } from '../../../shared/observability/metrics';

// Ingress log lines carry the trace fields (docs/tracing.md): the step, the event id once known, the
// delivery ids an accepted event became, and the correlation id the sender got back.
function setUp() {
  const logs = recordingLogger();
  const deps = createIngressDeps({
    sourceEngines: ALL_SOURCE_ENGINES,
    config: demoConfig(),
    secrets: new MemorySecretStore(demoSecrets()),
    queue: new RecordingQueue(),
    ledger: new InMemoryDedupLedger(),
    metrics: new InMemoryMetrics(),
    logger: logs.logger,
    clock: { now: () => new Date('2026-11-23T12:00:00Z') },
  });
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
    const [line] = logs.lines.splice(0).map(([, fields]) => fields as Record<string, unknown> | undefined);
    return { response, fields: line ?? {} };
  };
  return { send };
}

const activity = { User: { Upn: 'anna.devries@demo.example' }, Title: 'Hello' };

describe('ingress trace fields', () => {
  it('accepted: step, party, event id, correlation id and the delivery ids; then a duplicate', async () => {
    const { send } = setUp();
    const first = await send(activity);
    // Exactly these keys: every byte of the one line per webhook is billed (docs/cost.md, "Logs").
    expect(first.fields).toEqual({
      step: 'accepted',
      partyId: 'w365-demo',
      eventId: 'evt-trace-1',
      correlationId: 'corr-trace-1',
      status: 202,
      messageIds: (first.response.body as { ids: string[] }).ids,
    });
    expect((await send(activity)).fields).toEqual({
      step: 'duplicate',
      partyId: 'w365-demo',
      eventId: 'evt-trace-1',
      correlationId: 'corr-trace-1',
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
