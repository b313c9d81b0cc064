import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { queueDepth } from '../../../devkit/sqs/queue-depth';
import { type SqsEmulator, startSqsEmulator } from '../../../devkit/sqs/sqs-emulator';
import { startWorkDriveSandbox, type WorkDriveSandbox } from '../../../devkit/workdrive-sandbox';
import { poll } from '../../../functions/cli/commands/poll';

let sandbox: WorkDriveSandbox | undefined;
let emulator: SqsEmulator | undefined;
afterEach(async () => {
  await sandbox?.close();
  await emulator?.close();
  sandbox = undefined;
  emulator = undefined;
});

async function setUp() {
  sandbox = await startWorkDriveSandbox({ apiKeys: ['cli-key'] });
  emulator = await startSqsEmulator({ maxReceives: 3 });
  const dir = mkdtempSync(join(tmpdir(), 'relay-cli-poll-'));
  const stateDir = join(dir, 'state');
  const configFile = join(dir, 'relay.config.json');
  const secretsFile = join(dir, 'secrets.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      parties: [
        {
          id: 'wd-cli',
          source: 'workdrive',
          auth: { scheme: 'token' },
          target: { baseUrl: 'http://127.0.0.1:4365', environment: 'demo' },
          secretName: 'wd-cli',
          poll: { baseUrl: sandbox.url, resources: ['news'] },
        },
      ],
    }),
  );
  writeFileSync(
    secretsFile,
    JSON.stringify({
      'wd-cli': { workspace365ApiKey: 'k', webhookSecrets: ['unused'], workdriveApiKey: 'cli-key' },
    }),
  );
  // What a running local relay writes, so the CLI queues to its emulator.
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(
    join(stateDir, 'local.json'),
    JSON.stringify({ sqsEndpoint: emulator.endpoint, queueUrl: emulator.queueUrl, dlqUrl: emulator.dlqUrl }),
  );
  return { stateDir, env: { RELAY_CONFIG: configFile, RELAY_SECRETS: secretsFile, STATE_DIR: stateDir } };
}

async function run(args: string[], env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await poll.run(args, {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    env,
    cwd: process.cwd(),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('relay poll', () => {
  it('records the starting point, then shows what a dry run would queue, then queues it', async () => {
    const { env, stateDir } = await setUp();
    const s = sandbox as WorkDriveSandbox;
    const e = emulator as SqsEmulator;

    const dryFirst = await run(['wd-cli', '--dry-run'], env);
    expect(dryFirst.out).toContain('news: first poll, starting point would be recorded');
    expect(existsSync(join(stateDir, 'poll-checkpoints', 'wd-cli.json'))).toBe(false);

    const first = await run(['wd-cli', '--once'], env);
    expect(first).toMatchObject({ code: 0 });
    expect(first.out).toContain('completed: found 0, queued 0');

    const news = s.publishNews({ newsTitle: 'Shown by the CLI' });
    const dry = await run(['wd-cli', '--dry-run'], env);
    expect(dry.out).toContain(`dry-run   news.published news:${news.id}`);
    expect(dry.out).toContain('would POST http://127.0.0.1:4365/demo/api/activities-batch');
    expect(dry.out).toContain('Shown by the CLI');
    expect(await queueDepth(e.client, e.queueUrl)).toBe(0);

    const real = await run(['wd-cli', '--once'], env);
    expect(real.out).toContain(`queued    news.published news:${news.id}`);
    expect(await queueDepth(e.client, e.queueUrl)).toBe(1);
    const again = await run(['wd-cli', '--once'], env);
    expect(again.out).toContain('completed: found 0, queued 0');
  });

  it('refuses a party that is not polled, and exits 1 with the reason when the source refuses', async () => {
    const { env } = await setUp();
    await expect(run(['nobody', '--once'], env)).rejects.toThrow(
      /not a polled party; polled parties: wd-cli/,
    );
    (sandbox as WorkDriveSandbox).script({ status: 401 });
    const denied = await run(['wd-cli', '--once'], env);
    expect(denied.code).toBe(1);
    expect(denied.err).toMatch(/failed \(auth_failed\)/);
  });
});
