import { type App, CfnOutput, Duration, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { partySecretPrefix, relayServiceName, SECRET_NAME_PREFIX_ENV } from '../shared/config/stage-names';
import { RelayPoller } from './constructs/relay-poller';
import type { RelayAppSettings } from './settings';
import { RelayApiStack } from './stacks/relay-api-stack';
import { RelayStatefulStack } from './stacks/relay-stateful-stack';

/** The worker timeout both stacks agree on (queue visibility = 6 ×). */
const WORKER_TIMEOUT_SECONDS = 60;

export interface RelayStacks {
  readonly stateful: RelayStatefulStack;
  readonly api: RelayApiStack;
  /** In the API stack, when a party is polled (docs/polling.md). */
  readonly poller: RelayPoller | undefined;
}

/**
 * Adds the relay's two stacks, split by lifecycle: `WebhookRelay-<stage>-Stateful` (queues, table,
 * alarm topic; retained data) and `WebhookRelay-<stage>-Api` (API, functions, dashboard,
 * alarms; redeployed with every code change). Both are environment-agnostic: no lookups at synth time.
 */
export function addRelayStacks(app: App, settings: RelayAppSettings): RelayStacks {
  const prefix = `WebhookRelay-${settings.stage}`;
  const isProduction = settings.stage === 'prod';
  const workerTimeout = Duration.seconds(WORKER_TIMEOUT_SECONDS);

  const stateful = new RelayStatefulStack(app, `${prefix}-Stateful`, {
    stackName: `${prefix}-Stateful`,
    description: 'Webhook relay for Workspace 365: queues, idempotency table, alarm topic',
    terminationProtection: isProduction,
    deletionProtection: isProduction,
    config: settings.config,
    stage: settings.stage,
    workerTimeout,
    ...(settings.alarmEmail ? { alarmEmail: settings.alarmEmail } : {}),
  });
  const api = new RelayApiStack(app, `${prefix}-Api`, {
    stackName: `${prefix}-Api`,
    description: 'Webhook relay for Workspace 365: HTTP API, ingress and worker functions, dashboard, alarms',
    stage: settings.stage,
    configFile: settings.configFile,
    queue: stateful.queue,
    queueVisibilityTimeout: stateful.queueVisibilityTimeout,
    deadLetterQueue: stateful.deadLetterQueue,
    idempotencyTable: stateful.idempotencyTable,
    alarmTopic: stateful.alarmTopic,
    maxConcurrency: settings.maxConcurrency,
    workerTimeout,
  });
  const polled = settings.config.parties.filter((party) => party.poll !== undefined);
  const poller =
    stateful.checkpointTable && polled.length > 0
      ? new RelayPoller(api, 'Poller', {
          configFile: settings.configFile,
          serviceName: relayServiceName(settings.stage, 'poller'),
          secretNames: polled.map((party) => party.secretName),
          secretNamePrefix: partySecretPrefix(settings.stage),
          environment: { [SECRET_NAME_PREFIX_ENV]: partySecretPrefix(settings.stage) },
          checkpointTable: stateful.checkpointTable,
          idempotencyTable: stateful.idempotencyTable,
          queue: stateful.queue,
          alarmTopic: stateful.alarmTopic,
          dashboard: api.dashboard.dashboard,
          alarmNamePrefix: prefix,
        })
      : undefined;
  if (poller) new CfnOutput(api, 'PollerLogGroup', { value: poller.fn.logGroup.logGroupName });
  Tags.of(app).add('app', 'webhook-relay');
  Tags.of(app).add('stage', settings.stage);
  return { stateful, api, poller };
}

/** cdk-nag's AWS Solutions pack runs when the app synthesizes; unacknowledged findings fail `cdk synth`. */
export function addNagChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
}
