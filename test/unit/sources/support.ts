import { fileURLToPath } from 'node:url';
import type { PartyConfig } from '../../../shared/config/relay-config';
import type { PartySecret } from '../../../shared/config/secret-value';
import { silentLogger } from '../../../shared/observability/logger';
import type { SourceContext } from '../../../shared/sources/source';

export const FIXTURES_DIR = fileURLToPath(new URL('../../fixtures/sources/', import.meta.url));

export const TEST_SECRET: PartySecret = { workspace365ApiKey: 'w365-key', webhookSecrets: ['whsec_test'] };

export function contextFor(party: PartyConfig, overrides: Partial<SourceContext> = {}): SourceContext {
  return {
    party,
    secret: TEST_SECRET,
    headers: {},
    now: new Date('2026-03-02T15:00:00Z'),
    logger: silentLogger,
    ...overrides,
  };
}

/** A relay envelope around `data`. */
export const envelope = (event: string, data: unknown, id = 'evt-1') => ({
  id,
  event,
  occurredAt: '2026-03-02T09:00:00Z',
  data,
});
