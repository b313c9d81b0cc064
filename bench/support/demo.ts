import { DEMO_CONFIG_FILE, DEMO_SECRETS_FILE, demoParty } from '../../devkit/fakes/demo';
import type { PartyConfig, RelayConfig } from '../../shared/config/relay-config';

/**
 * The bench always runs on the committed demo config and secrets, never on a local relay.config.json, so
 * figures from different machines compare.
 */
export { DEMO_CONFIG_FILE, DEMO_SECRETS_FILE, demoConfig, demoSecrets } from '../../devkit/fakes/demo';

/** The realistic mix: one party per signing scheme and source family (all loopback targets). */
export const BENCH_PARTIES = ['workdrive-demo', 'huddle-demo', 'crm-demo'] as const;

export function benchParties(config: RelayConfig): PartyConfig[] {
  return BENCH_PARTIES.map((id) => demoParty({ id }, config));
}

/** Environment for child processes: the demo files, whatever the caller's shell has set. */
export function demoEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    RELAY_CONFIG: DEMO_CONFIG_FILE,
    RELAY_SECRETS: DEMO_SECRETS_FILE,
    // The level a deployment runs at: logging is part of the relay's cost.
    POWERTOOLS_LOG_LEVEL: 'INFO',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...extra,
  };
}
