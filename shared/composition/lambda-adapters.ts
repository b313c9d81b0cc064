import { DynamoDbDedupLedger } from '../adapters/dynamodb-dedup-ledger';
import { SecretsManagerSecretStore } from '../adapters/secrets-manager-store';
import { createAwsJsonClient } from '../aws/aws-json-client';
import { positiveNumberEnv, requiredEnv } from '../config/environment';
import { loadRelayConfig, resolveConfigPath } from '../config/load-config';
import { SECRET_NAME_PREFIX_ENV } from '../config/stage-names';
import { createLogger } from '../observability/logger';
import { MetricName } from '../observability/metric-names';
import { createLambdaMetrics, PowertoolsRelayMetrics } from '../observability/powertools-metrics';

/**
 * The adapters every Lambda function shares, read from the function's environment (set by
 * infra/constructs/relay-function.ts): the bundled config, a Powertools logger and EMF metrics (one
 * document per invocation, published by the handler), Secrets Manager with its cache under the stage's
 * name prefix, and the DynamoDB table (TTL `expiration`) the stateful stack creates, with the dedup ledger on it. Built once per
 * execution environment; only constructors run, no network call before the first invocation.
 */
export function lambdaAdapters(env: NodeJS.ProcessEnv, defaultServiceName: string) {
  const config = loadRelayConfig(resolveConfigPath(env));
  const logger = createLogger(env.POWERTOOLS_SERVICE_NAME ?? defaultServiceName);
  const metrics = new PowertoolsRelayMetrics(createLambdaMetrics(env, logger));
  const secrets = new SecretsManagerSecretStore({
    cacheTtlSeconds: positiveNumberEnv(env, 'SECRETS_CACHE_TTL_SECONDS', 300),
    onFetch: () => metrics.add(MetricName.SecretsManagerCalls, 'Count', 1),
    namePrefix: env[SECRET_NAME_PREFIX_ENV] ?? '',
  });
  const tableName = requiredEnv(env, 'IDEMPOTENCY_TABLE_NAME');
  const dynamodb = createAwsJsonClient({ service: 'dynamodb' });
  const ledger = new DynamoDbDedupLedger({ client: dynamodb, tableName });
  return { config, logger, metrics, secrets, ledger, dynamodb, tableName };
}
