import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbCircuitStateStore } from '../../shared/adapters/dynamodb-circuit-state-store';
import { SecretsManagerSecretStore } from '../../shared/adapters/secrets-manager-store';
import { SqsDeliveryQueue } from '../../shared/adapters/sqs-delivery-queue';
import { positiveNumberEnv, requiredEnv } from '../../shared/config/environment';
import { loadRelayConfig, resolveConfigPath } from '../../shared/config/load-config';
import { SECRET_NAME_PREFIX_ENV } from '../../shared/config/stage-names';
import { createOnce } from '../../shared/idempotency/once';
import { createLogger } from '../../shared/observability/logger';
import { MetricName } from '../../shared/observability/metric-names';
import { createLambdaMetrics, PowertoolsRelayMetrics } from '../../shared/observability/powertools-metrics';
import { systemClock } from '../../shared/ports/clock';
import { coalesceSecretReads } from '../../shared/worker/coalesce-secret-reads';
import {
  DELIVERY_IDEMPOTENCY_NAMESPACE,
  DELIVERY_IDEMPOTENCY_SECONDS,
} from '../../shared/worker/deliver-record';
import { createEnvironmentBreakers, createPartyBreakers } from '../../shared/worker/environment-breakers';
import { createWorkspace365Client } from '../../shared/workspace365/client';
import { createWorkerHandler } from './create-handler';

// Composition root for AWS: built once per execution environment (cold start), reused by every batch.
// Only constructors run here; no network call happens before the first invocation. The SQS client is
// the exception: only a retry or a dead letter calls SQS, so it is loaded and built on first use.
const env = process.env;
const config = loadRelayConfig(resolveConfigPath(env));
const logger = createLogger(env.POWERTOOLS_SERVICE_NAME ?? 'webhook-relay-worker');
const metrics = createLambdaMetrics(env, logger);
const relayMetrics = new PowertoolsRelayMetrics(metrics);
const workspace365TimeoutMs = positiveNumberEnv(env, 'WORKSPACE365_TIMEOUT_MS', 10_000);
const tableName = requiredEnv(env, 'IDEMPOTENCY_TABLE_NAME');

// Breaker state per Workspace 365 environment and per party, shared by every execution environment
// (docs/outage.md): one small item each in the idempotency table, under its own key prefix.
const breakerOptions = {
  config: config.circuitBreaker,
  store: new DynamoDbCircuitStateStore({ client: new DynamoDBClient({}), tableName }),
  metrics: relayMetrics,
  logger,
  workspace365TimeoutMs,
  cacheSeconds: positiveNumberEnv(env, 'CIRCUIT_CACHE_SECONDS', 10),
};

export const handler = createWorkerHandler({
  parties: new Map(config.parties.map((party) => [party.id, party])),
  secrets: coalesceSecretReads(
    new SecretsManagerSecretStore({
      cacheTtlSeconds: positiveNumberEnv(env, 'SECRETS_CACHE_TTL_SECONDS', 300),
      onFetch: () => relayMetrics.add(MetricName.SecretsManagerCalls, 'Count', 1),
      namePrefix: env[SECRET_NAME_PREFIX_ENV] ?? '',
    }),
  ),
  workspace365: createWorkspace365Client({ timeoutMs: workspace365TimeoutMs }),
  queue: new SqsDeliveryQueue({
    client: (sdk) => new sdk.SQSClient({}),
    queueUrl: requiredEnv(env, 'QUEUE_URL'),
    deadLetterQueueUrl: requiredEnv(env, 'DLQ_URL'),
  }),
  // The DynamoDB table (TTL `expiration`) the stateful stack creates; createPersistenceStore is the in-process one.
  once: createOnce(new DynamoDBPersistenceLayer({ tableName }), {
    expiresAfterSeconds: DELIVERY_IDEMPOTENCY_SECONDS,
    namespace: DELIVERY_IDEMPOTENCY_NAMESPACE,
  }),
  metrics: relayMetrics,
  logger,
  clock: systemClock,
  random: Math.random,
  retry: config.retry,
  breakers: createEnvironmentBreakers(breakerOptions),
  partyBreakers: createPartyBreakers(breakerOptions),
  // A second receive of a message being delivered waits about as long as one attempt (with its 401 retry).
  inProgressRetrySeconds: Math.ceil((2 * workspace365TimeoutMs) / 1000),
  powertoolsLogger: logger,
  publishableMetrics: relayMetrics,
});
