import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { App, type Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { RelayFunction } from '../../infra/constructs/relay-function';
import { REPO_ROOT } from '../../infra/paths';
import { addRelayStacks } from '../../infra/relay-app';
import { readRelayAppSettings } from '../../infra/settings';
import { DEMO_CONFIG_FILE } from '../support/demo';
import { reply, runHost } from './ipc';

/** A function as CDK synthesized it: the asset directory Lambda would unpack, and its environment. */
export type SynthesizedFunction = {
  dir: string;
  environment: Record<string, string>;
  memorySize: number;
  /** e.g. `nodejs24.x` */
  runtime: string;
};

type FunctionResource = {
  Metadata?: Record<string, string>;
  Properties: {
    MemorySize?: number;
    Runtime?: string;
    Environment?: { Variables?: Record<string, unknown> };
  };
};

/** Stand-ins for values that exist only after deployment (imports from the stateful stack). */
const DEPLOY_TIME_VALUES: Record<string, string> = {
  QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/webhook-relay-bench-queue',
  DLQ_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/webhook-relay-bench-dlq',
  IDEMPOTENCY_TABLE_NAME: 'webhook-relay-bench-idempotency',
};

/**
 * `cdk synth` of the real app (infra/relay-app.ts, cdk.json context) for the demo config, bundling
 * included: the bundles measured are the very files a deployment uploads, built by the construct's own
 * esbuild options. Values known only after deployment (queue URLs, table name) become stand-ins.
 */
runHost(async () => {
  const outdir = process.argv[2];
  if (!outdir) throw new Error('usage: synth.ts <outdir>');
  const cdkJson = JSON.parse(readFileSync(resolve(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  const app = new App({
    outdir,
    context: {
      ...cdkJson.context,
      stage: 'bench',
      configFile: DEMO_CONFIG_FILE,
      // A throwaway stage measured on the demo parties: the deploy guard would refuse them otherwise.
      allowDemoConfig: true,
      'aws:cdk:enable-asset-metadata': true,
    },
  });
  const { api } = addRelayStacks(app, readRelayAppSettings(app.node, {}, REPO_ROOT));
  app.synth();
  const template = JSON.parse(readFileSync(join(outdir, api.templateFile), 'utf8')) as {
    Resources: Record<string, FunctionResource>;
  };
  reply({
    ingress: describe(api, api.ingress, template, outdir),
    worker: describe(api, api.worker, template, outdir),
  });
});

function describe(
  stack: Stack,
  relayFunction: RelayFunction,
  template: { Resources: Record<string, FunctionResource> },
  outdir: string,
): SynthesizedFunction {
  const logicalId = stack.getLogicalId(relayFunction.function.node.defaultChild as CfnFunction);
  const resource = template.Resources[logicalId];
  const assetPath = resource?.Metadata?.['aws:asset:path'];
  if (!resource || !assetPath) throw new Error(`no bundled asset for ${logicalId}`);
  const environment = Object.fromEntries(
    Object.entries(resource.Properties.Environment?.Variables ?? {}).map(([name, value]) => [
      name,
      typeof value === 'string' ? value : (DEPLOY_TIME_VALUES[name] ?? 'deploy-time-value'),
    ]),
  );
  return {
    dir: join(outdir, assetPath),
    environment,
    memorySize: resource.Properties.MemorySize ?? 128,
    runtime: resource.Properties.Runtime ?? 'unknown',
  };
}
