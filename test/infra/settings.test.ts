import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/paths';
import { RelaySettingsError, readRelayAppSettings } from '../../infra/settings';
import { ConfigError } from '../../shared/config/load-config';
import { FIXTURE_CONFIG } from './support/relay-app';

const context = (values: Record<string, unknown>) => ({ tryGetContext: (key: string) => values[key] });

describe('readRelayAppSettings', () => {
  it('defaults to stage dev, maxConcurrency 5, no alarm e-mail, and the config the runtime would pick', () => {
    // The pick may be the committed demo config, which stage dev takes only with the flag.
    const settings = readRelayAppSettings(context({ allowDemoConfig: 'true' }), {}, REPO_ROOT);
    expect(settings.stage).toBe('dev');
    expect(settings.maxConcurrency).toBe(5);
    expect(settings.alarmEmail).toBeUndefined();
    expect([
      resolve(REPO_ROOT, 'relay.config.json'),
      resolve(REPO_ROOT, 'relay.config.example.json'),
    ]).toContain(settings.configFile);
    expect(settings.config.parties.length).toBeGreaterThan(0);
  });

  it('takes the config file from RELAY_CONFIG, and from -c configFile over RELAY_CONFIG', () => {
    const fromEnv = readRelayAppSettings(context({}), { RELAY_CONFIG: FIXTURE_CONFIG }, REPO_ROOT);
    expect(fromEnv.configFile).toBe(FIXTURE_CONFIG);
    const fromContext = readRelayAppSettings(
      context({ configFile: 'test/infra/fixtures/relay.config.json' }),
      { RELAY_CONFIG: 'relay.config.example.json' },
      REPO_ROOT,
    );
    expect(fromContext.configFile).toBe(FIXTURE_CONFIG);
    expect(fromContext.config.retry.maxReceives).toBe(7);
  });

  it('reads -c values given as strings', () => {
    const settings = readRelayAppSettings(
      context({
        stage: 'prod',
        maxConcurrency: '20',
        alarmEmail: 'ops@example.com',
        configFile: FIXTURE_CONFIG,
      }),
      {},
      REPO_ROOT,
    );
    expect(settings).toMatchObject({ stage: 'prod', maxConcurrency: 20, alarmEmail: 'ops@example.com' });
  });

  it.each([
    [{ stage: 'dev env' }, /stage/],
    [{ maxConcurrency: '1' }, /maxConcurrency/],
    [{ maxConcurrency: 'many' }, /maxConcurrency/],
    [{ alarmEmail: 'ops' }, /alarmEmail/],
  ])('refuses %o', (values, message) => {
    expect(() =>
      readRelayAppSettings(context({ configFile: FIXTURE_CONFIG, ...values }), {}, REPO_ROOT),
    ).toThrow(
      expect.objectContaining({ name: RelaySettingsError.name, message: expect.stringMatching(message) }),
    );
  });

  it('fails with the config problem when the config file is missing or invalid', () => {
    expect(() => readRelayAppSettings(context({ configFile: 'does-not-exist.json' }), {}, REPO_ROOT)).toThrow(
      ConfigError,
    );
  });
});

describe('readRelayAppSettings: templates', () => {
  it('fails the synth when a template party has an expression that does not compile', () => {
    const dir = mkdtempSync(join(tmpdir(), 'relay-infra-'));
    const file = join(dir, 'relay.config.json');
    const config = JSON.parse(readFileSync('relay.config.example.json', 'utf8'));
    const template = config.parties.find((party: { source: string }) => party.source === 'template');
    template.options.filter = "status = 'won"; // unterminated string
    writeFileSync(file, JSON.stringify(config));
    expect(() => readRelayAppSettings(context({ stage: 'local' }), { RELAY_CONFIG: file }, dir)).toThrow(
      /options\.filter is not a valid JSONata expression/,
    );
  });

  it('reports every broken expression of every template party at once, by party and option', () => {
    const dir = mkdtempSync(join(tmpdir(), 'relay-infra-'));
    const file = join(dir, 'relay.config.json');
    const config = JSON.parse(readFileSync('relay.config.example.json', 'utf8'));
    const template = config.parties.find((party: { source: string }) => party.source === 'template');
    template.options.filter = "status = 'won";
    template.options.eventId = 'deal.ids[0';
    config.parties.push({ ...template, id: 'crm-two', options: { ...template.options, payload: '{ "a": ' } });
    writeFileSync(file, JSON.stringify(config));
    let message = '';
    try {
      readRelayAppSettings({ tryGetContext: () => undefined }, { RELAY_CONFIG: file }, dir);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(
      `parties[${template.id}].options.eventId is not a valid JSONata expression: Expected "]"`,
    );
    expect(message).toContain(`parties[${template.id}].options.filter is not a valid JSONata expression`);
    expect(message).toContain('parties[crm-two].options.eventId is not a valid JSONata expression');
    expect(message).toContain('parties[crm-two].options.payload is not a valid JSONata expression');
  });
});
