import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SecretsManagerSecretStore } from '../../shared/adapters/secrets-manager-store';
import { SqsMessageQueue } from '../../shared/adapters/sqs-message-queue';
import { positiveNumberEnv, requiredEnv } from '../../shared/config/environment';
import { loadRelayConfig, resolveConfigPath } from '../../shared/config/load-config';
import { INGRESS_DEDUP_NAMESPACE } from '../../shared/idempotency/namespaces';
import { createOnce } from '../../shared/idempotency/once';
import { DEDUP_WINDOW_SECONDS } from '../../shared/ingress/handle-webhook';
import { PartyRegistry } from '../../shared/ingress/party-registry';
import { createLogger } from '../../shared/observability/logger';
import { METRICS_NAMESPACE, MetricName } from '../../shared/observability/metric-names';
import { PowertoolsRelayMetrics } from '../../shared/observability/powertools-metrics';
import { systemClock } from '../../shared/ports/clock';
import { createIngressHandler } from './create-handler';

// Composition root for AWS: built once per execution environment (cold start), reused by every request.
const env = process.env;
const config = loadRelayConfig(resolveConfigPath(env));
const logger = createLogger(env.POWERTOOLS_SERVICE_NAME ?? 'webhook-relay-ingress');
const metrics = new Metrics({ namespace: env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE });
const relayMetrics = new PowertoolsRelayMetrics(metrics);

export const handler = createIngressHandler({
  parties: new PartyRegistry(config),
  secrets: new SecretsManagerSecretStore({
    cacheTtlSeconds: positiveNumberEnv(env, 'SECRETS_CACHE_TTL_SECONDS', 300),
    onFetch: () => relayMetrics.add(MetricName.SecretsManagerCalls, 'Count', 1),
  }),
  queue: new SqsMessageQueue({ client: new SQSClient({}), queueUrl: requiredEnv(env, 'QUEUE_URL') }),
  // The DynamoDB table (TTL `expiration`) the stateful stack creates; createPersistenceStore is the in-process one.
  once: createOnce(new DynamoDBPersistenceLayer({ tableName: requiredEnv(env, 'IDEMPOTENCY_TABLE_NAME') }), {
    expiresAfterSeconds: DEDUP_WINDOW_SECONDS,
    namespace: INGRESS_DEDUP_NAMESPACE,
  }),
  metrics: relayMetrics,
  logger,
  clock: systemClock,
  fetch: globalThis.fetch,
});
