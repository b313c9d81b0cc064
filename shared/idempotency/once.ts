import { randomUUID } from 'node:crypto';
import type { JSONValue } from '@aws-lambda-powertools/commons/types';
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Context } from 'aws-lambda';

/** Another attempt with the same key is running right now; the caller should ask for a retry. */
export class WorkInProgressError extends Error {
  override readonly name = 'WorkInProgressError';
}

export type OnceResult<T> = {
  /** `true` when this call did the work; `false` when an earlier call already had (the value is its result). */
  first: boolean;
  value: T;
};

export interface Once {
  /**
   * Runs `work` unless an earlier successful run with the same key is on record (within the expiry).
   * A run that throws leaves no record, so the next attempt runs again.
   */
  run<T extends JSONValue>(
    key: string,
    work: () => Promise<T>,
    options?: { remainingTimeMs?: number },
  ): Promise<OnceResult<T>>;
}

/**
 * "At most once per key" on top of Powertools idempotency: its persistence layer handles the
 * in-progress lock, the expiry and the clean-up after a failure. We only tell a first run from a
 * repeat, by comparing the attempt id stored with the result to our own.
 */
export function createOnce(
  persistenceStore: BasePersistenceLayer,
  options: {
    /** How long a completed key is remembered. */
    expiresAfterSeconds: number;
    /** Keeps keys of different uses apart in one store (e.g. `ingress`, `delivery`). */
    namespace: string;
    /** Time an in-progress lock survives a crashed attempt when the caller gives none. @default 30000 */
    defaultRemainingTimeMs?: number;
  },
): Once {
  const config = new IdempotencyConfig({
    expiresAfterSeconds: options.expiresAfterSeconds,
    throwOnNoIdempotencyKey: true,
  });
  // The key string itself is the hashed payload (`dataIndexArgument: 0`): no JMESPath lookup per call.
  const wrapped = makeIdempotent(
    async (_key: string, attemptId: string, work: () => Promise<JSONValue>) => ({
      attemptId,
      value: await work(),
    }),
    { persistenceStore, config, dataIndexArgument: 0 },
  );
  return {
    async run<T extends JSONValue>(
      key: string,
      work: () => Promise<T>,
      runOptions: { remainingTimeMs?: number } = {},
    ) {
      const remaining = runOptions.remainingTimeMs ?? options.defaultRemainingTimeMs ?? 30_000;
      // The in-progress lock expires with the caller's remaining time, so a crash never blocks a key for long.
      config.registerLambdaContext({ getRemainingTimeInMillis: () => remaining } as Context);
      const attemptId = randomUUID();
      try {
        const stored = (await wrapped(`${options.namespace}:${key}`, attemptId, work)) as {
          attemptId: string;
          value: T;
        };
        return { first: stored.attemptId === attemptId, value: stored.value };
      } catch (error) {
        if (error instanceof IdempotencyAlreadyInProgressError) {
          throw new WorkInProgressError(`work for this key is already in progress`, { cause: error });
        }
        throw error;
      }
    },
  };
}
