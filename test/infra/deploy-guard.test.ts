import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/paths';
import {
  describeSettings,
  LOCAL_STAGES,
  RelaySettingsError,
  readRelayAppSettings,
} from '../../infra/settings';
import { FIXTURE_CONFIG, SYNTH_TIMEOUT_MS } from './support/relay-app';

const DEMO_CONFIG = resolve(REPO_ROOT, 'relay.config.example.json');
const context = (values: Record<string, unknown>) => ({ tryGetContext: (key: string) => values[key] });
const scratch = mkdtempSync(join(tmpdir(), 'relay-guard-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The fixture config (https targets) with one party's target replaced. */
function configWithTarget(baseUrl: string): string {
  const config = JSON.parse(readFileSync(FIXTURE_CONFIG, 'utf8'));
  config.parties[1].target.baseUrl = baseUrl;
  const file = join(scratch, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(config));
  return file;
}

describe('deploy guard: the demo config and local targets stay out of real stages', () => {
  it.each(['dev', 'prod'])('refuses the committed demo config for stage %s, saying what to do', (stage) => {
    let message = '';
    try {
      readRelayAppSettings(context({ stage, configFile: DEMO_CONFIG }), {}, REPO_ROOT);
    } catch (error) {
      expect(error).toBeInstanceOf(RelaySettingsError);
      message = (error as Error).message;
    }
    expect(message).toContain(`refusing to synthesize stage "${stage}" with ${DEMO_CONFIG}`);
    expect(message).toContain('it is the committed demo config');
    expect(message).toContain('party "workdrive-demo" targets http://127.0.0.1:4365');
    expect(message).toContain('-c configFile=');
    expect(message).toContain('-c allowDemoConfig=true');
  });

  it('refuses the demo config when it is picked by default (no relay.config.json, no -c configFile)', () => {
    const dir = mkdtempSync(join(scratch, 'checkout-'));
    writeFileSync(join(dir, 'relay.config.example.json'), readFileSync(DEMO_CONFIG));
    expect(() => readRelayAppSettings(context({ stage: 'prod' }), {}, dir)).toThrow(/committed demo config/);
  });

  it.each([
    ['http://127.0.0.1:4365', 'plain http'],
    ['https://localhost:8443', 'loopback https'],
    ['https://127.0.0.2', 'another loopback address'],
  ])('refuses an own config with a %s target (%s) for a real stage', (baseUrl) => {
    const file = configWithTarget(baseUrl);
    expect(() => readRelayAppSettings(context({ stage: 'prod', configFile: file }), {}, REPO_ROOT)).toThrow(
      `party "acme-huddle" targets ${baseUrl}`,
    );
  });

  it('accepts them for a throwaway stage with -c allowDemoConfig=true (string from -c, boolean from cdk.json)', () => {
    for (const allowDemoConfig of ['true', true]) {
      const settings = readRelayAppSettings(
        context({ stage: 'try-1', configFile: DEMO_CONFIG, allowDemoConfig }),
        {},
        REPO_ROOT,
      );
      expect(settings.allowDemoConfig).toBe(true);
      expect(settings.config.parties.map((party) => party.id)).toContain('workdrive-demo');
    }
  });

  it.each(LOCAL_STAGES)('accepts them for the local stage %s without the flag', (stage) => {
    expect(LOCAL_STAGES).toEqual(['local', 'demo']);
    const settings = readRelayAppSettings(context({ stage, configFile: DEMO_CONFIG }), {}, REPO_ROOT);
    expect(settings.stage).toBe(stage);
  });

  it('accepts an own config with https targets for a real stage', () => {
    const settings = readRelayAppSettings(
      context({ stage: 'prod', configFile: FIXTURE_CONFIG }),
      {},
      REPO_ROOT,
    );
    expect(settings.allowDemoConfig).toBe(false);
  });

  it('describes the config file and every party: id, source, scheme and target host', () => {
    const settings = readRelayAppSettings(
      context({ stage: 'prod', configFile: FIXTURE_CONFIG }),
      {},
      REPO_ROOT,
    );
    expect(describeSettings(settings)).toEqual([
      `webhook-relay: stage "prod", config ${FIXTURE_CONFIG} (2 parties)`,
      '  acme-w365  source=workspace365  scheme=token  target=acme.workspace365.net',
      '  acme-huddle  source=huddle  scheme=hmac-sha256  target=acme.workspace365.net',
    ]);
  });
});

describe('deploy guard: the CDK app as `cdk synth` runs it', () => {
  /** Runs infra/app.ts the way the CDK CLI does: context in CDK_CONTEXT_JSON, output to CDK_OUTDIR. */
  function runApp(extraContext: Record<string, unknown>) {
    const outdir = mkdtempSync(join(scratch, 'cdk-out-'));
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: SYNTH_TIMEOUT_MS,
      env: {
        PATH: process.env.PATH,
        CDK_OUTDIR: outdir,
        // No bundling (an empty list of bundling stacks): the guard and the printout are what is tested.
        CDK_CONTEXT_JSON: JSON.stringify({ 'aws:cdk:bundling-stacks': [], ...extraContext }),
      },
    });
    return { ...run, outdir };
  }

  // Only the refusal runs as a process: it stops before any stack is built. The accepted path is the
  // full synth (tens of seconds); the settings tests above cover it, and `npm run synth` runs it.
  it('exits 1 with the message, not a stack trace, for stage prod on the demo config', {
    timeout: SYNTH_TIMEOUT_MS,
  }, () => {
    const refused = runApp({ stage: 'prod', configFile: DEMO_CONFIG });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`refusing to synthesize stage "prod" with ${DEMO_CONFIG}`);
    expect(refused.stderr).toContain('-c allowDemoConfig=true');
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(refused.outdir)).toEqual([]); // nothing synthesized
  });
});
