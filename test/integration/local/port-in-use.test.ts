import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { demoConfig } from '../../../devkit/fakes/demo';
import { startLocalRelay } from '../../../functions/local/local-relay';
import { readLocalSettings } from '../../../functions/local/local-settings';
import { PortInUseError } from '../../../functions/local/port-in-use';

const held: Server[] = [];

afterEach(async () => {
  await Promise.all(held.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** Something else already listening on a loopback port (a relay, a tunnel, a user's stand-in). */
async function holdPort(): Promise<number> {
  const server = createServer();
  held.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

function settingsWith(env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'relay-port-'));
  return { dir, settings: readLocalSettings({ STATE_DIR: join(dir, 'state'), SANDBOX_PORT: '0', ...env }) };
}

describe('a second npm start against a port still held', () => {
  it('names the ingress port and says how to run elsewhere', async () => {
    const port = await holdPort();
    const { settings } = settingsWith({ PORT: String(port) });
    const failure = await startLocalRelay(settings).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PortInUseError);
    expect((failure as Error).message).toContain(`port ${port} is already in use`);
    expect((failure as Error).message).toContain(`PORT=${port + 1} npm start`);
  });

  it('names the earlier relay still running and how to stop it', async () => {
    const port = await holdPort();
    const { dir, settings } = settingsWith({ PORT: String(port) });
    // The connection file an earlier relay wrote; its pid (here: a process known to be alive) still runs.
    mkdirSync(join(dir, 'state'), { recursive: true });
    writeFileSync(join(dir, 'state', 'local.json'), JSON.stringify({ pid: process.ppid }));
    const failure = (await startLocalRelay(settings).catch((error: unknown) => error)) as Error;
    expect(failure.message).toContain(`An earlier relay is still running (pid ${process.ppid}`);
    expect(failure.message).toContain(`kill ${process.ppid}`);
  });

  it('a loopback target something else serves: names the parties and RELAY_SANDBOX=off', async () => {
    const port = await holdPort();
    const config = demoConfig();
    for (const party of config.parties) party.target.baseUrl = `http://127.0.0.1:${port}`;
    const { dir } = settingsWith({});
    const configFile = join(dir, 'relay.config.json');
    writeFileSync(configFile, JSON.stringify(config));
    const { settings } = settingsWith({ RELAY_CONFIG: configFile });
    const failure = (await startLocalRelay({ ...settings, sandboxPort: undefined }).catch(
      (error: unknown) => error,
    )) as Error;
    expect(failure).toBeInstanceOf(PortInUseError);
    expect(failure.message).toContain(`port ${port} is already in use`);
    for (const party of config.parties) expect(failure.message).toContain(party.id);
    expect(failure.message).toContain('RELAY_SANDBOX=off');
  });
});
