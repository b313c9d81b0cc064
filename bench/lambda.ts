import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DeleteMessageBatchCommand, type Message, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyStructuredResultV2, SQSBatchResponse } from 'aws-lambda';
import { PLATFORM_LOG_LINES_BY_DEFAULT } from '../infra/constructs/relay-function';
import type { InvocationFigures } from './hosts/lambda-function';
import { type AwsCounts, emptyCounts, startAwsStandIns } from './support/aws-stand-ins';
import {
  type CostReport,
  costPerMillion,
  type FunctionTotals,
  type LambdaShapeTotals,
} from './support/costs';
import { benchParties, demoConfig, demoSecrets } from './support/demo';
import { accessLogLineBytes, apiGatewayEvent, platformLineBytes, sqsEvent } from './support/lambda-events';
import { type BenchChild, spawnChild } from './support/processes';
import { startSandboxProcess } from './support/sandbox-process';
import { prepareWebhooks } from './support/webhooks';

export type LambdaBenchResult = CostReport & {
  webhooks: number;
  acceptedWebhooks: number;
  /** `node --version` of the function processes. */
  node: string;
};

/** Both functions' memory (infra/stacks/relay-api-stack.ts defaults). */
const MEMORY_SIZE_MB = 512;
/** The event source mapping's batch size (infra/stacks/relay-api-stack.ts default). */
const BATCH_SIZE = 10;
/** Events per IPC message to a function process. */
const CHUNK = 50;
/** Headers of a response or request besides the body: status line, content type, date, ids. */
const HEADER_BYTES = 250;

/**
 * The relay as deployed: each function's real handler module (functions/<name>/handler.ts) in its own
 * process, on `node` (Node 24 when available, like Lambda), invoked one event at a time with API Gateway
 * v2 and SQS events. AWS is fauxqs, dynalite and the Secrets Manager stub behind counting proxies; the
 * worker posts to the Workspace 365 sandbox. A warm-up round runs first, uncounted, so the figures are
 * those of warm execution environments.
 */
