import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadRelayConfig } from '../../shared/config/load-config';
import type { PartyConfig, RelayConfig } from '../../shared/config/relay-config';
import type { PartySecret } from '../../shared/config/secret-value';

/**
 * The bench always runs on the committed demo config and secrets, never on a local relay.config.json, so
 * figures from different machines compare.
 */
export const DEMO_CONFIG_FILE = resolve('relay.config.example.json');
export const DEMO_SECRETS_FILE = resolve('secrets.local.example.json');

/** The realistic mix: one party per signing scheme and source family (all loopback targets). */
export const BENCH_PARTIES = ['workdrive-demo', 'huddle-demo', 'crm-demo'] as const;

export function demoConfig(): RelayConfig {
  return loadRelayConfig(DEMO_CONFIG_FILE);
}

export function demoSecrets(): Record<string, PartySecret> {
  return JSON.parse(readFileSync(DEMO_SECRETS_FILE, 'utf8')) as Record<string, PartySecret>;
}

export function benchParties(config: RelayConfig): PartyConfig[] {
  return BENCH_PARTIES.map((id) => {
    const party = config.parties.find((candidate) => candidate.id === id);
    if (!party) throw new Error(`the demo config has no party ${id}`);
    return party;
  });
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
