import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { sampleEvents } from '../../../devkit/samples';
import { FileSecretStore } from '../../../shared/adapters/file-secret-store';
import { signWebhook } from '../../../shared/auth';
import { loadRelayConfig, resolveConfigPath } from '../../../shared/config/load-config';
import type { PartyConfig } from '../../../shared/config/relay-config';
import type { PartySecret } from '../../../shared/config/secret-value';
import { silentLogger } from '../../../shared/observability/logger';
import { createSource, loadSourceEngines } from '../../../shared/sources';
import { resolveSecretsPath } from '../../local/local-settings';
import { type CliCommand, type CliIo, UsageError } from '../router';
import { isLoopbackUrl, localRelayNotRunning, networkErrorCode } from '../unreachable';

export const sendSample: CliCommand = {
  name: 'send-sample',
  summary:
    "Sign and post a realistic sample webhook (or your own body with --body) for a party's source and scheme; print the answer.",
  usage: '<partyId> [event] [--body <file|->] [--url <relay base URL>] [--dry-run]',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: { url: { type: 'string' }, 'dry-run': { type: 'boolean' }, body: { type: 'string' } },
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
    if (values.body !== undefined && event !== undefined) {
      throw new UsageError('give either an event (a built-in sample) or --body, not both');
    }
    const secret = await new FileSecretStore(resolveSecretsPath(io.env, io.cwd)).get(party.secretName);
    let rawBody: Buffer;
    let what: string;
    if (values.body !== undefined) {
      // Sent byte for byte as read: the signature covers exactly these bytes.
      rawBody = await readBody(values.body, io);
      what = values.body === '-' ? 'body from stdin' : `body from ${values.body}`;
    } else {
      const samples = sampleEvents[party.source];
      const eventName = event ?? Object.keys(samples)[0] ?? '';
      const makeBody = samples[eventName];
      if (!makeBody) {
        throw new UsageError(
          `no sample "${eventName}" for source ${party.source}; samples: ${Object.keys(samples).join(', ')}`,
        );
      }
      const body = makeBody();
      if (party.source === 'template') {
        const misfit = await templateMisfit(party, secret, body);
        if (misfit) {
          io.err(
            `the built-in ${eventName} sample does not fit party ${party.id}'s template (${misfit}); ` +
              `send a body it maps with --body <file> (or - for stdin)`,
          );
          return 1;
        }
      }
      rawBody = Buffer.from(JSON.stringify(body));
      what = `${party.source} ${eventName}`;
    }
    const signed = signWebhook(party.auth, secret.webhookSecrets[0] ?? '', rawBody);
    const url = `${relayUrl(values.url, io.env, io.cwd)}/webhooks/${party.id}${values['dry-run'] ? '?dryRun=1' : ''}`;
    io.out(`POST ${url}  (${what}, signed with ${party.auth.scheme})`);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signed },
      body: rawBody,
    }).catch((error: unknown) => {
      throw unreachable(url, error);
    });
    const answer = (await response.json()) as { ids?: unknown };
    io.out(`${response.status} ${JSON.stringify(answer, null, 2)}`);
    const [firstId] = Array.isArray(answer.ids) ? answer.ids : [];
    if (typeof firstId === 'string') io.out(`follow it: npm run relay -- trace --message-id ${firstId}`);
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

function unreachable(url: string, error: unknown): Error {
  const code = networkErrorCode(error);
  const base = new URL(url).origin;
  if (code === 'ECONNREFUSED' && isLoopbackUrl(url)) return localRelayNotRunning(base, error);
  return new Error(`cannot reach the relay at ${base}: ${code ?? innermostMessage(error)}`, { cause: error });
}

/** `fetch failed` says nothing; its cause says why (`bad port`, a TLS or socket problem). */
function innermostMessage(error: unknown): string {
  let current = error as { message?: unknown; cause?: unknown } | undefined;
  while (current?.cause && typeof current.cause === 'object') current = current.cause as typeof current;
  return typeof current?.message === 'string' ? current.message : String(error);
}

async function readBody(source: string, io: CliIo): Promise<Buffer> {
  if (source === '-') {
    if (!io.stdin) throw new UsageError('--body - reads stdin, which this caller does not provide');
    const chunks: Buffer[] = [];
    for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk as Uint8Array));
    return Buffer.concat(chunks);
  }
  try {
    return await readFile(resolve(io.cwd, source));
  } catch (error) {
    throw new UsageError(`cannot read --body ${source}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
}

/**
 * Why the CRM sample would not be mapped by this template party (its filter skips it, or its
 * expressions fail on it), found by running the party's own template here; undefined when it fits.
 */
async function templateMisfit(
  party: PartyConfig,
  secret: PartySecret,
  body: unknown,
): Promise<string | undefined> {
  const result = await createSource(party, await loadSourceEngines([party])).map(body, {
    party,
    secret,
    headers: {},
    now: new Date(),
    logger: silentLogger,
  });
  if (result.outcome === 'ignored') return result.reason;
  if (result.outcome === 'invalid') return result.message;
  return undefined;
}
