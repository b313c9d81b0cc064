import { Aws, Duration } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Dashboard,
  GraphWidget,
  type IMetric,
  type IWidget,
  LogQueryVisualizationType,
  LogQueryWidget,
  SearchExpression,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, MetricName } from '../../shared/observability/metric-names';
import { LATEST_FAILURES_QUERY } from './relay-log-queries';

export interface RelayDashboardProps {
  /** Dashboard name (unique per account and region). */
  readonly dashboardName: string;
  /**
   * `POWERTOOLS_SERVICE_NAME`s of this stage's functions: every EMF graph searches only series whose
   * `service` dimension is one of these, so another stage's metrics in the same namespace never show.
   */
  readonly serviceNames: readonly string[];
  /** The ingress function (errors, throttles, duration). */
  readonly ingress: IFunction;
  /** The delivery worker function (errors, throttles, duration). */
  readonly worker: IFunction;
  /**
   * The ingress and worker log groups: the per-party table reads them (parties are log fields, not metric
   * dimensions), and a log widget lists the latest rejections and dead letters.
   */
  readonly logGroups: readonly ILogGroup[];
  /** The webhook HTTP API (requests, 4xx, 5xx, latency). */
  readonly api: IHttpApi;
  /** The delivery queue (depth, age of the oldest message). */
  readonly queue: IQueue;
  /** The dead-letter queue (depth). */
  readonly deadLetterQueue: IQueue;
  /**
   * The age of the oldest message that counts as "deliveries are behind" (drawn as a line).
   * @default Duration.minutes(15)
   */
  readonly oldestMessageAgeThreshold?: Duration;
  /**
   * The worker's log group: the circuit breaker table reads its transition lines.
   * @default - no circuit breaker table
   */
  readonly workerLogGroup?: ILogGroup;
  /**
   * A circuit breaker open this long fires the alarm (drawn as a line).
   * @default Duration.minutes(30)
   */
  readonly circuitOpenAlarmAfter?: Duration;
  /**
   * Aggregation period of every graph.
   * @default Duration.minutes(5)
   */
  readonly period?: Duration;
  /**
   * CloudWatch namespace of the relay's EMF metrics.
   * @default 'WebhookRelay'
   */
  readonly namespace?: string;
}

const INTRO = `# Webhook relay
**Is anything lost?** *Dead-letter queue depth* must be 0; each dead-lettered delivery carries its reason (\`npm run relay -- dlq list\`).
**Is delivery keeping up?** *Age of oldest message* stays near the batching delay; it grows while Workspace 365 is down (the worker retries with backoff, nothing is lost).
**Are senders accepted?** *Rejected by reason*: \`signature_invalid\` = a sender uses the wrong secret; \`party_unknown\` = wrong URL; 5xx on the API = queue or secret unavailable.
**Is a Workspace 365 key wrong?** *Auth failures*, then *Per party* (from the logs) names the party: put a new key in that party's secret.
**Is a Workspace 365 environment down?** *Circuit breakers by environment* shows each one's state; while one is open its deliveries wait on the queue (*deferred*) and one probe per cool-down checks it. It closes by itself when the environment answers.
Per-reason series appear on their own (SEARCH over the \`WebhookRelay\` namespace, this stage's \`service\` values only). Metrics carry no party dimension (each series is billed monthly, parties are not bounded); *Per party* reads the log lines instead.`;

/** Logs Insights over both functions' log lines: what happened per party (the party is a log field, not a metric dimension). */
export const PER_PARTY_QUERY = [
  'fields coalesce(party, partyId) as partyName',
  'filter ispresent(partyName)',
  'stats count(*) as events by partyName, message',
  'sort events desc',
  'limit 100',
].join(' | ');

/**
 * The relay's CloudWatch dashboard: the fixed EMF metrics (docs/architecture.md §7) as SEARCH expressions so every
 * Reason appears without being listed here, a per-party table from the logs, plus queue, Lambda and API Gateway health.
 */
