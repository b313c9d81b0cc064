import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../devkit/workspace365-sandbox';
import { type LocalRelayProcess, startLocalRelayProcess } from '../support/local-relay-process';
import { waitFor } from '../support/wait-for';

let relay: LocalRelayProcess | undefined;
afterEach(async () => {
  await relay?.stop('SIGKILL');
  relay = undefined;
});

type RecordedActivity = ReturnType<Sandbox['activities']>[number];

async function activities(sandboxUrl: string): Promise<RecordedActivity[]> {
  const response = await fetch(`${sandboxUrl}/_sandbox/activities?environment=demo`);
  return (await response.json()) as RecordedActivity[];
}

describe('polling in local mode (npm start as a child process)', () => {
  it('publish news in the WorkDrive sandbox → an activity in the Workspace 365 sandbox feed', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'relay-poll-e2e-'));
    // The committed poll demo, polled every second instead of every five to keep the test short.
    const config = JSON.parse(readFileSync('devkit/poll-demo/relay.config.json', 'utf8'));
    for (const party of config.parties) party.poll.intervalSeconds = 1;
    const configFile = join(stateDir, 'relay.config.json');
    writeFileSync(configFile, JSON.stringify(config));
    relay = await startLocalRelayProcess({
      RELAY_CONFIG: configFile,
      RELAY_SECRETS: 'devkit/poll-demo/secrets.json',
      STATE_DIR: stateDir,
      SANDBOX_PORT: '0',
      POLL_TICK_MS: '100',
    });
    expect(relay.output.join('\n')).toMatch(/WorkDrive API sandbox: http:\/\/127\.0\.0\.1:\d+/);
    const connection = JSON.parse(readFileSync(join(stateDir, 'local.json'), 'utf8')) as {
      sandboxUrl: string;
      workdriveSandboxUrl: string;
    };
    // The first poll records where the news list stands; only what is published after it is sent.
    await waitFor(
      () => {
        try {
          return JSON.parse(
            readFileSync(join(stateDir, 'poll-checkpoints', 'workdrive-poll-demo.json'), 'utf8'),
          ).news;
        } catch {
          return undefined;
        }
      },
      { what: 'the first poll of the news list', timeoutMs: 15_000 },
    );

    const published = await fetch(`${connection.workdriveSandboxUrl}/_sandbox/news`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ newsTitle: 'The new intranet is live', public: true }),
    });
    expect(published.status).toBe(201);

    const arrived = await waitFor(
      async () => {
        const found = (await activities(connection.sandboxUrl)).filter(
          (activity) => activity.activity.Title === 'The new intranet is live',
        );
        return found.length > 0 ? found : undefined;
      },
      { what: 'the news activity in the Workspace 365 sandbox', timeoutMs: 15_000 },
    );
    expect(arrived[0]?.activity.Tag).toBe('News');
    expect(relay.output.join('\n')).not.toContain('demo-workdrive-api-key');
  });
});
