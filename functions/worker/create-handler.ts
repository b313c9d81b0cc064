import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { decodeQueueMessageAttributes } from '../../shared/envelope/queue-message';
import { PowertoolsRelayMetrics } from '../../shared/observability/powertools-metrics';
import { publishMetrics } from '../../shared/observability/publish-metrics';
import { type DeliveryDeps, type DeliveryResult, deliverRecord } from '../../shared/worker/deliver-record';
import { createKeyedLimiter } from '../../shared/worker/keyed-limiter';
import { createPromptDeleter } from '../../shared/worker/prompt-deleter';
import { fromSqsRecord } from './sqs-record';

/** Records of one party delivered at the same time, per invocation. */
export const DEFAULT_PARTY_CONCURRENCY = 4;

export type WorkerHandlerDeps = Omit<DeliveryDeps, 'remainingTimeMs'> & {
  /** @default DEFAULT_PARTY_CONCURRENCY */
  partyConcurrency?: number;
};

/** A record that waits for a later receive; thrown so the batch processor reports it as an item failure. */
export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';
  constructor(readonly result: Extract<DeliveryResult, { status: 'retry' }>) {
    super(`delivery retried later (${result.reason}, in ${result.visibilityTimeoutSeconds} s)`);
  }
}

/**
 * The worker's Lambda handler: the records of a batch are delivered concurrently (at most
 * `partyConcurrency` per party), each settled on its own, and those waiting for a retry come back as
 * `batchItemFailures` — also when every record of the batch fails.
 */
export function createWorkerHandler(deps: WorkerHandlerDeps) {
  const limiter = createKeyedLimiter(deps.partyConcurrency ?? DEFAULT_PARTY_CONCURRENCY);
  const handler = middy(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const deleter = createPromptDeleter(deps.queue);
    const delivery: DeliveryDeps = {
      ...deps,
      deleteDelivered: (receiptHandle) => deleter.delete(receiptHandle),
      remainingTimeMs: () => context?.getRemainingTimeInMillis?.() ?? Number.POSITIVE_INFINITY,
    };
    const deliverOne = (record: SQSRecord) =>
      limiter.run(decodeQueueMessageAttributes(record.messageAttributes).partyId ?? '', async () => {
        const result = await deliverRecord(fromSqsRecord(record), delivery);
        if (result.status === 'retry') throw new RetryLaterError(result);
        return result;
      });
    // One processor per invocation: it holds the batch's state, and local hosts may invoke concurrently.
    return processPartialResponse(event, deliverOne, new BatchProcessor(EventType.SQS), {
      context,
      processInParallel: true,
      throwOnFullBatchFailure: false,
    });
  });
  // A Powertools logger gets the Lambda context on every line; Powertools metrics go out per invocation as one EMF document.
  if (deps.logger instanceof Logger) handler.use(injectLambdaContext(deps.logger));
  if (deps.metrics instanceof PowertoolsRelayMetrics) handler.use(publishMetrics(deps.metrics));
  return handler;
}
