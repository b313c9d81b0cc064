import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { REPO_ROOT } from '../../../infra/paths';
import { addNagChecks, addRelayStacks, type RelayStacks } from '../../../infra/relay-app';
import { type RelayAppSettings, readRelayAppSettings } from '../../../infra/settings';

/** Two parties, `retry.maxReceives` 7 (not the default 10, so the redrive policy visibly comes from here). */
export const FIXTURE_CONFIG = resolve(REPO_ROOT, 'test/infra/fixtures/relay.config.json');

/** A synth without bundling takes a few seconds; leave room for a busy machine. */
export const SYNTH_TIMEOUT_MS = 60_000;

export type SynthOptions = {
  /** Run esbuild for the functions. Off by default: the template assertions do not need real bundles. */
  bundle?: boolean;
  outdir?: string;
  /** Extra context, as `-c key=value` would give it. */
  context?: Record<string, unknown>;
  /** Register the cdk-nag plugin like infra/app.ts does (synthesis then fails on unacknowledged findings). */
  nag?: boolean;
};

export type SynthesizedRelay = RelayStacks & {
  app: App;
  settings: RelayAppSettings;
  statefulTemplate: Template;
  apiTemplate: Template;
};

/** Builds the app exactly as infra/app.ts does (cdk.json context included), for the test config. */
export function synthRelay(options: SynthOptions = {}): SynthesizedRelay {
  const cdkJson = JSON.parse(readFileSync(resolve(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  const app = new App({
    ...(options.outdir ? { outdir: options.outdir } : {}),
    context: {
      ...cdkJson.context,
      stage: 'test',
      configFile: FIXTURE_CONFIG,
      // An empty list skips bundling for every stack (the assets get a placeholder).
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...options.context,
    },
  });
  const settings = readRelayAppSettings(app.node, {}, REPO_ROOT);
  const stacks = addRelayStacks(app, settings);
  if (options.nag) addNagChecks(app);
  return {
    app,
    settings,
    ...stacks,
    statefulTemplate: Template.fromStack(stacks.stateful),
    apiTemplate: Template.fromStack(stacks.api),
  };
}

type Json = unknown;

/**
 * Renders a CloudFormation value as text: `Ref`s and pseudo parameters as `<Name>`, `Fn::Join` joined,
 * anything else as JSON. Good enough to compare ARNs.
 */
export function cfnText(value: Json): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const record = value as Record<string, Json>;
    if ('Ref' in record) return `<${String(record.Ref)}>`;
    if ('Fn::Join' in record) {
      const [separator, parts] = record['Fn::Join'] as [string, Json[]];
      return parts.map(cfnText).join(separator);
    }
    if ('Fn::GetAtt' in record) return `<${(record['Fn::GetAtt'] as string[]).join('.')}>`;
  }
  return JSON.stringify(value);
}

/** Follows a `Fn::ImportValue` to the exporting output's value in the other stack's template. */
export function resolveImport(exporting: Template, value: Json): Json {
  const name = (value as { 'Fn::ImportValue'?: string })['Fn::ImportValue'];
  if (name === undefined) throw new Error(`not an import: ${JSON.stringify(value)}`);
  const outputs = exporting.toJSON().Outputs as Record<string, { Value: Json; Export?: { Name: string } }>;
  const output = Object.values(outputs).find((candidate) => candidate.Export?.Name === name);
  if (!output) throw new Error(`no output exports ${name}`);
  return output.Value;
}

export type PolicyStatementJson = {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: Json | Json[];
};

export const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** The statements of the inline policy attached to the role whose logical id starts with `rolePrefix`. */
export function roleStatements(template: Template, rolePrefix: string): PolicyStatementJson[] {
  const policies = template.findResources('AWS::IAM::Policy') as Record<
    string,
    { Properties: { Roles: { Ref: string }[]; PolicyDocument: { Statement: PolicyStatementJson[] } } }
  >;
  return Object.values(policies)
    .filter((policy) => policy.Properties.Roles.some((role) => role.Ref.startsWith(rolePrefix)))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}
