import { resolve } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { POLLER_ENTRY, REPO_ROOT } from '../../infra/paths';
import { relayServiceName } from '../../shared/config/stage-names';
import {
  asArray,
  cfnText,
  roleStatements,
  SYNTH_TIMEOUT_MS,
  type SynthesizedRelay,
  synthRelay,
} from './support/relay-app';

/** The poller's service name in the stage the fixture synthesizes. */
const POLLER_SERVICE = relayServiceName('test', 'poller');
const POLL_FIXTURE = resolve(REPO_ROOT, 'test/infra/fixtures/relay.poll.config.json');

let relay: SynthesizedRelay;
beforeAll(() => {
  relay = synthRelay({ context: { configFile: POLL_FIXTURE }, nag: true });
}, SYNTH_TIMEOUT_MS);

function pollerRolePrefix(): string {
  const roles = relay.apiTemplate.findResources('AWS::IAM::Role', {
    Properties: { Description: `Execution role of ${POLLER_SERVICE}` },
  });
  const [logicalId] = Object.keys(roles);
  if (!logicalId) throw new Error('no poller role');
  return logicalId;
}

describe('the poller in AWS', () => {
  it('is started every minute by a schedule rule, not retried (the next run resumes)', () => {
    const functions = relay.apiTemplate.findResources('AWS::Lambda::Function', {
      Properties: { Environment: { Variables: { POWERTOOLS_SERVICE_NAME: POLLER_SERVICE } } },
    });
    const [pollerId] = Object.keys(functions);
    expect(pollerId).toBeDefined();
    relay.apiTemplate.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [pollerId, 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 0 },
        }),
      ],
    });
    relay.apiTemplate.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: POLLER_SERVICE, POLL_CONCURRENCY: '4' }),
      },
      Timeout: 50,
    });
  });

  it("may read only the polled parties' secrets and the checkpoint table, dedup, and send to the queue", () => {
    const statements = roleStatements(relay.apiTemplate, pollerRolePrefix());
    const bySid = Object.fromEntries(statements.map((statement) => [statement.Sid ?? '', statement]));
    expect(Object.keys(bySid).sort()).toEqual(
      ['DedupLedger', 'PollCheckpoints', 'QueueDeliveries', 'ReadPolledPartySecrets', 'WriteOwnLogs'].sort(),
    );
    const secrets = asArray(bySid.ReadPolledPartySecrets?.Resource).map(cfnText);
    expect(secrets).toHaveLength(2);
    expect(secrets.some((arn) => arn.includes('webhook-relay/test/relay-test/acme-workdrive-??????'))).toBe(
      true,
    );
    expect(secrets.some((arn) => arn.includes('webhook-relay/test/relay-test/acme-huddle-??????'))).toBe(
      true,
    );
    expect(asArray(bySid.DedupLedger?.Action)).toEqual(['dynamodb:UpdateItem']);
    expect(secrets.join()).not.toContain('acme-w365');
    expect(bySid.PollCheckpoints?.Action).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);
    expect(JSON.stringify(bySid.PollCheckpoints?.Resource)).toContain('PollCheckpoints');
    expect(bySid.QueueDeliveries?.Action).toBe('sqs:SendMessage');
    expect(
      statements.every((statement) => asArray(statement.Resource).every((r) => cfnText(r) !== '*')),
    ).toBe(true);
  });

  it('keeps checkpoints in their own table, which exists only when a party is polled', () => {
    relay.statefulTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    expect(Object.keys(relay.statefulTemplate.findResources('AWS::DynamoDB::Table'))).toHaveLength(2);
    const webhookOnly = synthRelay();
    expect(Object.keys(webhookOnly.statefulTemplate.findResources('AWS::DynamoDB::Table'))).toHaveLength(1);
    expect(webhookOnly.poller).toBeUndefined();
  });

  it('alarms when polls keep failing, with a runbook line, and puts poll metrics on the dashboard', () => {
    relay.apiTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'WebhookRelay-test-PollFailures',
      MetricName: 'PollFailed',
      Namespace: 'WebhookRelay',
      Dimensions: [{ Name: 'service', Value: POLLER_SERVICE }],
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      AlarmDescription: Match.stringLikeRegexp('auth_failed = put a valid workdriveApiKey'),
    });
    const dashboards = relay.apiTemplate.findResources('AWS::CloudWatch::Dashboard');
    const body = JSON.stringify(Object.values(dashboards)[0]);
    for (const name of ['PollCompleted', 'PollFailed', 'PollEventsFound']) expect(body).toContain(name);
  });

  it('passes the cdk-nag AwsSolutions checks', () => {
    const report = new AwsSolutionsChecks().validateScope(relay.app);
    expect(report.violations.map((violation) => violation.ruleName)).toEqual([]);
  });

  it('bundles no developer tool (devkit/) into the poller', async () => {
    const result = await build({
      entryPoints: [POLLER_ENTRY],
      bundle: true,
      platform: 'node',
      format: 'esm',
      write: false,
      metafile: true,
      external: ['@aws-sdk/*'],
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((input) => input.startsWith('shared/polling/'))).toBe(true);
    expect(inputs.filter((input) => input.startsWith('devkit/'))).toEqual([]);
  });
});
