import { CachePersistenceLayer } from '@aws-lambda-powertools/idempotency/cache';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { InMemoryCacheClient } from './in-memory-cache-client';

/**
 * The in-process "seen this already" store for local mode, the bench and tests: Powertools'
 * CachePersistenceLayer over a Map, so they run the same idempotency code as production. In AWS the
 * handlers build Powertools' DynamoDBPersistenceLayer on the stateful stack's table themselves, which
 * keeps this module (and the in-process store) out of the Lambda bundles.
 */
export function createPersistenceStore(
  options: {
    /** The store to use (local mode keeps one to save at shutdown). @default a new, empty one */
    cacheClient?: InMemoryCacheClient;
  } = {},
): BasePersistenceLayer {
  return new CachePersistenceLayer({ client: options.cacheClient ?? new InMemoryCacheClient() });
}
