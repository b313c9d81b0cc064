import { beforeAll, describe, expect, it } from 'vitest';
import { MetricName } from '../../shared/observability/metric-names';
import {
  asArray,
  cfnText,
  type PolicyStatementJson,
  resolveImport,
  roleStatements,
  SYNTH_TIMEOUT_MS,
  type SynthesizedRelay,
  synthRelay,
} from './support/relay-app';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Json = Parameters<typeof cfnText>[0];
type FunctionProps = {
  Runtime: string;
  Architectures: string[];
  Handler: string;
  Timeout: number;
  Role: { 'Fn::GetAtt': [string, string] };
  Environment: { Variables: Record<string, unknown> };
};

let relay: SynthesizedRelay;
let functions: Record<string, { id: string; props: FunctionProps }>;
let statefulIds: { queue: string; deadLetterQueue: string; table: string };

const SECRET_ARN_PREFIX = 'arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:';
// Every party of the stage by one pattern (the policy does not grow with the parties), and only this
// stage's: the prefix ends in "/" so stage "test" cannot read "test-2"'s secrets.
const secretPattern = `${SECRET_ARN_PREFIX}webhook-relay/test/*`;

beforeAll(() => {
  relay = synthRelay();
  const found = relay.apiTemplate.findResources('AWS::Lambda::Function') as Record<
    string,
    { Properties: FunctionProps }
  >;
  functions = Object.fromEntries(
    Object.entries(found).map(([id, fn]) => [
      String(fn.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME),
      { id, props: fn.Properties },
    ]),
  );
  const stateful = relay.statefulTemplate;
  const queues = Object.entries(stateful.findResources('AWS::SQS::Queue') as Record<string, Resource>);
  const table = Object.keys(stateful.findResources('AWS::DynamoDB::Table'))[0];
  statefulIds = {
    queue: queues.find(([, q]) => q.Properties.RedrivePolicy)?.[0] ?? 'missing',
    deadLetterQueue: queues.find(([, q]) => !q.Properties.RedrivePolicy)?.[0] ?? 'missing',
    table: table ?? 'missing',
  };
}, SYNTH_TIMEOUT_MS);

// Stage "test": the stage is part of each service name (the `service` metric dimension).
const ingress = () => functions['webhook-relay-test-ingress'];
const worker = () => functions['webhook-relay-test-worker'];
/** The statements of a function's own role (its logical id is the role's). */
const statementsOf = (fn: { props: FunctionProps } | undefined): PolicyStatementJson[] =>
  roleStatements(relay.apiTemplate, fn?.props.Role['Fn::GetAtt'][0] ?? 'missing');
/** Where an imported resource ARN comes from: the exporting resource's logical id. */
const importedResourceId = (value: unknown) => {
  const exported = resolveImport(relay.statefulTemplate, value) as { 'Fn::GetAtt'?: [string, string] };
  return exported['Fn::GetAtt']?.[0];
};