export async function benchLambda(
  options: { webhooks: number; warmupWebhooks: number; node: string | null },
  workDir: string,
): Promise<LambdaBenchResult> {
  const secrets = demoSecrets();
  const config = demoConfig();
  const sandbox = await startSandboxProcess(workDir, 'lambda');
  const aws = await startAwsStandIns({ secrets, maxReceives: config.retry.maxReceives });
  const children: BenchChild[] = [];
  try {
    for (const party of config.parties) party.target = { ...party.target, baseUrl: sandbox.url };
    const configFile = join(workDir, 'lambda-relay.config.json');
    await writeFile(configFile, JSON.stringify(config));
    const env = (name: 'ingress' | 'worker'): NodeJS.ProcessEnv => ({
      PATH: process.env.PATH,
      TZ: ':UTC',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
      AWS_SESSION_TOKEN: 'bench',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      AWS_LAMBDA_FUNCTION_NAME: `webhook-relay-bench-${name}`,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(MEMORY_SIZE_MB),
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/webhook-relay-bench-${name}`,
      AWS_LAMBDA_LOG_STREAM_NAME: 'bench',
      AWS_ENDPOINT_URL_SQS: aws.endpoints.sqs,
      AWS_ENDPOINT_URL_DYNAMODB: aws.endpoints.dynamodb,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.endpoints.secretsManager,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      RELAY_CONFIG: configFile,
      QUEUE_URL: aws.queueUrl,
      DLQ_URL: aws.dlqUrl,
      IDEMPOTENCY_TABLE_NAME: aws.tableName,
      POWERTOOLS_SERVICE_NAME: `webhook-relay-${name}`,
      POWERTOOLS_METRICS_NAMESPACE: 'WebhookRelay',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      SECRETS_CACHE_TTL_SECONDS: '300',
    });
    const start = async (name: 'ingress' | 'worker') => {
      const child = spawnChild({
        name: `lambda ${name}`,
        args: ['bench/hosts/lambda-function.ts', name],
        logFile: join(workDir, `lambda-${name}.log`),
        env: env(name),
        ...(options.node ? { node: options.node } : {}),
      });
      children.push(child);
      await child.next(120_000);
      return child;
    };
    const ingress = await start('ingress');
    const worker = await start('worker');

    const parties = benchParties(config);
    await runRound(prepareWebhooks(parties, secrets, options.warmupWebhooks));
    resetCounts(aws.counts);
    const measured = await runRound(prepareWebhooks(parties, secrets, options.webhooks));
    const { stdout } = await import('node:child_process').then(({ execFileSync }) => ({
      stdout: execFileSync(options.node ?? process.execPath, ['--version'], { encoding: 'utf8' }),
    }));
    return {
      ...costPerMillion(measured.totals),
      webhooks: options.webhooks,
      acceptedWebhooks: measured.totals.acceptedWebhooks,
      node: stdout.trim(),
    };

    async function runRound(requests: ReturnType<typeof prepareWebhooks>) {
      const ingressTotals = emptyTotals();
      let accessLogBytes = 0;
      let responseBytes = 0;
      let acceptedWebhooks = 0;
      for (let index = 0; index < requests.length; index += CHUNK) {
        const chunk = requests.slice(index, index + CHUNK);
        ingress.send({ events: chunk.map(apiGatewayEvent) });
        const { figures } = await ingress.next<{ figures: InvocationFigures[] }>();
        figures.forEach((figure, position) => {
          const result = figure.result as APIGatewayProxyStructuredResultV2;
          const body = typeof result.body === 'string' ? result.body : '';
          const status = result.statusCode ?? 0;
          if (status !== 202) throw new Error(`ingress answered ${status}: ${body}`);
          if (((JSON.parse(body) as { accepted?: number }).accepted ?? 0) > 0) acceptedWebhooks++;
          const bytes = Buffer.byteLength(body) + HEADER_BYTES;
          responseBytes += bytes;
          accessLogBytes += accessLogLineBytes(chunk[position] as (typeof chunk)[number], status);
          addInvocation(ingressTotals, figure);
        });
      }
      const ingressAws = snapshot(aws.counts);
      resetCounts(aws.counts);

      const workerTotals = emptyTotals();
      let eventSourceRequests = 0;
      let workspace365Bytes = 0;
      let workspace365Posts = 0;
      let emptyReceives = 0;
      while (emptyReceives < 3) {
        const { Messages = [] } = await aws.sqsDirect.client.send(
          new ReceiveMessageCommand({
            QueueUrl: aws.sqsDirect.queueUrl,
            MaxNumberOfMessages: BATCH_SIZE,
            MessageSystemAttributeNames: ['All'],
            VisibilityTimeout: 60,
          }),
        );
        if (Messages.length === 0) {
          emptyReceives++;
          continue;
        }
        worker.send({ events: [sqsEvent(Messages)] });
        const { figures } = await worker.next<{ figures: InvocationFigures[] }>();
        const [figure] = figures as [InvocationFigures];
        addInvocation(workerTotals, figure);
        const failed = new Set(
          (figure.result as SQSBatchResponse).batchItemFailures.map((item) => item.itemIdentifier),
        );
        if (failed.size > 0) throw new Error(`the worker failed ${failed.size} records of a batch`);
        for (const message of Messages) {
          const { payload } = JSON.parse(message.Body ?? '{}') as { payload?: unknown };
          workspace365Bytes += Buffer.byteLength(JSON.stringify(payload)) + HEADER_BYTES;
          workspace365Posts++;
        }
        await deleteAll(Messages);
        eventSourceRequests += 2;
      }
      return {
        totals: {
          acceptedWebhooks,
          ingress: { ...ingressTotals, aws: ingressAws, accessLogBytes, responseBytes },
          worker: {
            ...workerTotals,
            aws: snapshot(aws.counts),
            eventSourceRequests,
            workspace365Bytes,
            workspace365Posts,
          },
        } satisfies LambdaShapeTotals,
      };
    }

    async function deleteAll(messages: Message[]) {
      await aws.sqsDirect.client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: aws.sqsDirect.queueUrl,
          Entries: messages.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle ?? '',
          })),
        }),
      );
    }
  } finally {
    for (const child of children) {
      child.send({ stop: true });
      await child.stop();
    }
    await aws.close();
    await sandbox.child.stop();
  }
}

function emptyTotals(): FunctionTotals {
  return {
    memorySizeMb: MEMORY_SIZE_MB,
    invocations: 0,
    cpuUs: [],
    wallMs: [],
    logBytes: 0,
    platformLogBytes: 0,
  };
}

function addInvocation(totals: FunctionTotals, figure: InvocationFigures): void {
  totals.invocations++;
  totals.cpuUs.push(figure.cpuUs);
  totals.wallMs.push(figure.wallMs);
  totals.logBytes += figure.logBytes;
  // A deployment keeps them only when told to (infra/constructs/relay-function.ts).
  if (!PLATFORM_LOG_LINES_BY_DEFAULT) return;
  totals.platformLogBytes += platformLineBytes({
    wallMs: figure.wallMs,
    memorySizeMb: MEMORY_SIZE_MB,
    maxMemoryUsedMb: figure.rssMb,
  });
}

function snapshot(counts: AwsCounts): AwsCounts {
  return { ...counts, requests: { ...counts.requests } };
}

function resetCounts(counts: AwsCounts): void {
  Object.assign(counts, emptyCounts());
}
