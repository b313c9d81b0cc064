import { createVerifier, type WebhookVerifier } from '../auth';
import type { PartyConfig, RelayConfig } from '../config/relay-config';
import { createSources, type SourceEngines } from '../sources';
import type { WebhookSource } from '../sources/source';

export type RegisteredParty = {
  config: PartyConfig;
  verifier: WebhookVerifier;
  source: WebhookSource;
};

/** Parties by id, with their verifier and source built once at start-up (templates compiled there). */
export class PartyRegistry {
  readonly #parties = new Map<string, RegisteredParty>();

  /** `engines`: what `loadSourceEngines(config.parties)` loaded (JSONata when a party is a template party). */
  constructor(config: RelayConfig, engines: SourceEngines = {}) {
    const sources = createSources(config.parties, engines);
    for (const party of config.parties) {
      const source = sources.get(party.id);
      if (source)
        this.#parties.set(party.id, { config: party, verifier: createVerifier(party.auth), source });
    }
  }

  get(partyId: string): RegisteredParty | undefined {
    return this.#parties.get(partyId);
  }

  get ids(): string[] {
    return [...this.#parties.keys()];
  }
}
