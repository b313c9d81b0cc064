import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { SecretsManagerSecretStore } from '../adapters/secrets-manager-store';
import { positiveNumberEnv, requiredEnv } from '../config/environment';
import { loadRelayConfig, resolveConfigPath } from '../config/load-config';
import { createLogger } from '../observability/logger';
import { METRICS_NAMESPACE, MetricName } from '../observability/metric-names';
import { PowertoolsRelayMetrics } from '../observability/powertools-metrics';

/**
 * The adapters both Lambda functions share, read from the function's environment (set by
 * infra/constructs/relay-function.ts): the bundled config, a Powertools logger and EMF metrics, Secrets
 * Manager with its cache, and the DynamoDB table (TTL `expiration`) the stateful stack creates. Built once
 * per execution environment; only constructors run, no network call before the first invocation.
 */
export function lambdaAdapters(env: NodeJS.ProcessEnv, defaultServiceName: string) {
  const config = loadRelayConfig(resolveConfigPath(env));
  const logger = createLogger(env.POWERTOOLS_SERVICE_NAME ?? defaultServiceName);
  const metrics = new PowertoolsRelayMetrics(
    new Metrics({ namespace: env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE }),
  );
  const secrets = new SecretsManagerSecretStore({
    cacheTtlSeconds: positiveNumberEnv(env, 'SECRETS_CACHE_TTL_SECONDS', 300),
    onFetch: () => metrics.add(MetricName.SecretsManagerCalls, 'Count', 1),
  });
  const persistence = new DynamoDBPersistenceLayer({ tableName: requiredEnv(env, 'IDEMPOTENCY_TABLE_NAME') });
  return { config, logger, metrics, secrets, persistence };
}
