import { DynamoDbCircuitStateStore } from '../../shared/adapters/dynamodb-circuit-state-store';
import { SqsDeliveryQueue } from '../../shared/adapters/sqs-delivery-queue';
import { createAwsJsonClient } from '../../shared/aws/aws-json-client';
import { createDeliveryDeps, DEFAULT_WORKSPACE365_TIMEOUT_MS } from '../../shared/composition/delivery-deps';
import { lambdaAdapters } from '../../shared/composition/lambda-adapters';
import { positiveNumberEnv, requiredEnv } from '../../shared/config/environment';
import { createWorkerHandler } from './create-handler';

// Composition root for AWS: built once per execution environment (cold start), reused by every batch.
// Only constructors run here; no network call happens before the first invocation.
const env = process.env;
const adapters = lambdaAdapters(env, 'webhook-relay-worker');

export const handler = createWorkerHandler(
  createDeliveryDeps({
    ...adapters,
    queue: new SqsDeliveryQueue({
      client: createAwsJsonClient({ service: 'sqs' }),
      queueUrl: requiredEnv(env, 'QUEUE_URL'),
      deadLetterQueueUrl: requiredEnv(env, 'DLQ_URL'),
    }),
    // Breaker state shared by every execution environment (docs/outage.md): one small item each in the
    // table the dedup ledger uses, under its own key prefix, through the same client and connections.
    circuitStore: new DynamoDbCircuitStateStore({
      client: adapters.dynamodb,
      tableName: adapters.tableName,
    }),
    circuitCacheSeconds: positiveNumberEnv(env, 'CIRCUIT_CACHE_SECONDS', 10),
    workspace365TimeoutMs: positiveNumberEnv(env, 'WORKSPACE365_TIMEOUT_MS', DEFAULT_WORKSPACE365_TIMEOUT_MS),
  }),
);
