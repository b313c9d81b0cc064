import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { sampleEvents } from '../../devkit/samples';
import { signWebhook } from '../../shared/auth';
import type { LocalRelay } from './local-relay';
import { EXAMPLE_SECRETS_FILE, type LocalSettings } from './local-settings';

/** What a newcomer needs after the ready line: where to look, which parties exist, one thing to paste. */
export function printWelcome(relay: LocalRelay, settings: LocalSettings): void {
  const lines: string[] = [];
  if (relay.sandbox)
    lines.push(
      `sandbox: ${relay.sandbox.url}  (Workspace 365 stand-in; open it in a browser to watch the feeds)`,
    );
  if (settings.fresh)
    lines.push(`started fresh: no saved queue, dedup records or sandbox feed from earlier runs`);
  const { workdrive, huddle } = relay.sourceSandboxes ?? {};
  if (workdrive)
    lines.push(`WorkDrive API sandbox: ${workdrive.url}  (publish news, create events, assign tasks)`);
  if (huddle) lines.push(`Huddle API sandbox: ${huddle.url}  (create workspaces, add users)`);
  if (relay.restoredCount > 0)
    lines.push(`re-queued ${relay.restoredCount} saved message(s) from the last run`);
  lines.push(`config: ${settings.configFile}`, `secrets: ${settings.secretsFile}`, 'parties:');
  for (const party of relay.config.parties) {
    lines.push(
      `  POST ${relay.ingress.url}/webhooks/${party.id}  (${party.source}, ${party.auth.scheme}) → ${party.target.baseUrl}/${party.target.environment}`,
    );
    if (party.poll) lines.push(`    polls ${party.poll.baseUrl} every ${party.poll.intervalSeconds} s`);
  }
  lines.push('try it:', `  npm run relay -- send-sample ${relay.config.parties[0]?.id ?? '<partyId>'}`);
  const curl = demoCurl(relay, settings);
  if (curl) lines.push(`  ${curl}`);
  lines.push(
    `  npm run relay -- trace ${relay.config.parties[0]?.id ?? '<partyId>'} <eventId>   (every step of one webhook; logs also in ${settings.stateDir}/relay.log)`,
  );
  if (settings.fastRetries)
    lines.push(
      `fast retries (RELAY_FAST_RETRIES): retry after 1–2 s, dead-letter after ${relay.config.retry.maxReceives} receives`,
    );
  lines.push(
    'stop with Ctrl+C: undelivered messages, dedup records and the sandbox feed are kept for the next start',
    '(npm start -- --fresh starts clean)',
  );
  console.log(lines.join('\n'));
}

/**
 * A paste-ready signed request for the first hmac-sha256 party, only with the committed demo secrets
 * (a real secret's signature is not something to print).
 */
function demoCurl(relay: LocalRelay, settings: LocalSettings): string | undefined {
  if (basename(settings.secretsFile) !== EXAMPLE_SECRETS_FILE) return undefined;
  const party = relay.config.parties.find((candidate) => candidate.auth.scheme === 'hmac-sha256');
  const makeBody = party ? Object.values(sampleEvents[party.source])[0] : undefined;
  if (!party || !makeBody) return undefined;
  const secrets = JSON.parse(readFileSync(settings.secretsFile, 'utf8')) as Record<
    string,
    { webhookSecrets: string[] }
  >;
  const secret = secrets[party.secretName]?.webhookSecrets[0];
  if (!secret) return undefined;
  const body = JSON.stringify({ ...(makeBody() as object), id: `evt-${randomUUID()}` });
  const headers = signWebhook(party.auth, secret, Buffer.from(body));
  const headerArgs = Object.entries(headers)
    .map(([name, value]) => `-H '${name}: ${value}'`)
    .join(' ');
  return `curl -sS ${relay.ingress.url}/webhooks/${party.id} -H 'content-type: application/json' ${headerArgs} -d '${body.replace(/'/g, "'\\''")}'`;
}
