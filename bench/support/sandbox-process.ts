import { join } from 'node:path';
import { demoEnv } from './demo';
import { type BenchChild, spawnChild, waitForLogLine } from './processes';

/** `npm run sandbox` (functions/sandbox/main.ts) in its own process on a free port; it accepts the demo keys. */
export async function startSandboxProcess(
  workDir: string,
  name: string,
): Promise<{ url: string; child: BenchChild }> {
  const child = spawnChild({
    name: `sandbox (${name})`,
    args: ['bench/hosts/entry.ts', 'functions/sandbox/main.ts'],
    logFile: join(workDir, `sandbox-${name}.log`),
    env: demoEnv({ PORT: '0' }),
  });
  try {
    const match = await waitForLogLine(child, /sandbox listening on (http:\/\/127\.0\.0\.1:\d+)/);
    return { url: match[1] as string, child };
  } catch (error) {
    await child.stop();
    throw error;
  }
}
