import type { DeliveryQueue } from './delivery-queue';

/** SQS deletes at most ten messages per request. */
const MAX_BATCH = 10;

export type PromptDeleter = {
  /** Deletes a delivered message soon: resolves `true` once the queue deleted it, `false` if it did not. */
  delete(receiptHandle: string): Promise<boolean>;
};

/**
 * Deletes each delivered message as soon as it is delivered, instead of when the whole batch returns, so a
 * batch that fails afterwards (a crash, a timeout) cannot bring a posted message back to be posted again
 * (docs/cost.md, "One write per webhook"). Deletes that come within `windowMs` of each other share one
 * DeleteMessageBatch: the records of a batch are posted in parallel and mostly finish together.
 */
export function createPromptDeleter(
  queue: Pick<DeliveryQueue, 'deleteMessages'>,
  options: {
    /** How long the first delete waits for others to join it. @default 15 */
    windowMs?: number;
  } = {},
): PromptDeleter {
  const windowMs = options.windowMs ?? 15;
  let pending: { receiptHandle: string; done: (deleted: boolean) => void }[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = async () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = pending;
    pending = [];
    let failed: Set<string>;
    try {
      failed = new Set(await queue.deleteMessages(batch.map((entry) => entry.receiptHandle)));
    } catch {
      failed = new Set(batch.map((entry) => entry.receiptHandle));
    }
    for (const entry of batch) entry.done(!failed.has(entry.receiptHandle));
  };

  return {
    delete(receiptHandle) {
      return new Promise<boolean>((done) => {
        pending.push({ receiptHandle, done });
        if (pending.length >= MAX_BATCH) void flush();
        else timer ??= setTimeout(() => void flush(), windowMs);
      });
    },
  };
}