describe('api stack: functions', () => {
  it('is named WebhookRelay-<stage>-Api and has the two functions', () => {
    expect(relay.api.stackName).toBe('WebhookRelay-test-Api');
    expect(Object.keys(functions).sort()).toEqual([
      'webhook-relay-test-ingress',
      'webhook-relay-test-worker',
    ]);
  });

  it('runs both on arm64 with the newest Node.js runtime, as ESM bundles', () => {
    for (const fn of [ingress(), worker()]) {
      expect(fn?.props.Architectures).toEqual(['arm64']);
      expect(fn?.props.Runtime).toBe('nodejs24.x');
      expect(fn?.props.Handler).toBe('index.handler');
    }
  });

  it('gives both the environment contract the handlers read', () => {
    const common = {
      RELAY_CONFIG: 'relay.config.json',
      POWERTOOLS_METRICS_NAMESPACE: 'WebhookRelay',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      SECRETS_CACHE_TTL_SECONDS: '300',
      NODE_OPTIONS: '--enable-source-maps',
      SECRET_NAME_PREFIX: 'webhook-relay/test/',
    };
    for (const fn of [ingress(), worker()]) {
      const env = fn?.props.Environment.Variables ?? {};
      expect(env).toMatchObject(common);
      expect(importedResourceIdOfRef(env.QUEUE_URL)).toBe(statefulIds.queue);
      expect(importedResourceIdOfRef(env.IDEMPOTENCY_TABLE_NAME)).toBe(statefulIds.table);
    }
    const workerEnv = worker()?.props.Environment.Variables ?? {};
    expect(importedResourceIdOfRef(workerEnv.DLQ_URL)).toBe(statefulIds.deadLetterQueue);
    expect(Number(workerEnv.WORKSPACE365_TIMEOUT_MS)).toBeLessThanOrEqual(
      ((worker()?.props.Timeout ?? 0) * 1000) / 2,
    );
    expect(ingress()?.props.Environment.Variables).not.toHaveProperty('DLQ_URL');
  });

  it('sends each function to its own log group with retention', () => {
    const groups = relay.apiTemplate.findResources('AWS::Logs::LogGroup') as Record<string, Resource>;
    for (const fn of [ingress(), worker()]) {
      const found = relay.apiTemplate.findResources('AWS::Lambda::Function')[fn?.id ?? ''] as Resource;
      const groupRef = (found.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(groups[groupRef]?.Properties.RetentionInDays).toBeGreaterThan(0);
    }
  });

  it("logs JSON without Lambda's START/END/REPORT lines (system level WARN), at the Powertools level", () => {
    for (const fn of [ingress(), worker()]) {
      const found = relay.apiTemplate.findResources('AWS::Lambda::Function')[fn?.id ?? ''] as Resource;
      expect(found.Properties.LoggingConfig).toMatchObject({
        LogFormat: 'JSON',
        SystemLogLevel: 'WARN',
        ApplicationLogLevel: fn?.props.Environment.Variables.POWERTOOLS_LOG_LEVEL,
      });
    }
  });
});

/** The environment holds `Fn::ImportValue` of a `Ref` export: the logical id behind it. */
function importedResourceIdOfRef(value: unknown) {
  const exported = resolveImport(relay.statefulTemplate, value) as { Ref?: string };
  return exported.Ref;
}

describe('api stack: worker event source', () => {
  it('reads the main queue in batches, reporting item failures, with a concurrency cap', () => {
    relay.apiTemplate.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    const [mapping] = Object.values(
      relay.apiTemplate.findResources('AWS::Lambda::EventSourceMapping') as Record<string, Resource>,
    );
    expect(mapping?.Properties).toMatchObject({
      FunctionName: { Ref: worker()?.id },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
    expect(Number(mapping?.Properties.MaximumBatchingWindowInSeconds)).toBeGreaterThan(0);
    expect(importedResourceId(mapping?.Properties.EventSourceArn)).toBe(statefulIds.queue);
  });
});

describe('api stack: least privilege', () => {
  const allStatements = () =>
    Object.values(
      relay.apiTemplate.findResources('AWS::IAM::Policy') as Record<
        string,
        { Properties: { PolicyDocument: { Statement: PolicyStatementJson[] } } }
      >,
    ).flatMap((policy) => policy.Properties.PolicyDocument.Statement);

  it('grants no wildcard action, and no "*" resource except the stage secret prefix', () => {
    const statements = allStatements();
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      for (const action of asArray(statement.Action)) expect(action).not.toContain('*');
      for (const resource of asArray(statement.Resource)) {
        const text = cfnText(resource);
        if (text === secretPattern) continue;
        expect(text).not.toContain('*');
      }
    }
  });

  it('attaches no managed policy (AWSLambdaBasicExecutionRole is replaced by a log-group-scoped statement)', () => {
    const roles = relay.apiTemplate.findResources('AWS::IAM::Role') as Record<string, Resource>;
    for (const role of Object.values(roles)) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  const secretArns = () => [secretPattern];

  it('ingress: SendMessage on the main queue, its party secrets, UpdateItem on the table (the ledger claim), its own logs', () => {
    const statements = statementsOf(ingress());
    const byAction = (action: string) => statements.filter((s) => asArray(s.Action).includes(action));

    expect(statements.flatMap((s) => asArray(s.Action)).sort()).toEqual(
      [
        'dynamodb:UpdateItem',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'secretsmanager:GetSecretValue',
        'sqs:SendMessage',
      ].sort(),
    );
    expect(byAction('sqs:SendMessage').map((s) => importedResourceId(s.Resource))).toEqual([
      statefulIds.queue,
    ]);
    expect(
      byAction('secretsmanager:GetSecretValue')
        .flatMap((s) => asArray(s.Resource).map(cfnText))
        .sort(),
    ).toEqual(secretArns());
    expect(byAction('dynamodb:UpdateItem').map((s) => importedResourceId(s.Resource))).toEqual([
      statefulIds.table,
    ]);
    expect(byAction('logs:PutLogEvents').map((s) => cfnText(s.Resource))).toEqual([
      `<${functionLogGroup(ingress()?.id)}.Arn>`,
    ]);
  });

  it('worker: consume the main queue, SendMessage on the DLQ and (deferred copies) the main queue, party secrets, item r/w on the table', () => {
    const statements = statementsOf(worker());
    const resourcesOf = (action: string) =>
      statements.filter((s) => asArray(s.Action).includes(action)).flatMap((s) => asArray(s.Resource));

    for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility']) {
      expect(resourcesOf(action).map(importedResourceId)).toEqual([statefulIds.queue]);
    }
    expect(resourcesOf('sqs:SendMessage').map(importedResourceId)).toEqual([
      statefulIds.deadLetterQueue,
      statefulIds.queue,
    ]);
    expect(resourcesOf('secretsmanager:GetSecretValue').map(cfnText).sort()).toEqual(secretArns());
    for (const action of ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']) {
      expect(resourcesOf(action).map(importedResourceId)).toEqual([statefulIds.table]);
    }
    expect(
      statements.flatMap((s) => asArray(s.Action)).filter((a) => a.startsWith('dynamodb:')),
    ).toHaveLength(3);
    expect(resourcesOf('logs:PutLogEvents').map(cfnText)).toEqual([
      `<${functionLogGroup(worker()?.id)}.Arn>`,
    ]);
  });
});

function functionLogGroup(functionId: string | undefined): string {
  const fn = relay.apiTemplate.findResources('AWS::Lambda::Function')[functionId ?? ''] as Resource;
  return (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
}

describe('api stack: HTTP API', () => {
  it('routes POST /webhooks/{partyId} to the ingress function with payload format 2.0', () => {
    relay.apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    relay.apiTemplate.resourceCountIs('AWS::ApiGatewayV2::Route', 1);
    relay.apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'POST /webhooks/{partyId}',
    });
    relay.apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: { 'Fn::GetAtt': [ingress()?.id, 'Arn'] },
    });
  });

  it('throttles the $default stage and writes JSON access logs without headers or bodies', () => {
    const [stage] = Object.values(
      relay.apiTemplate.findResources('AWS::ApiGatewayV2::Stage') as Record<string, Resource>,
    );
    expect(stage?.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100 },
    });
    const access = stage?.Properties.AccessLogSettings as {
      DestinationArn: { 'Fn::GetAtt': [string] };
      Format: string;
    };
    const format = JSON.parse(access.Format) as Record<string, string>;
    // Exactly these fields: one line per request, each byte billed (docs/cost.md, "Logs").
    expect(format).toEqual({
      requestId: '$context.requestId',
      ip: '$context.identity.sourceIp',
      path: '$context.path',
      status: '$context.status',
      latency: '$context.responseLatency',
      error: '$context.integrationErrorMessage',
    });
    expect(access.Format).not.toMatch(/header|body|authorization/i);
    const groups = relay.apiTemplate.findResources('AWS::Logs::LogGroup') as Record<string, Resource>;
    expect(groups[access.DestinationArn['Fn::GetAtt'][0]]?.Properties.RetentionInDays).toBeGreaterThan(0);
  });
});

