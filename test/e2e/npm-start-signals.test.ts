import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait-for';

const leftovers: number[] = [];

afterEach(() => {
  // On a regression the relay outlives npm: end it here, by the pid it wrote, so no test leaks it.
  for (const pid of leftovers.splice(0)) {
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  }
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('npm start as a process manager runs it', () => {
  it('SIGTERM to the npm process stops the relay gracefully: state saved, port freed', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'relay-npm-start-'));
    const npm = spawn('npm', ['start', '--silent'], {
      env: { ...process.env, PORT: '0', SANDBOX_PORT: '0', STATE_DIR: stateDir, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    npm.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    npm.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    const port = await waitFor(() => /relay listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1], {
      timeoutMs: 30_000,
      what: 'the ready line',
    }).then(Number);
    const { pid } = JSON.parse(readFileSync(join(stateDir, 'local.json'), 'utf8')) as { pid: number };
    leftovers.push(pid);
    expect(pid).not.toBe(npm.pid);

    npm.kill('SIGTERM');
    await waitFor(async () => !isAlive(pid) && !(await portAnswers(port)), {
      timeoutMs: 15_000,
      what: 'the relay process to end and free its port',
    });
    expect(output).toMatch(/no new webhooks; delivering for up to/);
    expect(output).toMatch(/nothing left to deliver; bye|saved \d+ undelivered message/);
    expect(existsSync(join(stateDir, 'dedup-ledger.json'))).toBe(true);
  }, 60_000);
});
