import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../../devkit/workspace365-sandbox';
import { COMMANDS } from '../../../functions/cli/commands';
import { generateWebhookSecret } from '../../../functions/cli/party/webhook-secret';
import { createRouter } from '../../../functions/cli/router';
import { createVerifier, signWebhook } from '../../../shared/auth';
import { AUTH_SCHEMES, type AuthScheme } from '../../../shared/config/relay-config';

const KEY = 'party-check-key-1';
const router = createRouter('relay', COMMANDS);
let sandbox: Sandbox;
let dir: string;

beforeAll(async () => {
  sandbox = await startSandbox({ environments: { acme: { apiKeys: [KEY] } } });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'relay-party-'));
});
afterEach(() => {
  sandbox.reset();
  rmSync(dir, { recursive: true, force: true });
});

async function relay(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await router.run(args, {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    env: { ...env },
    cwd: dir,
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const readJson = (name: string) => JSON.parse(readFileSync(join(dir, name), 'utf8'));

function writeParty(baseUrl: string, environment = 'acme') {
  writeFileSync(
    join(dir, 'relay.config.json'),
    JSON.stringify({
      parties: [
        {
          id: 'acme',
          source: 'workspace365',
          auth: { scheme: 'token' },
          target: { baseUrl, environment },
          secretName: 'webhook-relay/acme',
        },
      ],
    }),
  );
}

function writeSecret(value: unknown) {
  writeFileSync(join(dir, 'secrets.local.json'), JSON.stringify({ 'webhook-relay/acme': value }));
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const ADD = ['party', 'add', '--id', 'acme', '--source', 'workspace365', '--environment', 'acme'];

describe('relay party add (local)', () => {
  it('writes the party and its secret, and prints URL, scheme, header, secret and a signed example', async () => {
    const result = await relay(
      [...ADD, '--scheme', 'hmac-sha256', '--base-url', 'https://acme.workspace365.net'],
      {
        WORKSPACE365_API_KEY: 'w365-key',
      },
    );
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(readJson('relay.config.json').parties).toEqual([
      expect.objectContaining({
        id: 'acme',
        auth: { scheme: 'hmac-sha256' },
        secretName: 'webhook-relay/acme',
      }),
    ]);
    const stored = readJson('secrets.local.json')['webhook-relay/acme'];
    expect(stored.workspace365ApiKey).toBe('w365-key');
    const [webhookSecret] = stored.webhookSecrets as string[];
    expect(webhookSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(result.out).toContain('URL:     http://127.0.0.1:3000/webhooks/acme');
    expect(result.out).toContain('scheme:  hmac-sha256');
    expect(result.out).toContain('header:  X-Signature-256');
    expect(result.out).toContain(`secret:  ${webhookSecret}`);
    expect(result.out).toMatch(
      /curl -X POST 'http:\/\/127\.0\.0\.1:3000\/webhooks\/acme' .*-H 'X-Signature-256: sha256=[0-9a-f]{64}'/,
    );
    // The API key is never printed.
    expect(result.out).not.toContain('w365-key');
  });

  it.each(AUTH_SCHEMES)('generates a strong secret the %s verifier accepts', async (scheme: AuthScheme) => {
    const secret = generateWebhookSecret(scheme, 'acme');
    expect(generateWebhookSecret(scheme, 'acme')).not.toBe(secret);
    const body = Buffer.from('{"a":1}');
    const headers = signWebhook({ scheme }, secret, body);
    const lower = Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]),
    );
    const verdict = createVerifier({ scheme }).verify(
      { headers: lower, rawBody: body },
      [secret],
      new Date(),
    );
    expect(verdict).toMatchObject({ ok: true });
  });

  it('refuses, writing nothing, without the API key, with an invalid target, or for a duplicate id', async () => {
    const noKey = await relay([...ADD, '--scheme', 'token', '--base-url', 'https://acme.workspace365.net']);
    expect(noKey.code).toBe(2);
    expect(noKey.err).toContain('set WORKSPACE365_API_KEY');

    const plainHttp = await relay([...ADD, '--scheme', 'token', '--base-url', 'http://acme.example'], {
      WORKSPACE365_API_KEY: 'k',
    });
    expect(plainHttp.code).toBe(1);
    expect(plainHttp.err).toContain('parties[acme].target.baseUrl: must be an https URL');
    expect(existsSync(join(dir, 'relay.config.json'))).toBe(false);
    expect(existsSync(join(dir, 'secrets.local.json'))).toBe(false);

    const ok = ['--scheme', 'token', '--base-url', 'https://acme.workspace365.net'];
    expect((await relay([...ADD, ...ok], { WORKSPACE365_API_KEY: 'k' })).code).toBe(0);
    const before = readFileSync(join(dir, 'secrets.local.json'), 'utf8');
    const again = await relay([...ADD, ...ok], { WORKSPACE365_API_KEY: 'k2' });
    expect(again.code).toBe(1);
    expect(again.err).toContain('duplicate party id "acme"');
    expect(readFileSync(join(dir, 'secrets.local.json'), 'utf8')).toBe(before);
  });
});

describe('relay party check against the sandbox', () => {
  it('passes when the secret is well-formed and the environment accepts the key, creating nothing', async () => {
    writeParty(sandbox.url);
    writeSecret({ workspace365ApiKey: KEY, webhookSecrets: ['token-1'] });
    const result = await relay(['party', 'check', 'acme']);
    expect(result.code).toBe(0);
    expect(result.out).toContain('ok    secret: readable and well-formed');
    expect(result.out).toContain('ok    api key: accepted by environment "acme"');
    expect(result.out).toContain('party "acme" is ready for traffic');
    expect(sandbox.requests()).toHaveLength(1); // the check did ask
    expect(sandbox.activities()).toEqual([]); // and nothing is in the feed
  });

  it('names the party when the key is refused', async () => {
    writeParty(sandbox.url);
    writeSecret({ workspace365ApiKey: 'not-the-key', webhookSecrets: ['token-1'] });
    const result = await relay(['party', 'check', 'acme']);
    expect(result.code).toBe(1);
    expect(result.out).toContain(
      'FAIL  api key: environment "acme" refused party "acme"\'s Workspace 365 API key (401)',
    );
    expect(result.out).not.toContain('not-the-key');
    expect(result.err).toContain('party "acme" is not ready: 1 check failed');
    expect(sandbox.activities()).toEqual([]);
  });

  it('gives the cause when the target is unreachable', async () => {
    writeParty(`http://127.0.0.1:${await closedPort()}`);
    writeSecret({ workspace365ApiKey: KEY, webhookSecrets: ['token-1'] });
    const result = await relay(['party', 'check', 'acme']);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(
      /FAIL {2}target: http:\/\/127\.0\.0\.1:\d+ is not reachable: ECONNREFUSED \(nothing listens on that port\)/,
    );
  });

  it('says what is wrong with a missing or malformed secret, never its value', async () => {
    writeParty(sandbox.url);
    writeSecret({ workspace365ApiKey: '', webhookSecrets: [], placeholder: 'SECRET-VALUE-XYZ' });
    const malformed = await relay(['party', 'check', 'acme']);
    expect(malformed.code).toBe(1);
    expect(malformed.out).toMatch(/FAIL {2}secret: secret "webhook-relay\/acme" is unavailable: /);
    expect(malformed.out).not.toContain('SECRET-VALUE-XYZ');
    writeFileSync(join(dir, 'secrets.local.json'), '{}');
    const missing = await relay(['party', 'check', 'acme']);
    expect(missing.out).toContain('not found in');
    expect(sandbox.requests()).toEqual([]);
  });

  it('--all checks every party and fails when one is not ready', async () => {
    const config = {
      parties: ['acme', 'globex'].map((id) => ({
        id,
        source: 'workspace365',
        auth: { scheme: 'token' },
        target: { baseUrl: sandbox.url, environment: 'acme' },
        secretName: `webhook-relay/${id}`,
      })),
    };
    writeFileSync(join(dir, 'relay.config.json'), JSON.stringify(config));
    writeFileSync(
      join(dir, 'secrets.local.json'),
      JSON.stringify({
        'webhook-relay/acme': { workspace365ApiKey: KEY, webhookSecrets: ['t'] },
        'webhook-relay/globex': { workspace365ApiKey: 'wrong', webhookSecrets: ['t'] },
      }),
    );
    const result = await relay(['party', 'check', '--all']);
    expect(result.code).toBe(1);
    expect(result.out).toContain('party "acme" is ready for traffic');
    expect(result.err).toContain('party "globex" is not ready: 1 check failed');
    expect(result.out).toContain('1 of 2 parties ready; not ready: globex');
    expect(sandbox.activities()).toEqual([]);
  });

  it('refuses an unknown party with the list of parties', async () => {
    writeParty(sandbox.url);
    const result = await relay(['party', 'check', 'nobody']);
    expect(result.code).toBe(2);
    expect(result.err).toContain('no party "nobody"');
    expect(result.err).toContain('parties: acme');
  });
});

describe('relay party add/check against Secrets Manager (mocked SDK client)', () => {
  const secretsManager = mockClient(SecretsManagerClient);
  afterEach(() => secretsManager.reset());
  const PHYSICAL = 'webhook-relay/prod/webhook-relay/acme';

  it('add creates the secret under the stage prefix', async () => {
    secretsManager.on(CreateSecretCommand).resolves({ Name: PHYSICAL });
    const result = await relay(
      [
        ...ADD,
        '--scheme',
        'standard-webhooks',
        '--base-url',
        'https://acme.workspace365.net',
        '--stage',
        'prod',
        '--region',
        'eu-west-1',
        '--webhook-url',
        'https://api.example/webhooks',
      ],
      { WORKSPACE365_API_KEY: 'w365-key' },
    );
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    const [call] = secretsManager.commandCalls(CreateSecretCommand);
    expect(call?.args[0].input.Name).toBe(PHYSICAL);
    const value = JSON.parse(call?.args[0].input.SecretString ?? '{}');
    expect(value).toEqual({
      workspace365ApiKey: 'w365-key',
      webhookSecrets: [expect.stringMatching(/^whsec_/)],
    });
    expect(result.out).toContain('URL:     https://api.example/webhooks/acme');
    expect(result.out).toContain(`Secrets Manager (eu-west-1) "${PHYSICAL}"`);
    expect(readJson('relay.config.json').parties[0].id).toBe('acme');
  });

  it('add leaves the config alone when the secret already exists', async () => {
    secretsManager
      .on(CreateSecretCommand)
      .rejects(new ResourceExistsException({ message: 'exists', $metadata: {} }));
    const result = await relay(
      [
        ...ADD,
        '--scheme',
        'token',
        '--base-url',
        'https://acme.workspace365.net',
        '--stage',
        'prod',
        '--region',
        'eu-west-1',
      ],
      { WORKSPACE365_API_KEY: 'w365-key' },
    );
    expect(result.code).toBe(1);
    expect(result.err).toContain(`already holds "${PHYSICAL}"`);
    expect(existsSync(join(dir, 'relay.config.json'))).toBe(false);
  });

  it('check reads the prefixed secret, then asks the target', async () => {
    writeParty(sandbox.url);
    secretsManager
      .on(GetSecretValueCommand, { SecretId: PHYSICAL })
      .resolves({ SecretString: JSON.stringify({ workspace365ApiKey: KEY, webhookSecrets: ['t'] }) });
    const result = await relay(['party', 'check', 'acme', '--stage', 'prod', '--region', 'eu-west-1']);
    expect(result.out).toContain('ok    api key: accepted');
    expect(result.code).toBe(0);
    expect(sandbox.activities()).toEqual([]);
  });

  it('check reports a missing secret by its physical name and the SDK error', async () => {
    writeParty(sandbox.url);
    secretsManager
      .on(GetSecretValueCommand)
      .rejects(new ResourceNotFoundException({ message: 'nope', $metadata: {} }));
    const result = await relay(['party', 'check', 'acme', '--stage', 'prod', '--region', 'eu-west-1']);
    expect(result.code).toBe(1);
    expect(result.out).toContain(
      `FAIL  secret: secret "${PHYSICAL}" is unavailable: could not be read (ResourceNotFoundException)`,
    );
  });
});