describe('api stack: dashboard', () => {
  it('references every fixed metric name, per-dimension via SEARCH, plus queue, Lambda and API health', () => {
    const [dashboard] = Object.values(
      relay.apiTemplate.findResources('AWS::CloudWatch::Dashboard') as Record<string, Resource>,
    );
    const body = cfnText(dashboard?.Properties.DashboardBody);
    const fixed = [
      'WebhookReceived',
      'WebhookRejected',
      'WebhookIgnored',
      'WebhookDuplicate',
      'DeliveryQueued',
      'DeliveryDelivered',
      'DeliveryRetried',
      'DeliveryDeadLettered',
      'DeliveryAuthFailure',
      'EndToEndLatency',
      'Workspace365Latency',
    ];
    expect(fixed.every((name) => Object.values(MetricName).includes(name as MetricName))).toBe(true);
    const ownServices =
      '(service=\\"webhook-relay-test-ingress\\" OR service=\\"webhook-relay-test-worker\\")';
    for (const name of fixed) {
      expect(body).toContain(`SEARCH('Namespace=\\"WebhookRelay\\" MetricName=\\"${name}\\" ${ownServices}'`);
    }
    for (const percentile of ['p50', 'p99']) {
      expect(body).toContain(`MetricName=\\"EndToEndLatency\\" ${ownServices}', '${percentile}'`);
      expect(body).toContain(`MetricName=\\"Workspace365Latency\\" ${ownServices}', '${percentile}'`);
    }
    for (const name of [
      'ApproximateNumberOfMessagesVisible',
      'ApproximateAgeOfOldestMessage',
      'Errors',
      'Throttles',
      'Duration',
      '4xx',
      '5xx',
    ]) {
      expect(body).toContain(`"${name}"`);
    }
    // Circuit breakers: the extension metrics, and the per-environment table from the worker's log lines.
    for (const name of ['CircuitBreakerOpened', 'CircuitBreakerClosed', 'DeliveryDeferred']) {
      expect(body).toContain(
        `SEARCH('Namespace=\\"WebhookRelay\\" MetricName=\\"${name}\\" ${ownServices}', 'Sum'`,
      );
    }
    expect(body).toContain(`MetricName=\\"CircuitBreakerOpenSeconds\\" ${ownServices}', 'Maximum'`);
    expect(body).toContain('Circuit breakers by environment');
    expect(body).toContain('stats latest(circuitState) as state');
    // The explanation comes first, above every graph.
    expect(body).toContain('"widgets":[{"type":"text","width":24');
  });
});

