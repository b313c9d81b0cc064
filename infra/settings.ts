import { resolve } from 'node:path';
import type { Node } from 'constructs';
import jsonata from 'jsonata';
import { EXAMPLE_CONFIG_FILE, loadRelayConfig, resolveConfigPath } from '../shared/config/load-config';
import type { RelayConfig } from '../shared/config/relay-config';
import { isLoopbackHost } from '../shared/config/target-url';
import { createSources } from '../shared/sources';

/**
 * Stages meant for a laptop or a throwaway demo: they may be synthesized with the committed demo config
 * and with http/loopback targets. Every other stage refuses both unless `-c allowDemoConfig=true`.
 */
export const LOCAL_STAGES: readonly string[] = ['local', 'demo'];

/** What one `cdk synth`/`cdk deploy` is about, from CDK context (`-c key=value`) and the environment. */
export interface RelayAppSettings {
  /** `-c stage=…`; part of every stack and resource name. @default 'dev' */
  readonly stage: string;
  /** Absolute path of the party config: `-c configFile=…`, else `RELAY_CONFIG`, else relay.config.json, else the example. */
  readonly configFile: string;
  readonly config: RelayConfig;
  /** `-c alarmEmail=…`: subscribed to the alarm topic. @default - none */
  readonly alarmEmail?: string;
  /** `-c maxConcurrency=…`: concurrent worker invocations. @default 5 */
  readonly maxConcurrency: number;
  /** `-c allowDemoConfig=true`: the demo config or http/loopback targets for a non-local stage. @default false */
  readonly allowDemoConfig: boolean;
}

export class RelaySettingsError extends Error {
  override readonly name = 'RelaySettingsError';
}

const STAGE = /^[A-Za-z][A-Za-z0-9-]{0,31}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Reads and checks the app's context; the party config is validated with the same schema the functions use. */
export function readRelayAppSettings(
  node: Pick<Node, 'tryGetContext'>,
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): RelayAppSettings {
  const stage = contextString(node, 'stage') ?? 'dev';
  if (!STAGE.test(stage)) {
    throw new RelaySettingsError(
      `stage "${stage}" must start with a letter and hold up to 32 letters, digits or -`,
    );
  }
  const configFileContext = contextString(node, 'configFile');
  const configFile = resolveConfigPath(
    configFileContext ? { ...env, RELAY_CONFIG: configFileContext } : env,
    cwd,
  );
  const alarmEmail = contextString(node, 'alarmEmail');
  if (alarmEmail !== undefined && !EMAIL.test(alarmEmail)) {
    throw new RelaySettingsError(`alarmEmail "${alarmEmail}" is not an e-mail address`);
  }
  const maxConcurrencyText = contextString(node, 'maxConcurrency');
  const maxConcurrency = maxConcurrencyText === undefined ? 5 : Number(maxConcurrencyText);
  if (!Number.isInteger(maxConcurrency) || maxConcurrency < 2 || maxConcurrency > 1000) {
    throw new RelaySettingsError(
      `maxConcurrency must be an integer from 2 to 1000, got "${maxConcurrencyText}"`,
    );
  }
  const allowDemoConfig = contextString(node, 'allowDemoConfig') === 'true';
  const config = loadRelayConfig(configFile);
  // Build every party's source as the functions will at cold start, so a template that does not compile
  // fails the synth instead of the first webhook.
  createSources(config.parties, { jsonata });
  if (!LOCAL_STAGES.includes(stage) && !allowDemoConfig) {
    const problems = demoConfigProblems(configFile, config, cwd);
    if (problems.length > 0) {
      throw new RelaySettingsError(
        `refusing to synthesize stage "${stage}" with ${configFile}:\n${problems.map((p) => `  - ${p}`).join('\n')}\n` +
          'Write relay.config.json with your real parties (npm run relay -- party add …) or point to one with ' +
          '-c configFile=<file>. For a throwaway stage that may talk to the demo targets, add ' +
          `-c allowDemoConfig=true; the stages ${LOCAL_STAGES.join(' and ')} always allow it.`,
      );
    }
  }
  return {
    stage,
    configFile,
    config,
    maxConcurrency,
    allowDemoConfig,
    ...(alarmEmail === undefined ? {} : { alarmEmail }),
  };
}

/** Why a config must not reach a real stage: it is the committed demo, or a target is plain http or loopback. */
export function demoConfigProblems(configFile: string, config: RelayConfig, cwd: string): string[] {
  const problems: string[] = [];
  if (resolve(configFile) === resolve(cwd, EXAMPLE_CONFIG_FILE)) {
    problems.push(`it is the committed demo config (${EXAMPLE_CONFIG_FILE}), whose parties are demo parties`);
  }
  for (const party of config.parties) {
    const url = new URL(party.target.baseUrl);
    if (url.protocol !== 'https:' || isLoopbackHost(url.hostname)) {
      problems.push(`party "${party.id}" targets ${party.target.baseUrl} (plain http or a loopback host)`);
    }
  }
  return problems;
}

/** What synth prints before it builds anything: the config file, the stage and every party. */
export function describeSettings(settings: RelayAppSettings): string[] {
  const { parties } = settings.config;
  return [
    `webhook-relay: stage "${settings.stage}", config ${settings.configFile} (${parties.length} ${parties.length === 1 ? 'party' : 'parties'})`,
    ...parties.map(
      (party) =>
        `  ${party.id}  source=${party.source}  scheme=${party.auth.scheme}  target=${new URL(party.target.baseUrl).host}`,
    ),
  ];
}

/** Context given with `-c` arrives as a string, from cdk.json or code as whatever JSON type it was. */
function contextString(node: Pick<Node, 'tryGetContext'>, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  return String(value);
}
