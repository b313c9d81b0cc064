import { readFileSync } from 'node:fs';
import { loadRelayConfig } from '../../shared/config/load-config';
import type { PartyConfig, RelayConfig } from '../../shared/config/relay-config';
import type { PartySecret } from '../../shared/config/secret-value';

/** The committed demo config and secrets: the same files `npm start` uses with no set-up. */
export function demoConfig(): RelayConfig {
  return loadRelayConfig('relay.config.example.json');
}

export function demoSecrets(): Record<string, PartySecret> {
  return JSON.parse(readFileSync('secrets.local.example.json', 'utf8')) as Record<string, PartySecret>;
}

export function demoParty(config: RelayConfig, id: string): PartyConfig {
  const party = config.parties.find((candidate) => candidate.id === id);
  if (!party) throw new Error(`demo config has no party ${id}`);
  return party;
}