describe('api stack: saved Logs Insights queries and the log widget', () => {
  const logGroupRefs = () =>
    Object.keys(relay.apiTemplate.findResources('AWS::Logs::LogGroup'))
      .filter((id) => /Ingress|Worker/.test(id))
      .map((id) => `<${id}>`)
      .sort();

  it('saves the timeline, rejections-by-reason-and-party and dead-letters-by-party-and-reason queries over both log groups', () => {
    const queries = Object.values(
      relay.apiTemplate.findResources('AWS::Logs::QueryDefinition') as Record<string, Resource>,
    ).map((query) => ({
      name: String(query.Properties.Name),
      text: String(query.Properties.QueryString),
      groups: (query.Properties.LogGroupNames as Json[]).map(cfnText).sort(),
    }));
    expect(queries.map((query) => query.name).sort()).toEqual([
      'WebhookRelay-test/dead letters by party and reason',
      'WebhookRelay-test/rejections by reason and party',
      'WebhookRelay-test/webhook timeline (set PARTY_ID and EVENT_ID)',
    ]);
    expect(logGroupRefs()).toHaveLength(2);
    for (const query of queries) expect(query.groups).toEqual(logGroupRefs());
    const byName = (part: string) => queries.find((query) => query.name.includes(part))?.text ?? '';
    expect(byName('timeline')).toContain('partyId = "PARTY_ID" and eventId = "EVENT_ID"');
    expect(byName('timeline')).toContain('sort @timestamp asc');
    expect(byName('rejections')).toContain('filter step = "rejected"');
    expect(byName('rejections')).toContain('stats count(*) as rejections by code, partyId');
    expect(byName('dead letters')).toContain('filter step = "dead_lettered"');
    expect(byName('dead letters')).toContain('stats count(*) as deadLetters by partyId, reason');
  });

  it('puts a log widget with the latest rejections and dead letters on the dashboard', () => {
    const widget =
      logWidgets().find((candidate) => candidate.includes('Latest rejections and dead letters')) ?? '';
    for (const group of logGroupRefs()) expect(widget).toContain(`SOURCE '${group}'`);
    expect(widget).toContain('filter step = \\"rejected\\" or step = \\"dead_lettered\\"');
    expect(widget).toContain('sort @timestamp desc');
  });
});

