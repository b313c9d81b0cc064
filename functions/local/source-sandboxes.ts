import { type HuddleSandbox, startHuddleSandbox } from '../../devkit/huddle-sandbox';
import { startWorkDriveSandbox, type WorkDriveSandbox } from '../../devkit/workdrive-sandbox';
import type { PartyConfig, RelayConfig } from '../../shared/config/relay-config';
import type { SecretStore } from '../../shared/ports/secret-store';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export type SourceSandboxes = {
  workdrive: WorkDriveSandbox | undefined;
  huddle: HuddleSandbox | undefined;
  close(): Promise<void>;
};

/**
 * Local mode's WorkDrive and Huddle API sandboxes (devkit/), started for polled parties whose
 * `poll.baseUrl` is a loopback address, accepting those parties' credentials; the parties are pointed at
 * wherever the sandbox listens. `anyPort` puts them on free ports (tests).
 */
export async function startSourceSandboxesFor(
  config: RelayConfig,
  secrets: SecretStore,
  options: { anyPort: boolean },
): Promise<SourceSandboxes> {
  const local = config.parties.filter(
    (party) => party.poll !== undefined && LOOPBACK.has(new URL(party.poll.baseUrl).hostname),
  );
  const of = (source: string) => local.filter((party) => party.source === source);
  const portOf = (parties: PartyConfig[]) =>
    options.anyPort ? 0 : Number(new URL(parties[0]?.poll?.baseUrl ?? 'http://x').port || 0);

  let workdrive: WorkDriveSandbox | undefined;
  const workdriveParties = of('workdrive');
  if (workdriveParties.length > 0) {
    const apiKeys = await credentials(workdriveParties, secrets, (secret) => secret.workdriveApiKey);
    workdrive = await startWorkDriveSandbox({ apiKeys, port: portOf(workdriveParties) });
    for (const party of workdriveParties) retarget(party, workdrive.url);
  }
  let huddle: HuddleSandbox | undefined;
  const huddleParties = of('huddle');
  if (huddleParties.length > 0) {
    const accessTokens = await credentials(huddleParties, secrets, (secret) => secret.huddleAccessToken);
    huddle = await startHuddleSandbox({ accessTokens, port: portOf(huddleParties) });
    for (const party of huddleParties) retarget(party, huddle.url);
  }
  return {
    workdrive,
    huddle,
    async close() {
      await workdrive?.close();
      await huddle?.close();
    },
  };
}

async function credentials(
  parties: PartyConfig[],
  secrets: SecretStore,
  pick: (secret: Awaited<ReturnType<SecretStore['get']>>) => string | undefined,
): Promise<string[]> {
  const values: string[] = [];
  for (const party of parties) {
    const value = pick(await secrets.get(party.secretName));
    if (value !== undefined) values.push(value);
  }
  return values;
}

function retarget(party: PartyConfig, baseUrl: string): void {
  if (party.poll) party.poll = { ...party.poll, baseUrl };
}
