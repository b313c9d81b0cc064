import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type Dashboard,
  GraphWidget,
  Metric,
  SearchExpression,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, MetricName } from '../../shared/observability/metric-names';
import { POLLER_ENTRY } from '../paths';
import { RelayFunction } from './relay-function';

export const POLLER_SERVICE_NAME = 'webhook-relay-poller';

export interface RelayPollerProps {
  /** The party config file copied into the bundle. */
  readonly configFile: string;
  /**
   * Powertools service name: the `service` dimension of the poller's metrics and its alarm.
   * @default 'webhook-relay-poller'
   */
  readonly serviceName?: string;
  /** Secret names of the polled parties: the only secrets the poller may read. */
  readonly secretNames: readonly string[];
  /**
   * Put in front of every secret name (in the IAM resources), for deployments whose secret names carry a
   * prefix; the function learns it through `environment`.
   * @default '' - the names as configured
   */
  readonly secretNamePrefix?: string;
  /**
   * Extra environment variables of the function.
   * @default - only the queue, tables and concurrency
   */
  readonly environment?: Readonly<Record<string, string>>;
  readonly checkpointTable: ITable;
  /** The ingress dedup table (a polled event and the same event as a webhook are deduplicated together). */
  readonly idempotencyTable: ITable;
  readonly queue: IQueue;
  readonly alarmTopic: ITopic;
  /** Gets a row of poll widgets. */
  readonly dashboard: Dashboard;
  /** Prefix of the alarm name. */
  readonly alarmNamePrefix: string;
  /**
   * How often the poller runs; each party is polled at its own `poll.intervalSeconds`, checked on every run.
   * @default Duration.minutes(1)
   */
  readonly rate?: Duration;
  /**
   * Function timeout; kept under the rate so two runs do not overlap (a run out of time resumes from its
   * checkpoints).
   * @default Duration.seconds(50)
   */
  readonly timeout?: Duration;
  /**
   * Parties polled at the same time within one run.
   * @default 4
   */
  readonly concurrency?: number;
  /**
   * Consecutive 5-minute periods with failed polls before the alarm fires.
   * @default 3
   */
  readonly failingPeriods?: number;
  /**
   * Entry point of the function.
   * @default functions/poller/handler.ts
   */
  readonly entry?: string;
}

/**
 * Polls the sources that send no webhooks (docs/polling.md): a function started by an EventBridge
 * schedule rule, allowed to read its parties' secrets, the checkpoint table, the dedup table and to send
 * to the delivery queue, nothing else; metrics on the dashboard and an alarm with a runbook line.
 */
export class RelayPoller extends Construct {
  readonly fn: RelayFunction;
  readonly rule: Rule;
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: RelayPollerProps) {
    super(scope, id);
    const rate = props.rate ?? Duration.minutes(1);
    const timeout = props.timeout ?? Duration.seconds(50);
    const serviceName = props.serviceName ?? POLLER_SERVICE_NAME;
    if (timeout.toSeconds() >= rate.toSeconds()) {
      throw new Error(
        `the poller timeout (${timeout.toSeconds()} s) must be shorter than its rate (${rate.toSeconds()} s)`,
      );
    }
    this.fn = new RelayFunction(this, 'Poller', {
      entry: props.entry ?? POLLER_ENTRY,
      serviceName,
      description: 'Webhook relay poller: read WorkDrive and Huddle APIs, queue what changed',
      configFile: props.configFile,
      timeout,
      memorySize: 512,
      environment: {
        QUEUE_URL: props.queue.queueUrl,
        IDEMPOTENCY_TABLE_NAME: props.idempotencyTable.tableName,
        CHECKPOINT_TABLE_NAME: props.checkpointTable.tableName,
        POLL_CONCURRENCY: String(props.concurrency ?? 4),
        ...props.environment,
      },
    });
    const stack = Stack.of(this);
    const role = this.fn.role;
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ReadPolledPartySecrets',
        actions: ['secretsmanager:GetSecretValue'],
        resources: props.secretNames.map((name) =>
          stack.formatArn({
            service: 'secretsmanager',
            resource: 'secret',
            resourceName: `${props.secretNamePrefix ?? ''}${name}-??????`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ),
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'PollCheckpoints',
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        resources: [props.checkpointTable.tableArn],
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        // The dedup ledger: claim an event, give an attempt up (docs/cost.md).
        sid: 'DedupLedger',
        actions: ['dynamodb:UpdateItem'],
        resources: [props.idempotencyTable.tableArn],
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'QueueDeliveries',
        actions: ['sqs:SendMessage'],
        resources: [props.queue.queueArn],
      }),
    );

    this.rule = new Rule(this, 'Schedule', {
      description: 'Starts the webhook relay poller',
      schedule: Schedule.rate(rate),
      // A missed run is not retried: the next one starts from the checkpoints anyway.
      targets: [new LambdaFunction(this.fn.function, { retryAttempts: 0, maxEventAge: rate })],
    });

    const period = Duration.minutes(5);
    const failingPeriods = props.failingPeriods ?? 3;
    const metric = (metricName: MetricName) =>
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { service: serviceName },
        statistic: 'Sum',
        period,
      });
    this.alarm = new Alarm(this, 'PollFailures', {
      alarmName: `${props.alarmNamePrefix}-PollFailures`,
      alarmDescription:
        `Polls have failed in each of the last ${failingPeriods} periods of 5 min. In the poller log group run ` +
        'Logs Insights `filter message = "poll failed" | stats count() by partyId, reason`. auth_failed = put a ' +
        "valid workdriveApiKey / huddleAccessToken in the party's secret; credentials_missing = add it; " +
        'rate_limited = raise poll.intervalSeconds; source_unavailable = the source API is down (polls resume ' +
        'from their checkpoints, nothing is lost); queue_unavailable/checkpoint_unavailable = check SQS/DynamoDB.',
      metric: metric(MetricName.PollFailed),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: failingPeriods,
      datapointsToAlarm: failingPeriods,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const action = new SnsAction(props.alarmTopic);
    this.alarm.addAlarmAction(action);
    this.alarm.addOkAction(action);

    const failedByReason = new SearchExpression({
      expression: `SEARCH('{${METRICS_NAMESPACE},Reason,service} MetricName="${MetricName.PollFailed}"', 'Sum', ${period.toSeconds()})`,
      label: 'failed',
      period,
    });
    props.dashboard.addWidgets(
      new TextWidget({
        markdown:
          '### Polled sources\nWorkDrive and Huddle APIs read on a schedule (docs/polling.md). Per-party detail: ' +
          'the poller log lines `poll completed` / `poll failed` carry `partyId`, `found`, `queued`, `reason`.',
        width: 24,
        height: 2,
      }),
      new GraphWidget({
        title: 'Polls completed / failed',
        left: [metric(MetricName.PollCompleted), metric(MetricName.PollFailed)],
        width: 8,
        height: 6,
        period,
      }),
      new GraphWidget({
        title: 'Poll failures by reason',
        left: [failedByReason],
        width: 8,
        height: 6,
        period,
      }),
      new GraphWidget({
        title: 'Events found by polls',
        left: [metric(MetricName.PollEventsFound)],
        width: 8,
        height: 6,
        period,
      }),
    );
  }
}
