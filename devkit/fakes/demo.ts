import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadRelayConfig } from '../../shared/config/load-config';
import type { PartyConfig, PartyOf, RelayConfig, SourceName } from '../../shared/config/relay-config';
import type { PartySecret } from '../../shared/config/secret-value';

/** The committed demo config and secrets: the same files `npm start` uses with no set-up. */
export const DEMO_CONFIG_FILE = fileURLToPath(new URL('../../relay.config.example.json', import.meta.url));
export const DEMO_SECRETS_FILE = fileURLToPath(new URL('../../secrets.local.example.json', import.meta.url));

export function demoConfig(): RelayConfig {
  return loadRelayConfig(DEMO_CONFIG_FILE);
}

export function demoSecrets(): Record<string, PartySecret> {
  return JSON.parse(readFileSync(DEMO_SECRETS_FILE, 'utf8')) as Record<string, PartySecret>;
}

/** A demo party by id, or the first party of a source (options validated as at start-up). */
export function demoParty<S extends SourceName>(which: { source: S }, config?: RelayConfig): PartyOf<S>;
export function demoParty(which: { id: string }, config?: RelayConfig): PartyConfig;
export function demoParty(
  which: { id: string } | { source: SourceName },
  config = demoConfig(),
): PartyConfig {
  const party = config.parties.find((candidate) =>
    'id' in which ? candidate.id === which.id : candidate.source === which.source,
  );
  if (!party) throw new Error(`the demo config has no party ${JSON.stringify(which)}`);
  return party;
}
