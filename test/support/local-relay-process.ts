import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

export type LocalRelayProcess = {
  url: string;
  /** The built-in sandbox's URL when local mode started one. */
  sandboxUrl?: string;
  output: string[];
  /** Sends the signal and resolves with the exit code once the process has ended. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
};

const READY = /relay listening on (http:\/\/127\.0\.0\.1:\d+)/;
const SANDBOX = /sandbox\s*[:·-]?\s*.*?(http:\/\/127\.0\.0\.1:\d+)/i;

/** Starts `npm start`'s entry as a child process, as a user would, and waits for the fixed ready line. */
export async function startLocalRelayProcess(
  env: Record<string, string>,
  options: { timeoutMs?: number } = {},
): Promise<LocalRelayProcess> {
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    ['--import', 'tsx', 'functions/local/main.ts'],
    {
      env: { ...process.env, PORT: '0', NO_COLOR: '1', ...env },
      stdio: 'pipe',
    },
  );
  const output: string[] = [];
  let exited: Promise<number | null> = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  const collect = (chunk: Buffer) => output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`local relay did not start in time:\n${output.join('\n')}`)),
      options.timeoutMs ?? 30_000,
    );
    const check = () => {
      const line = output.find((candidate) => READY.test(candidate));
      if (line) {
        clearTimeout(timer);
        resolve(READY.exec(line)?.[1] as string);
      }
    };
    child.stdout.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`local relay exited with ${code} before it was ready:\n${output.join('\n')}`));
    });
  });
  // The sandbox line follows the ready line.
  await new Promise((resolve) => setTimeout(resolve, 100));
  const sandboxLine = output.find((line) => SANDBOX.test(line) && !READY.test(line));
  return {
    url,
    ...(sandboxLine ? { sandboxUrl: SANDBOX.exec(sandboxLine)?.[1] as string } : {}),
    output,
    stop: (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      const result = exited;
      exited = Promise.resolve(child.exitCode);
      return result;
    },
  };
}
