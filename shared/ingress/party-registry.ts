import { createVerifier, type WebhookVerifier } from '../auth';
import type { PartyConfig, RelayConfig } from '../config/relay-config';
import { createSource } from '../sources';
import type { WebhookSource } from '../sources/source';

export type RegisteredParty = {
  config: PartyConfig;
  verifier: WebhookVerifier;
  source: WebhookSource;
};

/** Parties by id, with their verifier and source built once at start-up (templates compiled there). */
export class PartyRegistry {
  readonly #parties = new Map<string, RegisteredParty>();

  constructor(config: RelayConfig) {
    for (const party of config.parties) {
      this.#parties.set(party.id, {
        config: party,
        verifier: createVerifier(party.auth),
        source: createSource(party),
      });
    }
  }

  get(partyId: string): RegisteredParty | undefined {
    return this.#parties.get(partyId);
  }

  get ids(): string[] {
    return [...this.#parties.keys()];
  }
}
