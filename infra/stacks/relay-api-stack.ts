import { ArnFormat, CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { partySecretPrefix, relayServiceName, SECRET_NAME_PREFIX_ENV } from '../../shared/config/stage-names';
import { RelayAlarms } from '../constructs/relay-alarms';
import { RelayDashboard } from '../constructs/relay-dashboard';
import { RelayFunction } from '../constructs/relay-function';
import { RelayLogQueries } from '../constructs/relay-log-queries';
import { WebhookHttpApi } from '../constructs/webhook-http-api';
import { INGRESS_ENTRY, WORKER_ENTRY } from '../paths';

/**
 * The item-level calls each function makes on the table (no Scan, Query, delete or batch calls): ingress
 * claims an event or gives an attempt up (UpdateItem); the worker reads and claims events, marks a
 * delivery whose delete failed (GetItem, UpdateItem) and keeps the breakers (GetItem, PutItem).
 */
const INGRESS_TABLE_ACTIONS = ['dynamodb:UpdateItem'];
const WORKER_TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];

export interface RelayApiStackProps extends StackProps {
  /**
   * Deployment stage: in resource names (dashboard, alarms, API), in the functions' service names (the
   * `service` metric dimension) and in the party secret prefix `webhook-relay/<stage>/`.
   */
  readonly stage: string;
  /** The party config file copied into both bundles. */
  readonly configFile: string;
  readonly queue: IQueue;
  /** The queue's visibility timeout; checked against the worker timeout (≥ 6 ×). */
  readonly queueVisibilityTimeout: Duration;
  readonly deadLetterQueue: IQueue;
  readonly idempotencyTable: ITable;
  readonly alarmTopic: ITopic;
  /**
   * Upper bound of concurrent worker invocations the SQS event source starts (2–1000). This caps the
   * request rate Workspace 365 sees from the relay.
   * @default 5
   */
  readonly maxConcurrency?: number;
  /**
   * Records per worker invocation.
   * @default 10
   */
  readonly batchSize?: number;
  /**
   * How long the poller may wait to fill a batch.
   * @default Duration.seconds(1)
   */
  readonly maxBatchingWindow?: Duration;
  /**
   * Worker timeout; must stay within the queue's visibility timeout / 6.
   * @default Duration.seconds(60)
   */
  readonly workerTimeout?: Duration;
  /**
   * Per-request timeout of the POST to Workspace 365 (`WORKSPACE365_TIMEOUT_MS`). Well inside the worker
   * timeout so a slow Workspace 365 ends in a retry, not a function timeout.
   * @default Duration.seconds(10)
   */
  readonly workspace365Timeout?: Duration;
  /**
   * Ingress timeout (API Gateway gives up at 30 s).
   * @default Duration.seconds(10)
   */
  readonly ingressTimeout?: Duration;
  /**
   * Memory of the ingress function in MB.
   * @default 512
   */
  readonly ingressMemorySize?: number;
  /**
   * Memory of the worker function in MB.
   * @default 512
   */
  readonly workerMemorySize?: number;
  /**
   * Steady-state request rate of the API (`$default` stage).
   * @default 100
   */
  readonly throttlingRateLimit?: number;
  /**
   * Burst limit of the API (`$default` stage).
   * @default 200
   */
  readonly throttlingBurstLimit?: number;
  /**
   * Age of the oldest queued message that fires the "deliveries are behind" alarm.
   * @default Duration.minutes(15)
   */
  readonly oldestMessageAgeThreshold?: Duration;
  /**
   * How long a circuit breaker may stay open (a Workspace 365 environment unreachable) before the
   * "circuit breaker open" alarm fires.
   * @default Duration.minutes(30)
   */
  readonly circuitOpenAlarmAfter?: Duration;
  /**
   * API 5xx percentage that fires the ingress alarm.
   * @default 5
   */
  readonly serverErrorRatePercent?: number;
  /**
   * Entry points of the two functions.
   * @default functions/ingress/handler.ts and functions/worker/handler.ts
   */
  readonly entries?: { readonly ingress: string; readonly worker: string };
}

