/** What a command may touch: its output streams, the environment and the working directory. */
export type CliIo = {
  out(line: string): void;
  err(line: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** For `--body -`; absent where there is no stdin to read. */
  stdin?: AsyncIterable<unknown>;
};

export type CliCommand = {
  /** The words that select it, e.g. `dlq list`. */
  name: string;
  summary: string;
  /** Options and arguments, shown by `--help`. */
  usage: string;
  /** Resolves with the exit code. */
  run(args: string[], io: CliIo): Promise<number>;
};

/** A mistake in how the command was called: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Picks the command whose name matches the most leading words of argv and runs it with the rest.
 * Unknown commands and `--help` print the list.
 */
export function createRouter(program: string, commands: readonly CliCommand[]) {
  const byLength = [...commands].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);

  function help(io: CliIo): void {
    io.out(`usage: ${program} <command> [options]\n`);
    const width = Math.max(...commands.map((command) => command.name.length));
    for (const command of commands) io.out(`  ${command.name.padEnd(width)}  ${command.summary}`);
    io.out(`\nRun "${program} <command> --help" for a command's options.`);
  }

  return {
    async run(argv: readonly string[], io: CliIo): Promise<number> {
      const command = byLength.find((candidate) => {
        const words = candidate.name.split(' ');
        return words.every((word, index) => argv[index] === word);
      });
      if (!command) {
        const wantsHelp = argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help';
        if (!wantsHelp) io.err(`unknown command: ${argv.join(' ')}\n`);
        help(wantsHelp ? io : { ...io, out: io.err });
        return wantsHelp ? 0 : 2;
      }
      const args = argv.slice(command.name.split(' ').length);
      if (args.includes('--help') || args.includes('-h')) {
        io.out(`usage: ${program} ${command.name} ${command.usage}\n\n${command.summary}`);
        return 0;
      }
      try {
        return await command.run(args, io);
      } catch (error) {
        if (error instanceof UsageError || isParseArgsError(error)) {
          io.err(`${(error as Error).message}\nusage: ${program} ${command.name} ${command.usage}`);
          return 2;
        }
        io.err(
          `${program} ${command.name} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
        return 1;
      }
    },
  };
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}
