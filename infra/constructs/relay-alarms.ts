import { Duration } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, MetricName } from '../../shared/observability/metric-names';

export interface RelayAlarmsProps {
  /** Every alarm notifies this topic when it fires and when it recovers. */
  readonly topic: ITopic;
  /** The delivery queue: age of its oldest message. */
  readonly queue: IQueue;
  /** The dead-letter queue: any visible message fires. */
  readonly deadLetterQueue: IQueue;
  /** The delivery worker: any invocation error fires. */
  readonly worker: IFunction;
  /** The webhook HTTP API: its 5xx rate. */
  readonly api: IHttpApi;
  /** `POWERTOOLS_SERVICE_NAME` of the worker: the undimensioned DeliveryAuthFailure aggregate carries only it. */
  readonly workerServiceName: string;
  /**
   * Prefix of every alarm name.
   * @default 'WebhookRelay'
   */
  readonly alarmNamePrefix?: string;
  /**
   * The oldest queued message may be this old before "deliveries are behind" fires.
   * @default Duration.minutes(15)
   */
  readonly oldestMessageAgeThreshold?: Duration;
  /**
   * A circuit breaker open this long (a Workspace 365 environment unreachable, deliveries to it waiting)
   * fires the alarm.
   * @default Duration.minutes(30)
   */
  readonly circuitOpenAlarmAfter?: Duration;
  /**
   * Percentage of API requests answered with 5xx (over 5 minutes) that fires the ingress alarm.
   * @default 5
   */
  readonly serverErrorRatePercent?: number;
  /**
   * CloudWatch namespace of the relay's EMF metrics.
   * @default 'WebhookRelay'
   */
  readonly namespace?: string;
}

/** Alarm ids; each alarm is named `<alarmNamePrefix>-<id>`. */
export const ALARM_IDS = [
  'DlqNotEmpty',
  'OldestMessageAge',
  'WorkerErrors',
  'Ingress5xxRate',
  'DeliveryAuthFailure',
  'CircuitBreakerOpen',
] as const;
export type AlarmId = (typeof ALARM_IDS)[number];

/**
 * The relay's alarms, each with a runbook line as its description and an SNS action on ALARM and OK.
 * Missing data means "nothing happened" for all of them (a quiet relay is a healthy relay).
 */
export class RelayAlarms extends Construct {
  readonly alarms: ReadonlyMap<AlarmId, Alarm>;

  constructor(scope: Construct, id: string, props: RelayAlarmsProps) {
    super(scope, id);
    const prefix = props.alarmNamePrefix ?? 'WebhookRelay';
    const period = Duration.minutes(5);
    const ageThreshold = props.oldestMessageAgeThreshold ?? Duration.minutes(15);
    const serverErrorRate = props.serverErrorRatePercent ?? 5;
    const action = new SnsAction(props.topic);
    const alarms = new Map<AlarmId, Alarm>();

    const add = (
      alarmId: AlarmId,
      metric: IMetric,
      threshold: number,
      alarmDescription: string,
      evaluationPeriods = 1,
    ) => {
      const alarm = new Alarm(this, alarmId, {
        alarmName: `${prefix}-${alarmId}`,
        alarmDescription,
        metric,
        threshold,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods,
        datapointsToAlarm: evaluationPeriods,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      alarms.set(alarmId, alarm);
    };

    add(
      'DlqNotEmpty',
      props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period }),
      0,
      'Deliveries are in the dead-letter queue. Run `npm run relay -- dlq list` (DLQ_URL = stack output ' +
        'DeadLetterQueueUrl) to see each reason: rejected (field errors) = fix the party mapping or ask the ' +
        'sender; retries_exhausted with status 401/403 = fix the party API key, otherwise Workspace 365 was ' +
        'unreachable; invalid_envelope/unknown_party = a config or version mismatch. Then ' +
        '`npm run relay -- dlq redrive [--party <id>]`.',
    );
    add(
      'OldestMessageAge',
      props.queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period }),
      ageThreshold.toSeconds(),
      `Deliveries are behind: a queued message is older than ${ageThreshold.toMinutes()} min. On the dashboard ` +
        'check Workspace 365 latency, retried deliveries, auth failures and worker errors/throttles. If Workspace ' +
        '365 is down the worker keeps retrying with backoff (nothing is lost); if the worker is throttled, deploy ' +
        'with a higher -c maxConcurrency.',
    );
    add(
      'WorkerErrors',
      props.worker.metricErrors({ statistic: 'Sum', period }),
      0,
      'The delivery worker function failed (a crash or timeout, not a refused delivery). Open its log group ' +
        '(Logs Insights: filter level = "ERROR"), fix and redeploy. SQS redelivers the batch; delivery ' +
        'idempotency prevents duplicate activities.',
    );
    add(
      'Ingress5xxRate',
      new MathExpression({
        expression: 'IF(requests > 0, 100 * errors / requests, 0)',
        usingMetrics: {
          errors: props.api.metricServerError({ statistic: 'Sum', period }),
          requests: props.api.metricCount({ statistic: 'Sum', period }),
        },
        label: 'API 5xx rate (%)',
        period,
      }),
      serverErrorRate,
      `More than ${serverErrorRate}% of webhooks got a 5xx (nothing was queued for them; senders retry). ` +
        '503 = the queue refused or a party secret is missing or malformed (`npm run relay -- party check <id> ' +
        '--stage <stage>` says which); ' +
        "500 = a bug: the API access line's requestId is the correlationId of the ingress log line that says why; " +
        "502 = the function crashed or timed out: the access line's error says which.",
    );
    add(
      'DeliveryAuthFailure',
      new Metric({
        namespace: props.namespace ?? METRICS_NAMESPACE,
        metricName: MetricName.DeliveryAuthFailure,
        dimensionsMap: { service: props.workerServiceName },
        statistic: 'Sum',
        period,
      }),
      0,
      "Workspace 365 refuses a party's API key (401/403) even after re-reading the secret. The dashboard's Per " +
        'party table (from the worker log lines) names the party; put a valid key with `aws secretsmanager put-secret-value --secret-id ' +
        'webhook-relay/<stage>/<secretName> --secret-string \'{"workspace365ApiKey":"...","webhookSecrets":["..."]}\'`. The party is ' +
        'paused meanwhile (its deliveries wait; one probes per cool-down) and resumes by itself once the key works. ' +
        'Confirm with `npm run relay -- party check <id> --stage <stage>`.',
    );
    const openAfter = props.circuitOpenAlarmAfter ?? Duration.minutes(30);
    add(
      'CircuitBreakerOpen',
      new Metric({
        namespace: props.namespace ?? METRICS_NAMESPACE,
        metricName: MetricName.CircuitBreakerOpenSeconds,
        dimensionsMap: { service: props.workerServiceName },
        statistic: 'Maximum',
        period,
      }),
      openAfter.toSeconds(),
      `A Workspace 365 environment has been unreachable for over ${openAfter.toMinutes()} min: its circuit breaker ` +
        'is open, deliveries to it wait on the queue (nothing is lost, no retry budget is spent) and one probe ' +
        'a cool-down checks whether it is back. The dashboard\'s "Circuit breakers by environment" table names it. ' +
        'Check the environment (status page, certificate, DNS, the base URL in the party config); once it answers ' +
        'again the next probe closes the breaker and the backlog drains by itself. Deliveries that wait over 3 days ' +
        'are dead-lettered (retries_exhausted): redrive them with `npm run relay -- dlq redrive`.',
    );
    this.alarms = alarms;
  }
}
