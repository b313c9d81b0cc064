import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { SecretsManagerSecretStore } from '../../shared/adapters/secrets-manager-store';
import { SqsDeliveryQueue } from '../../shared/adapters/sqs-delivery-queue';
import { positiveNumberEnv, requiredEnv } from '../../shared/config/environment';
import { loadRelayConfig, resolveConfigPath } from '../../shared/config/load-config';
import { createOnce } from '../../shared/idempotency/once';
import { createLogger } from '../../shared/observability/logger';
import { METRICS_NAMESPACE, MetricName } from '../../shared/observability/metric-names';
import { PowertoolsRelayMetrics } from '../../shared/observability/powertools-metrics';
import { systemClock } from '../../shared/ports/clock';
import { coalesceSecretReads } from '../../shared/worker/coalesce-secret-reads';
import {
  DELIVERY_IDEMPOTENCY_NAMESPACE,
  DELIVERY_IDEMPOTENCY_SECONDS,
} from '../../shared/worker/deliver-record';
import { createWorkspace365Client } from '../../shared/workspace365/client';
import { createWorkerHandler } from './create-handler';

// Composition root for AWS: built once per execution environment (cold start), reused by every batch.
// Only constructors run here; no network call happens before the first invocation. The SQS client is
// the exception: only a retry or a dead letter calls SQS, so it is loaded and built on first use.
const env = process.env;
const config = loadRelayConfig(resolveConfigPath(env));
const logger = createLogger(env.POWERTOOLS_SERVICE_NAME ?? 'webhook-relay-worker');
const metrics = new Metrics({ namespace: env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE });
const relayMetrics = new PowertoolsRelayMetrics(metrics);
const workspace365TimeoutMs = positiveNumberEnv(env, 'WORKSPACE365_TIMEOUT_MS', 10_000);

export const handler = createWorkerHandler({
  parties: new Map(config.parties.map((party) => [party.id, party])),
  secrets: coalesceSecretReads(
    new SecretsManagerSecretStore({
      cacheTtlSeconds: positiveNumberEnv(env, 'SECRETS_CACHE_TTL_SECONDS', 300),
      onFetch: () => relayMetrics.add(MetricName.SecretsManagerCalls, 'Count', 1),
    }),
  ),
  workspace365: createWorkspace365Client({ timeoutMs: workspace365TimeoutMs }),
  queue: new SqsDeliveryQueue({
    client: (sdk) => new sdk.SQSClient({}),
    queueUrl: requiredEnv(env, 'QUEUE_URL'),
    deadLetterQueueUrl: requiredEnv(env, 'DLQ_URL'),
  }),
  // The DynamoDB table (TTL `expiration`) the stateful stack creates; createPersistenceStore is the in-process one.
  once: createOnce(new DynamoDBPersistenceLayer({ tableName: requiredEnv(env, 'IDEMPOTENCY_TABLE_NAME') }), {
    expiresAfterSeconds: DELIVERY_IDEMPOTENCY_SECONDS,
    namespace: DELIVERY_IDEMPOTENCY_NAMESPACE,
  }),
  metrics: relayMetrics,
  logger,
  clock: systemClock,
  random: Math.random,
  retry: config.retry,
  // A second receive of a message being delivered waits about as long as one attempt (with its 401 retry).
  inProgressRetrySeconds: Math.ceil((2 * workspace365TimeoutMs) / 1000),
});
