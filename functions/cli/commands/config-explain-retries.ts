import { parseArgs } from 'node:util';
import { loadRelayConfig, parseRelayConfig, resolveConfigPath } from '../../../shared/config/load-config';
import { formatDuration, formatRetrySchedule, retryWindow } from '../../../shared/retry/schedule';
import type { CliCommand } from '../router';

/**
 * `relay config explain-retries`: the retry schedule of the config (or of the values given on the command
 * line), attempt n → earliest and latest time after the first attempt. The README's table is the same
 * text for the defaults.
 */
export const configExplainRetries: CliCommand = {
  name: 'config explain-retries',
  summary:
    'Print the retry schedule: when each attempt of a delivery that keeps failing happens (earliest, latest) and when it is dead-lettered.',
  usage:
    '[--config <file>] [--base-seconds <n>] [--cap-seconds <n>] [--max-receives <n>] [--jitter equal|full] [--all]',
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        config: { type: 'string' },
        'base-seconds': { type: 'string' },
        'cap-seconds': { type: 'string' },
        'max-receives': { type: 'string' },
        jitter: { type: 'string' },
        all: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    });
    const file = resolveConfigPath(
      values.config === undefined ? io.env : { ...io.env, RELAY_CONFIG: values.config },
      io.cwd,
    );
    const config = loadRelayConfig(file);
    // Overrides go through the same schema, so a value the config would refuse is refused here too.
    const overrides = {
      ...numberOption(values['base-seconds'], 'baseSeconds'),
      ...numberOption(values['cap-seconds'], 'capSeconds'),
      ...numberOption(values['max-receives'], 'maxReceives'),
      ...(values.jitter === undefined ? {} : { jitter: values.jitter }),
    };
    const { retry } = parseRelayConfig(
      { parties: config.parties, retry: { ...config.retry, ...overrides } },
      Object.keys(overrides).length > 0 ? `${file} with the options given` : file,
    );
    const window = retryWindow(retry);
    io.out(
      `retry schedule of ${file}${Object.keys(overrides).length > 0 ? ' with the options given' : ''}: ` +
        `baseSeconds ${retry.baseSeconds}, capSeconds ${retry.capSeconds}, maxReceives ${retry.maxReceives}, jitter ${retry.jitter}`,
    );
    io.out('times are after the first attempt; a Retry-After can only push an attempt later\n');
    io.out(formatRetrySchedule(retry, values.all ? { head: retry.maxReceives, tail: 0 } : {}));
    io.out(
      `\na delivery that keeps failing is retried for ${formatDuration(window.earliestSeconds)} at the least and ${formatDuration(window.latestSeconds)} at the most before it is dead-lettered;` +
        ' time spent waiting behind an open circuit breaker comes on top (docs/outage.md)',
    );
    return 0;
  },
};

function numberOption(text: string | undefined, key: string): Record<string, number> {
  if (text === undefined) return {};
  return { [key]: Number(text) };
}
