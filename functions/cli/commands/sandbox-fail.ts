import { parseArgs } from 'node:util';
import type { ScriptedResponse } from '../../../devkit/workspace365-sandbox';
import { type CliCommand, UsageError } from '../router';
import { postControl, sandboxUrl } from '../sandbox-target';

export const sandboxFail: CliCommand = {
  name: 'sandbox fail',
  summary:
    'Make the local Workspace 365 sandbox fail the next request(s): a status (500, 429 with Retry-After, 400 …), a hang or a dropped connection.',
  usage:
    '(--status <code> [--retry-after <s>] [--delay-ms <ms>] | --hang | --reset-connection) [--times <n>] [--environment <name>] [--kind activity|batch] [--url <sandbox URL>]',
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        status: { type: 'string' },
        'retry-after': { type: 'string' },
        'delay-ms': { type: 'string' },
        hang: { type: 'boolean' },
        'reset-connection': { type: 'boolean' },
        times: { type: 'string' },
        environment: { type: 'string' },
        kind: { type: 'string' },
        url: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    });
    const entry = scriptEntry(values);
    const url = sandboxUrl(values.url, io);
    await postControl(url, '/_sandbox/script', [entry]);
    io.out(`${url}: the next ${entry.times ?? 1} matching request(s) will ${describe(entry)}`);
    io.out(`script sent: POST ${url}/_sandbox/script ${JSON.stringify([entry])}`);
    return 0;
  },
};

type FailFlags = {
  status?: string | undefined;
  'retry-after'?: string | undefined;
  'delay-ms'?: string | undefined;
  hang?: boolean | undefined;
  'reset-connection'?: boolean | undefined;
  times?: string | undefined;
  environment?: string | undefined;
  kind?: string | undefined;
};

/** The flags as one entry of the sandbox's fault script (README, "Reproduce failures locally"). */
export function scriptEntry(flags: FailFlags): ScriptedResponse {
  const modes = [flags.status !== undefined, flags.hang === true, flags['reset-connection'] === true];
  if (modes.filter(Boolean).length !== 1) {
    throw new UsageError('say how to fail, one of: --status <code>, --hang, --reset-connection');
  }
  const filter = {
    times: whole(flags.times, '--times', 1, 1_000_000) ?? 1,
    ...(flags.environment ? { environment: flags.environment } : {}),
    ...(flags.kind ? { kind: kindOf(flags.kind) } : {}),
  };
  if (flags.status === undefined) {
    if (flags['retry-after'] !== undefined || flags['delay-ms'] !== undefined) {
      throw new UsageError('--retry-after and --delay-ms go with --status');
    }
    return { fault: flags.hang ? 'timeout' : 'reset', ...filter };
  }
  const status = whole(flags.status, '--status', 200, 599) as number;
  const retryAfter = whole(flags['retry-after'], '--retry-after', 0, 86_400);
  const delayMs = whole(flags['delay-ms'], '--delay-ms', 0, 600_000);
  return {
    status,
    ...(retryAfter === undefined ? {} : { headers: { 'Retry-After': String(retryAfter) } }),
    // The Workspace 365 error shape, so the worker's decoded reason reads naturally in `dlq list`.
    ...(status >= 400
      ? { body: { globalError: { message: `scripted ${status} (relay sandbox fail)` }, fieldErrors: null } }
      : {}),
    ...(delayMs === undefined ? {} : { delayMs }),
    ...filter,
  };
}

function whole(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, not "${value}"`);
  }
  return number;
}

function kindOf(value: string): 'activity' | 'batch' {
  if (value !== 'activity' && value !== 'batch') throw new UsageError('--kind is activity or batch');
  return value;
}

function describe(entry: ScriptedResponse): string {
  if ('fault' in entry)
    return entry.fault === 'timeout' ? 'hang until the client gives up' : 'have the connection dropped';
  const retryAfter = entry.headers?.['Retry-After'];
  return `get ${entry.status}${retryAfter === undefined ? '' : ` with Retry-After: ${retryAfter}`}${entry.delayMs ? ` after ${entry.delayMs} ms` : ''}`;
}
