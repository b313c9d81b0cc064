import { DynamoDbCheckpointStore } from '../../shared/adapters/dynamodb-checkpoint-store';
import { SqsMessageQueue } from '../../shared/adapters/sqs-message-queue';
import { createAwsJsonClient } from '../../shared/aws/aws-json-client';
import { createIngressDeps } from '../../shared/composition/ingress-deps';
import { lambdaAdapters } from '../../shared/composition/lambda-adapters';
import { createPollDeps } from '../../shared/composition/poll-deps';
import { positiveNumberEnv, requiredEnv } from '../../shared/config/environment';
import { loadSourceEngines } from '../../shared/sources';
import { createPollerHandler } from './create-handler';

// Composition root for AWS: built once per execution environment, reused by every scheduled run.
const env = process.env;
const adapters = lambdaAdapters(env, 'webhook-relay-poller');
const ingress = createIngressDeps({
  ...adapters,
  sourceEngines: await loadSourceEngines(adapters.config.parties),
  queue: new SqsMessageQueue({
    client: createAwsJsonClient({ service: 'sqs' }),
    queueUrl: requiredEnv(env, 'QUEUE_URL'),
  }),
});

export const handler = createPollerHandler({
  ...createPollDeps(
    ingress,
    new DynamoDbCheckpointStore({
      client: adapters.dynamodb,
      tableName: requiredEnv(env, 'CHECKPOINT_TABLE_NAME'),
    }),
  ),
  concurrency: positiveNumberEnv(env, 'POLL_CONCURRENCY', 4),
});
