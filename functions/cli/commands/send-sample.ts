import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { sampleEvents } from '../../../devkit/samples';
import { FileSecretStore } from '../../../shared/adapters/file-secret-store';
import { signWebhook } from '../../../shared/auth';
import { loadRelayConfig, resolveConfigPath } from '../../../shared/config/load-config';
import { resolveSecretsPath } from '../../local/local-settings';
import { type CliCommand, UsageError } from '../router';

export const sendSample: CliCommand = {
  name: 'send-sample',
  summary: "Sign and post a realistic sample webhook for a party's source and scheme; print the answer.",
  usage: '<partyId> [event] [--url <relay base URL>] [--dry-run]',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: { url: { type: 'string' }, 'dry-run': { type: 'boolean' } },
      strict: true,
      allowPositionals: true,
    });
    const [partyId, event] = positionals;
    const config = loadRelayConfig(resolveConfigPath(io.env, io.cwd));
    const party = config.parties.find((candidate) => candidate.id === partyId);
    if (!party) {
      throw new UsageError(
        `unknown party "${partyId ?? ''}"; parties: ${config.parties.map((p) => p.id).join(', ')}`,
      );
    }
    const samples = sampleEvents[party.source];
    const eventName = event ?? Object.keys(samples)[0] ?? '';
    const makeBody = samples[eventName];
    if (!makeBody) {
      throw new UsageError(
        `no sample "${eventName}" for source ${party.source}; samples: ${Object.keys(samples).join(', ')}`,
      );
    }
    const secret = await new FileSecretStore(resolveSecretsPath(io.env, io.cwd)).get(party.secretName);
    const rawBody = Buffer.from(JSON.stringify(makeBody()));
    const signed = signWebhook(party.auth, secret.webhookSecrets[0] ?? '', rawBody);
    const url = `${relayUrl(values.url, io.env, io.cwd)}/webhooks/${party.id}${values['dry-run'] ? '?dryRun=1' : ''}`;
    io.out(`POST ${url}  (${party.source} ${eventName}, signed with ${party.auth.scheme})`);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signed },
      body: rawBody,
    });
    io.out(`${response.status} ${JSON.stringify(await response.json(), null, 2)}`);
    return response.ok ? 0 : 1;
  },
};

/** `--url`, else the running local relay (its state file), else `http://127.0.0.1:$PORT` (3000). */
function relayUrl(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string {
  if (flag) return flag.replace(/\/+$/, '');
  const stateFile = resolve(cwd, env.STATE_DIR ?? '.state', 'local.json');
  if (existsSync(stateFile)) {
    const { ingressUrl } = JSON.parse(readFileSync(stateFile, 'utf8')) as { ingressUrl?: string };
    if (ingressUrl) return ingressUrl;
  }
  return `http://127.0.0.1:${env.PORT ?? 3000}`;
}
