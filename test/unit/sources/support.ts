import { fileURLToPath } from 'node:url';
import { loadRelayConfig } from '../../../shared/config/load-config';
import type { PartyConfig, SourceName } from '../../../shared/config/relay-config';
import type { PartySecret } from '../../../shared/config/secret-value';
import { type RelayLogger, silentLogger } from '../../../shared/observability/logger';
import type { SourceContext } from '../../../shared/sources/source';

export const DEMO_CONFIG_FILE = fileURLToPath(new URL('../../../relay.config.example.json', import.meta.url));
export const FIXTURES_DIR = fileURLToPath(new URL('../../fixtures/sources/', import.meta.url));

/** The demo party of a source, from the committed relay.config.example.json (options validated as at start-up). */
export function demoParty(source: SourceName): PartyConfig {
  const party = loadRelayConfig(DEMO_CONFIG_FILE).parties.find((candidate) => candidate.source === source);
  if (party === undefined) throw new Error(`the demo config has no ${source} party`);
  return party;
}

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

/** A logger that keeps every call's arguments, to check what reaches the logs. */
export function recordingLogger(): { lines: unknown[][]; logger: RelayLogger } {
  const lines: unknown[][] = [];
  const record = (...args: unknown[]) => {
    lines.push(args);
  };
  const logger: RelayLogger = {
    debug: record,
    info: record,
    warn: record,
    error: record,
    appendKeys: () => {},
    removeKeys: () => {},
  };
  return { lines, logger };
}
