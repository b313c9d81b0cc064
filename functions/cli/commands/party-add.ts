import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { sampleEvents } from '../../../devkit/samples';
import { authHeaderName, signWebhook } from '../../../shared/auth';
import {
  DEFAULT_CONFIG_FILE,
  EXAMPLE_CONFIG_FILE,
  parseRelayConfig,
  resolveConfigPath,
} from '../../../shared/config/load-config';
import type { PartyConfig } from '../../../shared/config/relay-config';
import { createSource, loadSourceEngines } from '../../../shared/sources';
import { secretTarget } from '../party/secret-target';
import { generateWebhookSecret } from '../party/webhook-secret';
import { type CliCommand, UsageError } from '../router';

/** The Workspace 365 API key comes from the environment, so it stays out of shell history and `ps`. */
export const API_KEY_ENV = 'WORKSPACE365_API_KEY';

export const partyAdd: CliCommand = {
  name: 'party add',
  summary:
    'Add a party: validate it, create its secret (a new strong webhook secret + the Workspace 365 key from $WORKSPACE365_API_KEY), write it into the config, print what the sender needs.',
  usage:
    '--id <id> --source <workspace365|workdrive|huddle|template> --scheme <standard-webhooks|hmac-sha256|token|basic> ' +
    '--base-url <https://…> --environment <name> [--header <name>] [--language <tag>] [--options <json>] ' +
    '[--secret-name <name>] [--config <file>] [--webhook-url <base URL>] [--stage <stage> [--region <region>] | --secrets-file <file>]',
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        id: { type: 'string' },
        source: { type: 'string' },
        scheme: { type: 'string' },
        'base-url': { type: 'string' },
        environment: { type: 'string' },
        header: { type: 'string' },
        language: { type: 'string' },
        options: { type: 'string' },
        'secret-name': { type: 'string' },
        config: { type: 'string' },
        'webhook-url': { type: 'string' },
        stage: { type: 'string' },
        region: { type: 'string' },
        'secrets-file': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    });
    for (const required of ['id', 'source', 'scheme', 'base-url', 'environment'] as const) {
      if (!values[required]) throw new UsageError(`--${required} is required`);
    }
    if (values.region !== undefined && values.stage === undefined) {
      throw new UsageError('--region needs --stage (the secret goes to Secrets Manager only for a stage)');
    }
    const apiKey = io.env[API_KEY_ENV];
    if (!apiKey) {
      throw new UsageError(
        `set ${API_KEY_ENV} to the party's Workspace 365 API key (an environment variable keeps it out of shell history)`,
      );
    }
    let options: unknown = {};
    if (values.options !== undefined) {
      try {
        options = JSON.parse(values.options);
      } catch {
        throw new UsageError('--options must be a JSON object (the source options, see README "Sources")');
      }
    }
    const id = values.id ?? '';
    const candidate = {
      id,
      source: values.source,
      auth: {
        scheme: values.scheme,
        ...(values.header === undefined ? {} : { header: values.header }),
      },
      target: {
        baseUrl: values['base-url'],
        environment: values.environment,
        ...(values.language === undefined ? {} : { language: values.language }),
      },
      secretName: values['secret-name'] ?? `webhook-relay/${id}`,
      options,
    };

    // The committed demo config is never edited: a first party starts relay.config.json.
    const configFile = values.config
      ? resolve(io.cwd, values.config)
      : resolveConfigPath(io.env, io.cwd) === resolve(io.cwd, EXAMPLE_CONFIG_FILE)
        ? resolve(io.cwd, DEFAULT_CONFIG_FILE)
        : resolveConfigPath(io.env, io.cwd);
    const existing = existsSync(configFile) ? readConfigJson(configFile) : { parties: [] };
    const updated = { ...existing, parties: [...(existing.parties ?? []), candidate] };
    // The whole config validated as the functions will read it (duplicate id, schema, source options,
    // templates that compile) before anything is written.
    const config = parseRelayConfig(updated, configFile);
    const party = config.parties.at(-1) as PartyConfig;
    createSource(party, await loadSourceEngines([party]));

    const webhookSecret = generateWebhookSecret(party.auth.scheme, party.id);
    const target = secretTarget(
      {
        purpose: 'create',
        ...(values.stage === undefined ? {} : { stage: values.stage }),
        ...(values.region === undefined ? {} : { region: values.region }),
        ...(values['secrets-file'] === undefined ? {} : { secretsFile: values['secrets-file'] }),
      },
      io.env,
      io.cwd,
    );
    // Secret first: a config naming a party whose secret could not be created would answer 503.
    await target.create(
      party.secretName,
      { workspace365ApiKey: apiKey, webhookSecrets: [webhookSecret] },
      party.id,
    );
    writeFileSync(configFile, `${JSON.stringify(updated, null, 2)}\n`);

    const base = (
      values['webhook-url'] ??
      (values.stage ? '<WebhookBaseUrl output of the Api stack>' : 'http://127.0.0.1:3000/webhooks/')
    ).replace(/\/*$/, '/');
    const url = `${base}${party.id}`;
    const [makeBody] = Object.values(sampleEvents[party.source]);
    const body = JSON.stringify(makeBody?.() ?? {});
    const headers = signWebhook(party.auth, webhookSecret, Buffer.from(body));
    io.out(`party "${party.id}" added to ${configFile}`);
    io.out(`its secret: ${target.describe(party.secretName)}`);
    io.out('');
    io.out('Give the sender (over a channel fit for secrets):');
    io.out(`  URL:     ${url}`);
    io.out(`  scheme:  ${party.auth.scheme}`);
    io.out(
      `  header:  ${party.auth.scheme === 'standard-webhooks' ? 'webhook-id, webhook-timestamp, webhook-signature' : authHeaderName(party.auth)}`,
    );
    io.out(`  secret:  ${webhookSecret}`);
    io.out('');
    io.out('An example signed request (a sample event of its source):');
    io.out(
      `  curl -X POST '${url}' -H 'content-type: application/json' ${Object.entries(headers)
        .map(([name, value]) => `-H '${name}: ${value}'`)
        .join(' ')} --data-binary '${body.replaceAll("'", "'\\''")}'`,
    );
    io.out('');
    const check = `npm run relay -- party check ${party.id}`;
    io.out(
      values.stage
        ? `Next: ${check} --stage ${values.stage}${values.region ? ` --region ${values.region}` : ''}, then npx cdk deploy --all -c stage=${values.stage} (the functions read the config from their bundles)`
        : `Next: ${check}, then restart npm start (it reads the config at start)`,
    );
    return 0;
  },
};

/** The config as written (not parsed with defaults), so the file keeps the operator's form. */
function readConfigJson(file: string): { parties?: unknown[] } & Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as { parties?: unknown[] } & Record<string, unknown>;
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}
