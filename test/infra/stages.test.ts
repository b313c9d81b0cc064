import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { relayServiceName } from '../../shared/config/stage-names';
import { METRICS_NAMESPACE } from '../../shared/observability/metric-names';
import { cfnText, SYNTH_TIMEOUT_MS, type SynthesizedRelay, synthRelay } from './support/relay-app';

/**
 * Two stages from one checkout in one account and region: nothing named alike (CloudFormation would
 * refuse the second, or one would overwrite the other), and no alarm or graph watching the other's series.
 */

type Resource = { Type: string; Properties?: Record<string, unknown> };
const STAGES = ['dev', 'prod'] as const;
const relays = {} as Record<(typeof STAGES)[number], SynthesizedRelay>;

beforeAll(() => {
  for (const stage of STAGES) relays[stage] = synthRelay({ context: { stage } });
}, 2 * SYNTH_TIMEOUT_MS);

const templates = (relay: SynthesizedRelay) => [relay.statefulTemplate, relay.apiTemplate];
const resources = (template: Template) =>
  Object.values((template.toJSON().Resources ?? {}) as Record<string, Resource>);

/**
 * Not account-wide names: scoped to their parent (a stage of one API, an inline policy of one role) or
 * not a resource name at all (the metric an alarm watches).
 */
const NOT_PHYSICAL_NAMES = new Set(['StageName', 'PolicyName', 'MetricName']);

/** Every account-wide name a stage's templates set: resource *Name properties, export names, stack names. */
function physicalNames(relay: SynthesizedRelay): string[] {
  const names = [relay.stateful.stackName, relay.api.stackName];
  for (const template of templates(relay)) {
    for (const resource of resources(template)) {
      for (const [key, value] of Object.entries(resource.Properties ?? {})) {
        // A reference (FunctionName: Ref …) names another resource of the same stack: not a name itself.
        if (!/Name$/.test(key) || NOT_PHYSICAL_NAMES.has(key) || typeof value !== 'string') continue;
        names.push(`${resource.Type} ${key}=${value}`);
      }
    }
    const outputs = (template.toJSON().Outputs ?? {}) as Record<string, { Export?: { Name: unknown } }>;
    for (const output of Object.values(outputs)) {
      if (output.Export) names.push(`export ${cfnText(output.Export.Name)}`);
    }
  }
  return names;
}

describe('stages side by side', () => {
  it('share no physical name: stacks, alarms, dashboard, API, exports', () => {
    const dev = physicalNames(relays.dev);
    const prod = physicalNames(relays.prod);
    // The names that are set are really found (the comparison is not over empty lists).
    expect(dev).toEqual(
      expect.arrayContaining([
        'WebhookRelay-dev-Stateful',
        'AWS::CloudWatch::Dashboard DashboardName=WebhookRelay-dev',
        'AWS::CloudWatch::Alarm AlarmName=WebhookRelay-dev-DeliveryAuthFailure',
        'AWS::ApiGatewayV2::Api Name=webhook-relay-dev',
        'AWS::SNS::Topic DisplayName=Webhook relay alarms (dev)',
      ]),
    );
    expect(dev.filter((name) => name.startsWith('export '))).not.toEqual([]);
    expect(dev.filter((name) => prod.includes(name))).toEqual([]);
  });

  it('leave every other nameable resource to CloudFormation, which names it after its stack', () => {
    // Queues, table, topic, key, log groups, functions and roles: no fixed name that could collide.
    const nameKeys: Record<string, string> = {
      'AWS::SQS::Queue': 'QueueName',
      'AWS::DynamoDB::Table': 'TableName',
      'AWS::SNS::Topic': 'TopicName',
      'AWS::Logs::LogGroup': 'LogGroupName',
      'AWS::Lambda::Function': 'FunctionName',
      'AWS::IAM::Role': 'RoleName',
      'AWS::KMS::Alias': 'AliasName',
      'AWS::SecretsManager::Secret': 'Name',
    };
    for (const stage of STAGES) {
      for (const template of templates(relays[stage])) {
        for (const resource of resources(template)) {
          const key = nameKeys[resource.Type];
          if (key) expect(resource.Properties?.[key], `${resource.Type} ${key}`).toBeUndefined();
        }
      }
    }
  });

  it('read only their own party secrets and import only from their own stateful stack', () => {
    for (const stage of STAGES) {
      const text = JSON.stringify(relays[stage].apiTemplate.toJSON());
      const secretGrants = [...text.matchAll(/:secret:([^"]*)"/g)].map((match) => match[1]);
      expect(secretGrants).toEqual([`webhook-relay/${stage}/*`, `webhook-relay/${stage}/*`]);
      const imports = [...text.matchAll(/"Fn::ImportValue":"([^"]+)"/g)].map((match) => match[1] ?? '');
      expect(imports.length).toBeGreaterThan(0);
      for (const name of imports) expect(name.startsWith(`WebhookRelay-${stage}-Stateful:`)).toBe(true);
    }
  });

  it("have alarms and dashboard graphs that match only their own stage's series", () => {
    for (const stage of STAGES) {
      const own = [relayServiceName(stage, 'ingress'), relayServiceName(stage, 'worker')];
      const api = relays[stage].apiTemplate;
      const functionServices = resources(api)
        .filter((resource) => resource.Type === 'AWS::Lambda::Function')
        .map((fn) => fn.Properties?.Environment as { Variables: Record<string, string> } | undefined)
        .map((environment) => environment?.Variables.POWERTOOLS_SERVICE_NAME)
        .sort();
      expect(functionServices).toEqual(own.sort());

      const customAlarms = resources(api)
        .filter((resource) => resource.Type === 'AWS::CloudWatch::Alarm')
        .map((alarm) => alarm.Properties ?? {})
        .filter((alarm) => alarm.Namespace === METRICS_NAMESPACE);
      expect(customAlarms.length).toBeGreaterThan(0);
      for (const alarm of customAlarms) {
        const dimensions = alarm.Dimensions as { Name: string; Value: string }[];
        expect(dimensions.find((d) => d.Name === 'service')?.Value).toSatisfy((value: string) =>
          own.includes(value),
        );
      }

      const [dashboard] = resources(api).filter((resource) => resource.Type === 'AWS::CloudWatch::Dashboard');
      const body = cfnText(dashboard?.Properties?.DashboardBody);
      const searches = [...body.matchAll(/SEARCH\('([^']*)'/g)].map((match) => match[1] ?? '');
      expect(searches.length).toBeGreaterThan(10);
      for (const search of searches) {
        const services = [...search.matchAll(/service=\\"([^\\"]+)\\"/g)].map((match) => match[1]);
        expect(services.sort(), search).toEqual([...own].sort());
      }
      const other = STAGES.filter((candidate) => candidate !== stage).flatMap((candidate) => [
        relayServiceName(candidate, 'ingress'),
        relayServiceName(candidate, 'worker'),
      ]);
      for (const name of other) expect(JSON.stringify(api.toJSON())).not.toContain(name);
    }
  });
});