/**
 * What changes with every code deploy: the HTTP API, the ingress and worker functions with the least
 * privileges they need, the SQS event source, the dashboard and the alarms.
 */
export class RelayApiStack extends Stack {
  readonly ingress: RelayFunction;
  readonly worker: RelayFunction;
  readonly webhookApi: WebhookHttpApi;
  readonly dashboard: RelayDashboard;
  readonly alarms: RelayAlarms;

  constructor(scope: Construct, id: string, props: RelayApiStackProps) {
    super(scope, id, props);
    const workerTimeout = props.workerTimeout ?? Duration.seconds(60);
    const workspace365Timeout = props.workspace365Timeout ?? Duration.seconds(10);
    const maxConcurrency = props.maxConcurrency ?? 5;
    if (props.queueVisibilityTimeout.toSeconds() < 6 * workerTimeout.toSeconds()) {
      throw new Error(
        `the queue's visibility timeout (${props.queueVisibilityTimeout.toSeconds()} s) must be at least 6 × the worker timeout (${workerTimeout.toSeconds()} s)`,
      );
    }
    if (workspace365Timeout.toMilliseconds() * 2 > workerTimeout.toMilliseconds()) {
      throw new Error(
        'workspace365Timeout must be at most half the worker timeout (a retry after a 401 needs room)',
      );
    }
    if (!Number.isInteger(maxConcurrency) || maxConcurrency < 2 || maxConcurrency > 1000) {
      throw new Error(
        `maxConcurrency must be an integer from 2 to 1000 (SQS event source limit), got ${maxConcurrency}`,
      );
    }

    const entries = props.entries ?? { ingress: INGRESS_ENTRY, worker: WORKER_ENTRY };
    const secretPrefix = partySecretPrefix(props.stage);
    const shared = {
      QUEUE_URL: props.queue.queueUrl,
      IDEMPOTENCY_TABLE_NAME: props.idempotencyTable.tableName,
      [SECRET_NAME_PREFIX_ENV]: secretPrefix,
    };
    const ingressServiceName = relayServiceName(props.stage, 'ingress');
    const workerServiceName = relayServiceName(props.stage, 'worker');

    this.ingress = new RelayFunction(this, 'Ingress', {
      entry: entries.ingress,
      serviceName: ingressServiceName,
      description: 'Webhook relay ingress: verify, map, dedup, queue',
      configFile: props.configFile,
      timeout: props.ingressTimeout ?? Duration.seconds(10),
      memorySize: props.ingressMemorySize ?? 512,
      environment: shared,
    });
    this.worker = new RelayFunction(this, 'Worker', {
      entry: entries.worker,
      serviceName: workerServiceName,
      description: 'Webhook relay worker: deliver queued activities to Workspace 365',
      configFile: props.configFile,
      timeout: workerTimeout,
      memorySize: props.workerMemorySize ?? 512,
      environment: {
        ...shared,
        DLQ_URL: props.deadLetterQueue.queueUrl,
        WORKSPACE365_TIMEOUT_MS: String(workspace365Timeout.toMilliseconds()),
      },
    });

    // Least privilege, spelled out rather than grant*() so each function gets exactly these actions.
    // One pattern for every party of this stage, however many there are: the policy size does not grow
    // with the config, and adding a party needs no IAM change. The trailing "/" of the prefix keeps stage
    // "prod" out of "prod-eu"'s secrets.
    const partySecretsArn = this.formatArn({
      service: 'secretsmanager',
      resource: 'secret',
      resourceName: `${secretPrefix}*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    for (const [fn, tableActions] of [
      [this.ingress, INGRESS_TABLE_ACTIONS],
      [this.worker, WORKER_TABLE_ACTIONS],
    ] as const) {
      fn.role.addToPrincipalPolicy(
        new PolicyStatement({
          sid: 'ReadPartySecrets',
          actions: ['secretsmanager:GetSecretValue'],
          resources: [partySecretsArn],
        }),
      );
      // Only this exact pattern (cdk-nag names the resource as it renders it), not IAM5 as a whole.
      Validations.of(fn.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${secretPrefix}*]`,
        reason:
          'GetSecretValue on the secrets of this stage only (webhook-relay/<stage>/…, the prefix `relay party add` ' +
          'writes under): one pattern instead of one ARN per party keeps the inline policy under its 10,240-byte ' +
          'limit for a thousand parties, and adding a party needs no IAM change. No other action is wildcarded.',
      });
      fn.role.addToPrincipalPolicy(
        new PolicyStatement({
          sid: 'DedupLedgerAndBreakers',
          actions: [...tableActions],
          resources: [props.idempotencyTable.tableArn],
        }),
      );
    }
    this.ingress.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'QueueDeliveries',
        actions: ['sqs:SendMessage'],
        resources: [props.queue.queueArn],
      }),
    );
    this.worker.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'DeadLetterWithReason',
        actions: ['sqs:SendMessage'],
        resources: [props.deadLetterQueue.queueArn],
      }),
    );
    // A delivery waiting behind an open circuit breaker goes back as a delayed copy (docs/outage.md).
    this.worker.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'DeferBehindOpenBreaker',
        actions: ['sqs:SendMessage'],
        resources: [props.queue.queueArn],
      }),
    );
    // The event source grants the worker receive/delete/change-visibility on the main queue.
    this.worker.function.addEventSource(
      new SqsEventSource(props.queue, {
        batchSize: props.batchSize ?? 10,
        maxBatchingWindow: props.maxBatchingWindow ?? Duration.seconds(1),
        maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );

    this.webhookApi = new WebhookHttpApi(this, 'WebhookApi', {
      ingress: this.ingress.function,
      apiName: `webhook-relay-${props.stage}`,
      ...(props.throttlingRateLimit === undefined ? {} : { throttlingRateLimit: props.throttlingRateLimit }),
      ...(props.throttlingBurstLimit === undefined
        ? {}
        : { throttlingBurstLimit: props.throttlingBurstLimit }),
    });
    const oldestMessageAgeThreshold = props.oldestMessageAgeThreshold ?? Duration.minutes(15);
    const circuitOpenAlarmAfter = props.circuitOpenAlarmAfter ?? Duration.minutes(30);
    this.dashboard = new RelayDashboard(this, 'Dashboard', {
      dashboardName: `WebhookRelay-${props.stage}`,
      serviceNames: [ingressServiceName, workerServiceName],
      ingress: this.ingress.function,
      worker: this.worker.function,
      logGroups: [this.ingress.logGroup, this.worker.logGroup],
      api: this.webhookApi.api,
      queue: props.queue,
      deadLetterQueue: props.deadLetterQueue,
      oldestMessageAgeThreshold,
      workerLogGroup: this.worker.logGroup,
      circuitOpenAlarmAfter,
    });
    new RelayLogQueries(this, 'LogQueries', {
      logGroups: [this.ingress.logGroup, this.worker.logGroup],
      folder: `WebhookRelay-${props.stage}`,
    });
    this.alarms = new RelayAlarms(this, 'Alarms', {
      topic: props.alarmTopic,
      queue: props.queue,
      deadLetterQueue: props.deadLetterQueue,
      worker: this.worker.function,
      api: this.webhookApi.api,
      workerServiceName,
      alarmNamePrefix: `WebhookRelay-${props.stage}`,
      oldestMessageAgeThreshold,
      circuitOpenAlarmAfter,
      ...(props.serverErrorRatePercent === undefined
        ? {}
        : { serverErrorRatePercent: props.serverErrorRatePercent }),
    });

    new CfnOutput(this, 'WebhookBaseUrl', {
      value: this.webhookApi.webhookBaseUrl,
      description: 'POST webhooks to <this URL><party id>',
    });
    new CfnOutput(this, 'DashboardUrl', { value: this.dashboard.url, description: 'CloudWatch dashboard' });
    new CfnOutput(this, 'IngressLogGroup', { value: this.ingress.logGroup.logGroupName });
    new CfnOutput(this, 'WorkerLogGroup', { value: this.worker.logGroup.logGroupName });
  }
}
