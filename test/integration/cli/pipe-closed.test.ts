import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** `npm run relay -- … | head -1`: the reader is gone before (or while) the CLI writes. */
function runWithClosedStdout(...argv: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'functions/cli/main.ts', ...argv], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
}

describe('the CLI in a pipeline whose reader has left', () => {
  it('exits quietly, with no EPIPE stack trace', async () => {
    const { code, stderr } = await runWithClosedStdout('--help');
    expect(stderr).not.toMatch(/EPIPE|Unhandled 'error' event|at /);
    expect(code).toBe(0);
  });
});
