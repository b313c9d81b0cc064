import { afterEach, describe, expect, it } from 'vitest';
import { apiKeyFingerprint } from '../../../devkit/workspace365-sandbox';
import { MetricName } from '../../../shared/observability/metric-names';
import { queueMessage } from '../../support/queue-messages';
import { waitFor } from '../../support/wait-for';
import { startWorkerRelay, type WorkerRelay } from '../../support/worker-relay';

let relay: WorkerRelay | undefined;
afterEach(async () => {
  await relay?.close();
  relay = undefined;
});

describe('per-party Workspace 365 keys', () => {
  it('a 401 with the cached old key after rotation: one refresh, delivered with the new key, no DLQ', async () => {
    const current = await startWorkerRelay({ parties: [{ id: 'acme', apiKey: 'old-key' }] });
    relay = current;
    current.startPoller();
    // Warm the cache with the old key.
    await current.send(queueMessage('acme'));
    await waitFor(() => current.sandbox.activities().length === 1, { what: 'the first delivery' });

    // The operator rotates: Workspace 365 takes only the new key, the secret holds it, the cache does not.
    current.sandbox.setApiKeys('demo', ['new-key']);
    current.secrets.put('webhook-relay/acme', { workspace365ApiKey: 'new-key', webhookSecrets: ['unused'] });
    const message = queueMessage('acme');
    await current.send(message);

    await waitFor(() => current.sandbox.activities().length === 2, { what: 'the delivery after rotation' });
    await waitFor(async () => (await current.count(current.sqs.queueUrl)) === 0, { what: 'the delete' });
    const requests = current.sandbox.requests().filter((request) => request.idempotencyKey === message.id);
    expect(requests.map((request) => [request.status, request.apiKeyFingerprint])).toEqual([
      [401, apiKeyFingerprint('old-key')],
      [200, apiKeyFingerprint('new-key')],
    ]);
    expect(current.secrets.reads.filter((read) => read.forceFetch)).toHaveLength(1);
    expect(current.visibilityChanges).toHaveLength(0);
    expect(current.metrics.sum(MetricName.DeliveryAuthFailure)).toBe(0);
    expect(await current.count(current.sqs.dlqUrl)).toBe(0);
  });

  it('three parties interleaved: every request carries its own party key, none leaks across', async () => {
    const parties = [
      { id: 'alpha', apiKey: 'alpha-key' },
      { id: 'bravo', apiKey: 'bravo-key' },
      { id: 'charlie', apiKey: 'charlie-key', environment: 'other' },
    ];
    const current = await startWorkerRelay({ parties });
    relay = current;
    const messages = Array.from({ length: 30 }, (_, index) => queueMessage(parties[index % 3]?.id ?? ''));
    const partyOfMessage = new Map(messages.map((message) => [message.id, message.partyId]));
    await current.send(...messages);
    current.startPoller();

    await waitFor(() => current.sandbox.activities().length === 30, {
      timeoutMs: 15_000,
      what: '30 activities',
    });
    const fingerprintOf = new Map(parties.map((party) => [party.id, apiKeyFingerprint(party.apiKey)]));
    for (const request of current.sandbox.requests()) {
      const partyId = partyOfMessage.get(request.idempotencyKey ?? '');
      expect(request.status).toBe(200);
      expect(request.apiKeyFingerprint).toBe(fingerprintOf.get(partyId ?? ''));
      expect(request.environment).toBe(partyId === 'charlie' ? 'other' : 'demo');
    }
    expect(new Set(current.sandbox.activities().map((activity) => activity.idempotencyKey)).size).toBe(30);
  });
});
