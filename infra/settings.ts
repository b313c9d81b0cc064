import type { Node } from 'constructs';
import { loadRelayConfig, resolveConfigPath } from '../shared/config/load-config';
import type { RelayConfig } from '../shared/config/relay-config';
import { createSources } from '../shared/sources';

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
  const config = loadRelayConfig(configFile);
  // Build every party's source as the functions will at cold start, so a template that does not compile
  // fails the synth instead of the first webhook.
  createSources(config.parties);
  return {
    stage,
    configFile,
    config,
    maxConcurrency,
    ...(alarmEmail === undefined ? {} : { alarmEmail }),
  };
}

/** Context given with `-c` arrives as a string, from cdk.json or code as whatever JSON type it was. */
function contextString(node: Pick<Node, 'tryGetContext'>, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  return String(value);
}
