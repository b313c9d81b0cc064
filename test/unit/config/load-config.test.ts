import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  loadRelayConfig,
  parseRelayConfig,
  resolveConfigPath,
} from '../../../shared/config/load-config';

const party = {
  id: 'workdrive-acme',
  source: 'workdrive',
  auth: { scheme: 'standard-webhooks' },
  target: { baseUrl: 'https://acme.workspace365.net', environment: 'acme' },
  secretName: 'webhook-relay/workdrive-acme',
  options: {},
};

function problemsOf(raw: unknown): readonly string[] {
  try {
    parseRelayConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

describe('relay config', () => {
  it('accepts the documented example and fills retry and circuit breaker defaults', () => {
    const config = parseRelayConfig({ parties: [party] });
    expect(config.retry).toEqual({ baseSeconds: 2, capSeconds: 3600, maxReceives: 60, jitter: 'equal' });
    expect(config.circuitBreaker).toEqual({
      enabled: true,
      failureThreshold: 5,
      cooldownSeconds: 60,
      pauseOnRetryAfter: true,
    });
    expect(config.parties[0]?.options).toEqual({ users: {}, groupMap: {} });
  });

  it('loads the committed demo config', () => {
    const config = loadRelayConfig('relay.config.example.json');
    expect(config.parties.map((p) => p.source).sort()).toEqual([
      'huddle',
      'template',
      'workdrive',
      'workspace365',
    ]);
  });

  it('lists every problem at once, each with its path', () => {
    const problems = problemsOf({
      parties: [
        { ...party, id: 'Bad Id', auth: { scheme: 'md5' }, extra: true },
        { ...party, target: { baseUrl: 'http://acme.example', environment: 'acme' } },
      ],
      retry: { baseSeconds: 10, capSeconds: 5, maxReceives: 10 },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^parties\[0\]\.id: /),
        expect.stringMatching(/^parties\[0\]\.auth\.scheme: must be one of/),
        'parties[0].extra: is not a known key',
        expect.stringMatching(/^parties\[workdrive-acme\]\.target\.baseUrl: must be an https URL/),
        'retry.capSeconds: capSeconds must be at least baseSeconds',
      ]),
    );
  });

  it('rejects duplicate party ids', () => {
    expect(problemsOf({ parties: [party, party] })).toContain(
      'parties[1].id: duplicate party id "workdrive-acme"',
    );
  });

  it('validates source options with their path', () => {
    const problems = problemsOf({
      parties: [
        { ...party, options: { groupMap: { a: '' }, colour: 'red' } },
        { ...party, id: 'tpl', source: 'template', options: {} },
      ],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^parties\[workdrive-acme\]\.options\.groupMap\.a: /),
        'parties[workdrive-acme].options.colour: is not a known option for workdrive',
        expect.stringMatching(/^parties\[tpl\]\.options\.payload: /),
      ]),
    );
  });

  it('names parties by id (the index only when the id cannot say which) and suggests the key a typo meant', () => {
    const problems = problemsOf({
      parties: [
        party,
        { ...party, id: 'crm-demo', secretNam: 'x', auth: { scheme: 'basic', heder: 'X-Token' } },
        { ...party, id: 'wd-2', options: { groupmap: {}, apiBaseURL: 'https://wd.example' } },
      ],
      retry: { maxRecieves: 3 },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'parties[crm-demo].secretNam: is not a known key (did you mean "secretName"?)',
        'parties[crm-demo].auth.heder: is not a known key (did you mean "header"?)',
        'retry.maxRecieves: is not a known key (did you mean "maxReceives"?)',
      ]),
    );
    const optionProblems = problemsOf({
      parties: [{ ...party, id: 'wd-2', options: { groupmap: {}, apiBaseURL: 'https://wd.example' } }],
    });
    expect(optionProblems).toEqual([
      'parties[wd-2].options.groupmap: is not a known option for workdrive (did you mean "groupMap"?)',
      'parties[wd-2].options.apiBaseURL: is not a known option for workdrive (did you mean "apiBaseUrl"?)',
    ]);
  });

  it('a config file that is not JSON: names the file, the line and the column', () => {
    const dir = mkdtempSync(join(tmpdir(), 'relay-config-'));
    const file = join(dir, 'relay.config.json');
    writeFileSync(file, '{\n  "parties": [\n    { "id": "a", }\n  ]\n}');
    expect(() => loadRelayConfig(file)).toThrow(
      /relay\.config\.json[\s\S]*is not valid JSON.*line 3, column 18/,
    );
  });

  it('types each party by its source in one pass: defaults applied, absent options validated, input untouched', () => {
    const { options: _omitted, ...bare } = party;
    const raw = { parties: [bare, { ...party, id: 'huddle-acme', source: 'huddle' }] };
    const before = JSON.stringify(raw);
    const [workdrive, huddle] = parseRelayConfig(raw).parties;
    expect(workdrive?.source === 'workdrive' && workdrive.options).toEqual({ users: {}, groupMap: {} });
    expect(huddle?.source === 'huddle' && huddle.options).toEqual({ appBaseUrl: 'https://my.huddle.net' });
    expect(JSON.stringify(raw)).toBe(before);
    expect(problemsOf({ parties: [{ ...bare, id: 'tpl', source: 'template' }] })).toEqual([
      expect.stringMatching(/^parties\[tpl\]\.options\.payload: /),
    ]);
    expect(problemsOf({ parties: [{ ...party, source: 'zendesk' }] })).toEqual([
      expect.stringMatching(
        /^parties\[workdrive-acme\]\.source: must be one of workspace365, workdrive, huddle, template$/,
      ),
    ]);
  });

  it('allows plain http only for a loopback target', () => {
    const local = { ...party, target: { baseUrl: 'http://127.0.0.1:4365', environment: 'demo' } };
    expect(parseRelayConfig({ parties: [local] }).parties[0]?.target.baseUrl).toBe('http://127.0.0.1:4365');
  });

  it('reports unreadable and non-JSON files by name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'relay-config-'));
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{ "parties": [');
    expect(() => loadRelayConfig(file)).toThrow(/broken\.json[\s\S]*is not valid JSON/);
    expect(() => loadRelayConfig(join(dir, 'missing.json'))).toThrow(/cannot be read/);
  });

  it('resolves RELAY_CONFIG, then relay.config.json, then the demo', () => {
    const dir = mkdtempSync(join(tmpdir(), 'relay-config-'));
    expect(resolveConfigPath({ RELAY_CONFIG: 'x.json' }, dir)).toBe(join(dir, 'x.json'));
    expect(resolveConfigPath({}, dir)).toBe(join(dir, 'relay.config.example.json'));
    writeFileSync(join(dir, 'relay.config.json'), '{}');
    expect(resolveConfigPath({}, dir)).toBe(join(dir, 'relay.config.json'));
  });
});
