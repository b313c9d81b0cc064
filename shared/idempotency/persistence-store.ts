import { CachePersistenceLayer } from '@aws-lambda-powertools/idempotency/cache';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { InMemoryCacheClient } from './in-memory-cache-client';

/**
 * Where "seen this already" records live. In AWS: the DynamoDB table (TTL attribute `expiration`),
 * which is what users of Powertools idempotency expect and what the stateful stack creates. Locally and
 * in tests: an in-process store behind the same Powertools persistence API.
 */
export function createPersistenceStore(options: {
  tableName?: string | undefined;
  /** The in-process store to use when there is no table (local mode keeps one to save at shutdown). */
  cacheClient?: InMemoryCacheClient;
}): BasePersistenceLayer {
  if (options.tableName) return new DynamoDBPersistenceLayer({ tableName: options.tableName });
  return new CachePersistenceLayer({ client: options.cacheClient ?? new InMemoryCacheClient() });
}
