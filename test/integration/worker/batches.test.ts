import { afterEach, describe, expect, it } from 'vitest';
import { eventKey } from '../../../shared/dedup/event-key';
import { queueMessage } from '../../support/queue-messages';
import { waitFor } from '../../support/wait-for';
import { startWorkerRelay, type WorkerRelay } from '../../support/worker-relay';

let relay: WorkerRelay | undefined;
afterEach(async () => {
  await relay?.close();
  relay = undefined;
});

describe('batches and crashes', () => {
  it('a batch of 10 where 2 fail reports exactly those 2; the other 8 are delivered once', async () => {
    const current = await startWorkerRelay({ parties: [{ id: 'acme', apiKey: 'acme-key' }] });
    relay = current;
    // The two batch-kind messages get a 503 on their first attempt; the eight activities go through.
    current.sandbox.script({ status: 503, kind: 'batch', times: 2 });
    const messages = Array.from({ length: 10 }, (_, index) =>
      queueMessage('acme', { kind: index === 3 || index === 7 ? 'batch' : 'activity' }),
    );
    await current.send(...messages);
    current.startPoller();

    await waitFor(() => current.batches.length > 0, { what: 'the first batch' });
    const [first] = current.batches;
    expect(first?.records).toHaveLength(10);
    const deliveryIdOf = new Map(
      first?.records.map((record) => [record.messageId, JSON.parse(record.body).id]),
    );
    const reported = first?.response.batchItemFailures.map((failure) =>
      deliveryIdOf.get(failure.itemIdentifier),
    );
    expect(reported?.sort()).toEqual([messages[3]?.id, messages[7]?.id].sort());
    const firstBatchRequests = current.sandbox.requests();
    expect(firstBatchRequests).toHaveLength(10);

    await waitFor(() => current.sandbox.activities().length === 10, { what: 'all deliveries' });
    await waitFor(async () => (await current.count(current.sqs.queueUrl)) === 0, { what: 'the deletes' });
    const failedDeliveryIds = firstBatchRequests
      .filter((request) => request.status === 503)
      .map((request) => request.idempotencyKey);
    expect(failedDeliveryIds.sort()).toEqual([messages[3]?.id, messages[7]?.id].sort());
    const perMessage = new Map<string, number>();
    for (const request of current.sandbox.requests().filter((request) => request.status === 200))
      perMessage.set(request.idempotencyKey ?? '', (perMessage.get(request.idempotencyKey ?? '') ?? 0) + 1);
    expect([...perMessage.values()]).toEqual(Array(10).fill(1));
  });

  it('a crash after the 200: the message was deleted as soon as it was delivered, so nothing comes back', async () => {
    let crashes = 0;
    const current = await startWorkerRelay({
      parties: [{ id: 'acme', apiKey: 'acme-key' }],
      visibilityTimeoutSeconds: 1,
      wrapHandler: (handler) => async (event, context) => {
        await handler(event, context);
        crashes++;
        throw new Error('worker crashed after delivering'); // the poller deletes nothing
      },
    });
    relay = current;
    await current.send(queueMessage('acme'));
    current.startPoller({ onError: () => {} });

    await waitFor(() => current.responses.length >= 1, { what: 'the delivery' });
    await waitFor(async () => (await current.count(current.sqs.queueUrl)) === 0, { what: 'the delete' });
    // Past the visibility timeout: a message the crash had left on the queue would be back by now.
    await new Promise((done) => setTimeout(done, 2_500));
    expect(crashes).toBe(1);
    expect(current.responses).toHaveLength(1);
    expect(current.sandbox.activities()).toHaveLength(1);
  });

  it('a crash after the 200 when the queue kept the message: the ledger remembers it, and the redelivery is not posted', async () => {
    let crashes = 0;
    const current = await startWorkerRelay({
      parties: [{ id: 'acme', apiKey: 'acme-key' }],
      visibilityTimeoutSeconds: 1,
      refuseDeletes: () => true,
      wrapHandler: (handler) => async (event, context) => {
        const response = await handler(event, context);
        if (crashes === 0) {
          crashes++;
          throw new Error('worker crashed after delivering'); // the poller deletes nothing
        }
        return response;
      },
    });
    relay = current;
    const message = queueMessage('acme', { attempt: 'attempt-1' });
    await current.ledger.claim(eventKey('acme', message.eventId), 'attempt-1');
    await current.send(message);
    current.startPoller({ onError: () => {} });

    await waitFor(() => current.responses.length >= 2, { timeoutMs: 10_000, what: 'the redelivery' });
    await waitFor(async () => (await current.count(current.sqs.queueUrl)) === 0, { what: 'the delete' });
    expect(crashes).toBe(1);
    expect(current.sandbox.requests()).toHaveLength(1);
    expect(current.sandbox.activities()).toHaveLength(1);
    expect(current.responses.map((response) => response.batchItemFailures)).toEqual([[], []]);
  });
});
