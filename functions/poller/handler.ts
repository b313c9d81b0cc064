import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDbCheckpointStore } from '../../shared/adapters/dynamodb-checkpoint-store';
import { SecretsManagerSecretStore } from '../../shared/adapters/secrets-manager-store';
import { SqsMessageQueue } from '../../shared/adapters/sqs-message-queue';
import { positiveNumberEnv, requiredEnv } from '../../shared/config/environment';
import { loadRelayConfig, resolveConfigPath } from '../../shared/config/load-config';
import { SECRET_NAME_PREFIX_ENV } from '../../shared/config/stage-names';
import { createOnce } from '../../shared/idempotency/once';
import { DEDUP_WINDOW_SECONDS } from '../../shared/ingress/handle-webhook';
import { PartyRegistry, type RegisteredParty } from '../../shared/ingress/party-registry';
import { createLogger } from '../../shared/observability/logger';
import { MetricName } from '../../shared/observability/metric-names';
import { createLambdaMetrics, PowertoolsRelayMetrics } from '../../shared/observability/powertools-metrics';
import { systemClock } from '../../shared/ports/clock';
import { createPollerHandler } from './create-handler';

// Composition root for AWS: built once per execution environment, reused by every scheduled run.
const env = process.env;
const config = loadRelayConfig(resolveConfigPath(env));
const logger = createLogger(env.POWERTOOLS_SERVICE_NAME ?? 'webhook-relay-poller');
const metrics = createLambdaMetrics(env, logger);
const relayMetrics = new PowertoolsRelayMetrics(metrics);
const registry = new PartyRegistry(config);
const parties = config.parties
  .filter((party) => party.poll !== undefined)
  .map((party) => registry.get(party.id) as RegisteredParty);

export const handler = createPollerHandler({
  parties,
  concurrency: positiveNumberEnv(env, 'POLL_CONCURRENCY', 4),
  checkpoints: new DynamoDbCheckpointStore({
    client: new DynamoDBClient({}),
    tableName: requiredEnv(env, 'CHECKPOINT_TABLE_NAME'),
  }),
  secrets: new SecretsManagerSecretStore({
    cacheTtlSeconds: positiveNumberEnv(env, 'SECRETS_CACHE_TTL_SECONDS', 300),
    onFetch: () => relayMetrics.add(MetricName.SecretsManagerCalls, 'Count', 1),
    namePrefix: env[SECRET_NAME_PREFIX_ENV] ?? '',
  }),
  fetch: globalThis.fetch,
  clock: systemClock,
  logger,
  metrics: relayMetrics,
  pipeline: {
    queue: new SqsMessageQueue({ client: new SQSClient({}), queueUrl: requiredEnv(env, 'QUEUE_URL') }),
    // The same dedup records as the ingress (namespace `ingress`): a polled event and the same event
    // posted as a webhook are one event.
    once: createOnce(
      new DynamoDBPersistenceLayer({ tableName: requiredEnv(env, 'IDEMPOTENCY_TABLE_NAME') }),
      {
        expiresAfterSeconds: DEDUP_WINDOW_SECONDS,
        namespace: 'ingress',
      },
    ),
    metrics: relayMetrics,
  },
  powertoolsLogger: logger,
  publishableMetrics: relayMetrics,
});
