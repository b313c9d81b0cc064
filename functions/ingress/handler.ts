import { SqsMessageQueue } from '../../shared/adapters/sqs-message-queue';
import { createAwsJsonClient } from '../../shared/aws/aws-json-client';
import { createIngressDeps } from '../../shared/composition/ingress-deps';
import { lambdaAdapters } from '../../shared/composition/lambda-adapters';
import { requiredEnv } from '../../shared/config/environment';
import { loadSourceEngines } from '../../shared/sources';
import { createIngressHandler } from './create-handler';

// Composition root for AWS: built once per execution environment (cold start), reused by every request.
const env = process.env;
const adapters = lambdaAdapters(env, 'webhook-relay-ingress');

export const handler = createIngressHandler(
  createIngressDeps({
    ...adapters,
    // JSONata only for a party set with a template party (docs/cost.md, "Start fast"); loaded during init.
    sourceEngines: await loadSourceEngines(adapters.config.parties),
    queue: new SqsMessageQueue({
      client: createAwsJsonClient({ service: 'sqs' }),
      queueUrl: requiredEnv(env, 'QUEUE_URL'),
    }),
  }),
);