describe('api stack: dashboard per party', () => {
  it('shows parties from both log groups with a Logs Insights table, not from metric dimensions', () => {
    const widget = logWidgets().find((candidate) => candidate.includes('by partyName, message')) ?? '';
    expect(widget).toContain('stats count(*) as events by partyName, message');
    expect(widget.match(/SOURCE '[^']*'/g) ?? []).toHaveLength(2);
    expect(dashboardBody()).not.toContain('Party');
  });
});

/** The dashboard's body as text, tokens rendered. */
function dashboardBody(): string {
  const [dashboard] = Object.values(
    relay.apiTemplate.findResources('AWS::CloudWatch::Dashboard') as Record<string, Resource>,
  );
  return cfnText(dashboard?.Properties.DashboardBody);
}

/** Each Logs Insights widget of the dashboard, as the text from its type to the next log widget. */
function logWidgets(): string[] {
  return dashboardBody().split('"type":"log"').slice(1);
}

describe('api stack: alarms', () => {
  const alarms = () =>
    Object.values(relay.apiTemplate.findResources('AWS::CloudWatch::Alarm') as Record<string, Resource>).map(
      (alarm) => alarm.Properties,
    );
  const alarmNamed = (suffix: string) => alarms().find((alarm) => String(alarm.AlarmName).endsWith(suffix));

  it('notifies the stateful stack topic from every alarm, with a runbook line', () => {
    const topicId = Object.keys(relay.statefulTemplate.findResources('AWS::SNS::Topic'))[0];
    expect(alarms()).toHaveLength(6);
    for (const alarm of alarms()) {
      const actions = alarm.AlarmActions as unknown[];
      expect(actions).toHaveLength(1);
      expect(resolveImport(relay.statefulTemplate, actions[0])).toEqual({ Ref: topicId });
      expect(String(alarm.AlarmDescription).length).toBeGreaterThan(80);
      expect(alarm.TreatMissingData).toBe('notBreaching');
    }
  });

  it('fires when the DLQ holds any message', () => {
    const alarm = alarmNamed('-DlqNotEmpty');
    expect(alarm).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    const [dimension] = (alarm?.Dimensions ?? []) as { Value: unknown }[];
    expect(importedResourceIdOfQueueName(dimension?.Value)).toBe(statefulIds.deadLetterQueue);
  });

  it('fires when the oldest message is older than 15 minutes', () => {
    const alarm = alarmNamed('-OldestMessageAge');
    expect(alarm).toMatchObject({ MetricName: 'ApproximateAgeOfOldestMessage', Threshold: 900 });
    const [dimension] = (alarm?.Dimensions ?? []) as { Value: unknown }[];
    expect(importedResourceIdOfQueueName(dimension?.Value)).toBe(statefulIds.queue);
  });

  it('fires on any worker error', () => {
    expect(alarmNamed('-WorkerErrors')).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Threshold: 0,
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: worker()?.id } }],
    });
  });

  it('fires on the API 5xx rate', () => {
    const alarm = alarmNamed('-Ingress5xxRate');
    const metrics = alarm?.Metrics as {
      Expression?: string;
      MetricStat?: { Metric: { MetricName: string } };
    }[];
    expect(
      metrics
        .map((m) => m.MetricStat?.Metric.MetricName)
        .filter(Boolean)
        .sort(),
    ).toEqual(['5xx', 'Count']);
    expect(metrics.some((m) => m.Expression?.includes('100 * errors / requests'))).toBe(true);
  });

  it('fires while a circuit breaker has been open longer than 30 minutes, with a runbook line', () => {
    const alarm = alarmNamed('-CircuitBreakerOpen');
    expect(alarm).toMatchObject({
      Namespace: 'WebhookRelay',
      MetricName: 'CircuitBreakerOpenSeconds',
      Dimensions: [{ Name: 'service', Value: 'webhook-relay-test-worker' }],
      Statistic: 'Maximum',
      Threshold: 1800,
    });
    expect(String(alarm?.AlarmDescription)).toMatch(/Circuit breakers by environment/);
  });

  it('fires on the undimensioned DeliveryAuthFailure aggregate of the worker service', () => {
    expect(alarmNamed('-DeliveryAuthFailure')).toMatchObject({
      Namespace: 'WebhookRelay',
      MetricName: 'DeliveryAuthFailure',
      Dimensions: [{ Name: 'service', Value: 'webhook-relay-test-worker' }],
      Statistic: 'Sum',
      Threshold: 0,
    });
  });
});

function importedResourceIdOfQueueName(value: unknown) {
  const exported = resolveImport(relay.statefulTemplate, value) as { 'Fn::GetAtt'?: [string, string] };
  expect(exported['Fn::GetAtt']?.[1]).toBe('QueueName');
  return exported['Fn::GetAtt']?.[0];
}

describe('api stack: outputs', () => {
  it('outputs the webhook base URL (…/webhooks/) and the dashboard URL', () => {
    const outputs = relay.apiTemplate.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(cfnText(outputs.WebhookBaseUrl?.Value)).toMatch(
      /^https:\/\/<WebhookApiHttpApi[A-Z0-9]+>\.execute-api\.<AWS::Region>\.<AWS::URLSuffix>\/webhooks\/$/,
    );
    expect(cfnText(outputs.DashboardUrl?.Value)).toBe(
      'https://<AWS::Region>.console.aws.amazon.com/cloudwatch/home?region=<AWS::Region>#dashboards:name=WebhookRelay-test',
    );
  });
});

describe('context', () => {
  it('takes maxConcurrency and alarmEmail from -c', { timeout: SYNTH_TIMEOUT_MS }, () => {
    const other = synthRelay({ context: { maxConcurrency: '8', alarmEmail: 'ops@example.com' } });
    other.apiTemplate.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      ScalingConfig: { MaximumConcurrency: 8 },
    });
    other.statefulTemplate.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });
});
