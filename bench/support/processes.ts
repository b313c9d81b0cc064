import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Child processes of the bench. Whatever is measured runs in its own process (the server, the load
 * generator, the worker), so the bench's own bookkeeping never shares their event loop; their stdout and
 * stderr (the relay's JSON log lines) go to a log file, so logging costs what it costs in a deployment.
 */
export type BenchChild = {
  readonly name: string;
  readonly logFile: string;
  readonly process: ChildProcess;
  /** The next IPC message from the child, in order; rejects if it exits first or `timeoutMs` passes. */
  next<T>(timeoutMs?: number): Promise<T>;
  send(message: unknown): void;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
  stop(graceMs?: number): Promise<void>;
};

const running = new Set<BenchChild>();

export type SpawnOptions = {
  name: string;
  /** A TypeScript entry, run with tsx, or plain node arguments when `tsx` is false. */
  args: string[];
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** @default true */
  tsx?: boolean;
  /** The node binary. @default the bench's own (process.execPath) */
  node?: string;
};

export function spawnChild(options: SpawnOptions): BenchChild {
  const log = openSync(options.logFile, 'a');
  const child = spawn(
    options.node ?? process.execPath,
    [
      // BENCH_CPU_PROF_DIR=<dir>: every child writes a V8 CPU profile there, to see where the time goes.
      ...(process.env.BENCH_CPU_PROF_DIR
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`]
        : []),
      ...(options.tsx === false ? [] : ['--import', 'tsx']),
      ...options.args,
    ],
    {
      cwd: options.cwd ?? process.cwd(),
      env: options.env ?? process.env,
      stdio: ['ignore', log, log, 'ipc'],
    },
  );
  closeSync(log);
  const inbox: unknown[] = [];
  const waiting: ((message: unknown) => void)[] = [];
  child.on('message', (message) => {
    const taker = waiting.shift();
    if (taker) taker(message);
    else inbox.push(message);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const handle: BenchChild = {
    name: options.name,
    logFile: options.logFile,
    process: child,
    next<T>(timeoutMs = 120_000) {
      const queued = inbox.shift();
      if (queued !== undefined) {
        try {
          return Promise.resolve(failOnError(queued) as T);
        } catch (error) {
          return Promise.reject(error);
        }
      }
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`${options.name} sent nothing for ${timeoutMs} ms${logTail(options.logFile)}`));
        }, timeoutMs);
        const taker = (message: unknown) => {
          clearTimeout(timer);
          try {
            resolve(failOnError(message) as T);
          } catch (error) {
            reject(error);
          }
        };
        waiting.push(taker);
        void exited.then(() => {
          clearTimeout(timer);
          const index = waiting.indexOf(taker);
          if (index >= 0) waiting.splice(index, 1);
          reject(
            new Error(
              `${options.name} exited (${child.exitCode ?? child.signalCode})${logTail(options.logFile)}`,
            ),
          );
        });
      });
    },
    send(message) {
      child.send(message as object);
    },
    async stop(graceMs = 10_000) {
      running.delete(handle);
      if (child.exitCode !== null || child.signalCode !== null) return;
      // A profiled child writes its profile as it exits: give it the chance to exit on its own.
      if (process.env.BENCH_CPU_PROF_DIR) await Promise.race([exited, sleep(5_000)]);
      child.kill('SIGTERM');
      // The grace timer must not keep the bench alive once the child is gone.
      const grace = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(grace);
    },
  };
  running.add(handle);
  return handle;

  function failOnError(message: unknown): unknown {
    const error = (message as { error?: unknown } | null)?.error;
    if (typeof error === 'string') throw new Error(`${options.name}: ${error}${logTail(options.logFile)}`);
    return message;
  }
}

/** Stops every child still running (the bench's finally and its signal handlers). */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...running].map((child) => child.stop(3_000)));
}

/** Polls a child's log file for a line, e.g. the `… listening on <url>` line of an entry point. */
export async function waitForLogLine(
  child: BenchChild,
  pattern: RegExp,
  timeoutMs = 60_000,
): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = pattern.exec(readFileSync(child.logFile, 'utf8'));
    if (match) return match;
    if (child.process.exitCode !== null) break;
    await sleep(50);
  }
  throw new Error(`${child.name} did not print ${pattern} in time${logTail(child.logFile)}`);
}

/** The last lines of a log file, for error messages. */
export function logTail(file: string, lines = 15): string {
  if (!existsSync(file)) return '';
  const tail = readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  return tail ? `\n--- last lines of ${file} ---\n${tail}` : '';
}