export class RelayDashboard extends Construct {
  readonly dashboard: Dashboard;
  /** Console URL of the dashboard. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: RelayDashboardProps) {
    super(scope, id);
    const period = props.period ?? Duration.minutes(5);
    const namespace = props.namespace ?? METRICS_NAMESPACE;
    if (props.serviceNames.length === 0) throw new Error('serviceNames must name at least one function');
    const ownServices = props.serviceNames.map((name) => `service="${name}"`).join(' OR ');
    const search = (metricName: MetricName, statistic: string, label: string): IMetric =>
      new SearchExpression({
        // Every dimension combination of the metric (one series per Reason / service), but only this
        // stage's services: the namespace is shared by every stage in the account.
        expression: `SEARCH('Namespace="${namespace}" MetricName="${metricName}" (${ownServices})', '${statistic}', ${period.toSeconds()})`,
        label,
        period,
      });
    const graph = (
      title: string,
      left: IMetric[],
      width = 8,
      extra: Partial<ConstructorParameters<typeof GraphWidget>[0]> = {},
    ) => new GraphWidget({ title, left, width, height: 6, period, ...extra });
    const fns = [
      ['ingress', props.ingress],
      ['worker', props.worker],
    ] as const;
    const ageThresholdSeconds = (props.oldestMessageAgeThreshold ?? Duration.minutes(15)).toSeconds();

    const rows: IWidget[][] = [
      [new TextWidget({ markdown: INTRO, width: 24, height: 6 })],
      [
        graph('Webhooks received / queued', [
          search(MetricName.WebhookReceived, 'Sum', 'received'),
          search(MetricName.DeliveryQueued, 'Sum', 'queued'),
        ]),
        graph('Webhooks rejected by reason', [search(MetricName.WebhookRejected, 'Sum', 'rejected')]),
        graph('Webhooks ignored / duplicate', [
          search(MetricName.WebhookIgnored, 'Sum', 'ignored'),
          search(MetricName.WebhookDuplicate, 'Sum', 'duplicate'),
        ]),
      ],
      [
        graph('Deliveries delivered / retried', [
          search(MetricName.DeliveryDelivered, 'Sum', 'delivered'),
          search(MetricName.DeliveryRetried, 'Sum', 'retried'),
        ]),
        graph('Dead-lettered by reason', [search(MetricName.DeliveryDeadLettered, 'Sum', 'dead-lettered')]),
        graph('Workspace 365 auth failures (401/403)', [
          search(MetricName.DeliveryAuthFailure, 'Sum', 'auth failures'),
          search(MetricName.SecretsManagerCalls, 'Sum', 'Secrets Manager calls'),
        ]),
      ],
      [
        new LogQueryWidget({
          title: 'Per party: webhooks and deliveries by outcome (from the logs)',
          logGroupNames: props.logGroups.map((group) => group.logGroupName),
          queryString: PER_PARTY_QUERY,
          view: LogQueryVisualizationType.TABLE,
          width: 24,
          height: 6,
        }),
      ],
      [
        graph(
          'End-to-end latency (received → delivered, ms)',
          [
            search(MetricName.EndToEndLatency, 'p50', 'p50'),
            search(MetricName.EndToEndLatency, 'p99', 'p99'),
          ],
          12,
        ),
        graph(
          'Workspace 365 latency (ms)',
          [
            search(MetricName.Workspace365Latency, 'p50', 'p50'),
            search(MetricName.Workspace365Latency, 'p99', 'p99'),
          ],
          12,
        ),
      ],
      [
        graph('Queue depth', [
          props.queue.metricApproximateNumberOfMessagesVisible({
            statistic: 'Maximum',
            period,
            label: 'visible',
          }),
          props.queue.metricApproximateNumberOfMessagesNotVisible({
            statistic: 'Maximum',
            period,
            label: 'in flight / backing off',
          }),
        ]),
        graph(
          'Age of oldest message (s)',
          [
            props.queue.metricApproximateAgeOfOldestMessage({
              statistic: 'Maximum',
              period,
              label: 'oldest',
            }),
          ],
          8,
          { leftAnnotations: [{ value: ageThresholdSeconds, label: 'alarm' }] },
        ),
        graph('Dead-letter queue depth', [
          props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
            statistic: 'Maximum',
            period,
            label: 'dead-lettered messages',
          }),
        ]),
      ],
      [
        graph(
          'Lambda errors',
          fns.map(([name, fn]) => fn.metricErrors({ statistic: 'Sum', period, label: name })),
        ),
        graph(
          'Lambda throttles',
          fns.map(([name, fn]) => fn.metricThrottles({ statistic: 'Sum', period, label: name })),
        ),
        graph(
          'Lambda duration p50 / p99 (ms)',
          fns.flatMap(([name, fn]) => [
            fn.metricDuration({ statistic: 'p50', period, label: `${name} p50` }),
            fn.metricDuration({ statistic: 'p99', period, label: `${name} p99` }),
          ]),
        ),
      ],
      [
        graph(
          'API requests, 4xx, 5xx',
          [
            props.api.metricCount({ statistic: 'Sum', period, label: 'requests' }),
            props.api.metricClientError({ statistic: 'Sum', period, label: '4xx' }),
            props.api.metricServerError({ statistic: 'Sum', period, label: '5xx' }),
          ],
          12,
        ),
        graph(
          'API latency p50 / p99 (ms)',
          [
            props.api.metricLatency({ statistic: 'p50', period, label: 'p50' }),
            props.api.metricLatency({ statistic: 'p99', period, label: 'p99' }),
          ],
          12,
        ),
      ],
    ];

    if (props.logGroups.length > 0) {
      rows.push([
        new LogQueryWidget({
          title: 'Latest rejections and dead letters (relay trace <party> <event> for the whole story)',
          logGroupNames: props.logGroups.map((group) => group.logGroupName),
          queryString: LATEST_FAILURES_QUERY,
          view: LogQueryVisualizationType.TABLE,
          width: 24,
          height: 8,
        }),
      ]);
    }
    const openAlarmSeconds = (props.circuitOpenAlarmAfter ?? Duration.minutes(30)).toSeconds();
    rows.splice(3, 0, [
      graph('Circuit breakers opened / closed, deliveries deferred', [
        search(MetricName.CircuitBreakerOpened, 'Sum', 'opened'),
        search(MetricName.CircuitBreakerClosed, 'Sum', 'closed'),
        search(MetricName.DeliveryDeferred, 'Sum', 'deferred'),
      ]),
      graph(
        'Longest-open circuit breaker (s)',
        [search(MetricName.CircuitBreakerOpenSeconds, 'Maximum', 'open for')],
        8,
        { leftAnnotations: [{ value: openAlarmSeconds, label: 'alarm' }] },
      ),
      ...(props.workerLogGroup
        ? [
            new LogQueryWidget({
              title: 'Circuit breakers by environment (latest change)',
              logGroupNames: [props.workerLogGroup.logGroupName],
              view: LogQueryVisualizationType.TABLE,
              // Transition lines carry circuitState; one row per environment that ever opened.
              queryLines: [
                'fields @timestamp, targetEnvironment, circuitState, cause, nextProbeAt',
                'filter ispresent(circuitState)',
                'stats latest(circuitState) as state, latest(@timestamp) as since, latest(cause) as cause, latest(nextProbeAt) as nextProbe by targetEnvironment',
                'sort state desc',
              ],
              width: 8,
              height: 6,
            }),
          ]
        : []),
    ]);

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(3),
      widgets: rows,
    });
    this.url = `https://${Aws.REGION}.console.aws.amazon.com/cloudwatch/home?region=${Aws.REGION}#dashboards:name=${props.dashboardName}`;
  }
}
