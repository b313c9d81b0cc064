import { describe, expect, it } from 'vitest';
import { createWorkerHandler } from '../../../../functions/worker/create-handler';
import type { DeliveryOutcome } from '../../../../shared/workspace365/delivery-outcome';
import { queueMessage } from '../../../support/queue-messages';
import { lambdaContext, sqsEvent, sqsRecord } from '../../../support/sqs-events';
import { fakeWorkspace365, workerDeps } from '../../../support/worker-fakes';

describe('worker handler (Powertools BatchProcessor, partial batch responses)', () => {
  it('answers an empty batch with no failures', async () => {
    const { deps } = workerDeps();
    expect(await createWorkerHandler(deps)(sqsEvent([]), lambdaContext())).toEqual({ batchItemFailures: [] });
  });

  it('reports every record when the whole batch fails, instead of throwing', async () => {
    const workspace365 = fakeWorkspace365(() => ({
      type: 'retryable',
      status: 503,
      reason: 'http',
      latencyMs: 1,
    }));
    const { deps, queue } = workerDeps({ workspace365: workspace365.client });
    const records = [1, 2, 3].map(() => sqsRecord(queueMessage('acme')));

    const response = await createWorkerHandler(deps)(sqsEvent(records), lambdaContext());

    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual(
      records.map((record) => record.messageId).sort(),
    );
    expect(queue.visibility).toHaveLength(3);
  });

  it('reports only the records that wait for a retry; delivered and dead-lettered ones succeed', async () => {
    const byTitle: Record<string, DeliveryOutcome> = {
      retry: { type: 'retryable', status: 500, reason: 'http', latencyMs: 1 },
      reject: { type: 'rejected', status: 400, error: { globalError: { message: 'no' } }, latencyMs: 1 },
    };
    const titles = new Map<string, string>();
    const workspace365 = fakeWorkspace365(
      (call) =>
        byTitle[titles.get(call.idempotencyKey ?? '') ?? ''] ?? {
          type: 'delivered',
          status: 200,
          activityIds: [1],
          latencyMs: 1,
        },
    );
    const { deps } = workerDeps({ workspace365: workspace365.client });
    const records = ['ok', 'retry', 'reject', 'ok'].map((title) => {
      const message = queueMessage('acme');
      titles.set(message.id, title);
      return sqsRecord(message);
    });
    records.push(sqsRecord('poison'));

    const response = await createWorkerHandler(deps)(sqsEvent(records), lambdaContext());

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: records[1]?.messageId }]);
  });

  it('delivers a batch concurrently, with at most `partyConcurrency` requests open per party', async () => {
    const open = new Map<string, number>();
    const peak = new Map<string, number>();
    const { deps } = workerDeps({
      workspace365: {
        async post(_kind, target, apiKey) {
          const party = apiKey.replace('-key', '');
          open.set(party, (open.get(party) ?? 0) + 1);
          peak.set(party, Math.max(peak.get(party) ?? 0, open.get(party) ?? 0));
          await new Promise((resolve) => setTimeout(resolve, 20));
          open.set(party, (open.get(party) ?? 0) - 1);
          void target;
          return { type: 'delivered', status: 200, activityIds: [1], latencyMs: 20 };
        },
      },
    });
    const records = Array.from({ length: 10 }, (_, index) =>
      sqsRecord(queueMessage(index < 8 ? 'acme' : 'globex')),
    );

    const response = await createWorkerHandler({ ...deps, partyConcurrency: 3 })(
      sqsEvent(records),
      lambdaContext(),
    );

    expect(response.batchItemFailures).toEqual([]);
    expect(peak.get('acme')).toBe(3);
    expect(peak.get('globex')).toBe(2);
  });
});
