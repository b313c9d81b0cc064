import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LOG_FILE_NAME } from '../../local/log-file-names';
import { type CliCommand, type CliIo, UsageError } from '../router';
import { formatTimeline } from '../trace/format-timeline';
import { localLogReader } from '../trace/local-log-reader';
import { logsInsightsReader, relayLogGroups } from '../trace/logs-insights-reader';
import type { TraceQuery } from '../trace/timeline';
import { type TraceReader, traceWebhook } from '../trace/trace-reader';

/** How far back Logs Insights looks unless `--since` says otherwise. */
const DEFAULT_WINDOW_MS = 24 * 60 * 60 * 1000;

export const trace: CliCommand = {
  name: 'trace',
  summary:
    "Print one webhook's history: received, queued, each delivery attempt, delivered or dead-lettered and why. Exit 0 only when delivered.",
  usage:
    '<partyId> <eventId> | --correlation-id <id> | --message-id <id>  [--json] [--local [--log-file <path>]] [--stage <stage>] [--region <region>] [--log-group <name>]… [--since <24h|90m|7d|ISO time>]',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: {
        'correlation-id': { type: 'string' },
        'message-id': { type: 'string' },
        json: { type: 'boolean' },
        local: { type: 'boolean' },
        'log-file': { type: 'string' },
        stage: { type: 'string' },
        region: { type: 'string' },
        'log-group': { type: 'string', multiple: true },
        since: { type: 'string' },
      },
      strict: true,
      allowPositionals: true,
    });
    const query = traceQuery(positionals, values['correlation-id'], values['message-id']);
    sinceDate(values.since, new Date()); // a bad --since is a usage error whichever log source is read
    const reader = traceReader(values, io);
    const timeline = await traceWebhook(query, reader);
    if (values.json) io.out(JSON.stringify(timeline, null, 2));
    else for (const line of formatTimeline(timeline)) io.out(line);
    return timeline.outcome === 'delivered' ? 0 : 1;
  },
};

function traceQuery(
  positionals: string[],
  correlationId: string | undefined,
  messageId: string | undefined,
): TraceQuery {
  const given = [positionals.length > 0, correlationId !== undefined, messageId !== undefined].filter(
    Boolean,
  );
  if (given.length !== 1) {
    throw new UsageError('name the webhook one way: <partyId> <eventId>, --correlation-id or --message-id');
  }
  if (correlationId !== undefined)
    return { by: 'correlation', correlationId: nonEmpty(correlationId, '--correlation-id') };
  if (messageId !== undefined) return { by: 'message', messageId: nonEmpty(messageId, '--message-id') };
  const [partyId, eventId, ...rest] = positionals;
  if (!partyId || !eventId || rest.length > 0) {
    throw new UsageError('trace by event takes exactly two arguments: <partyId> <eventId>');
  }
  return { by: 'event', partyId, eventId };
}

function nonEmpty(value: string, flag: string): string {
  if (value.trim() === '') throw new UsageError(`${flag} must not be empty`);
  return value;
}

type TraceFlags = {
  local?: boolean | undefined;
  'log-file'?: string | undefined;
  stage?: string | undefined;
  region?: string | undefined;
  'log-group'?: string[] | undefined;
  since?: string | undefined;
};

/**
 * Local mode's log file with `--local`/`--log-file` (or when no stage or log group is named and the file
 * exists); otherwise CloudWatch Logs Insights over the stage's ingress and worker log groups.
 */
function traceReader(flags: TraceFlags, io: CliIo): TraceReader {
  const logFile = resolve(io.cwd, flags['log-file'] ?? `${io.env.STATE_DIR ?? '.state'}/${LOG_FILE_NAME}`);
  const aws = flags.stage !== undefined || (flags['log-group']?.length ?? 0) > 0;
  if (
    flags.local ||
    flags['log-file'] !== undefined ||
    io.env.RELAY_TARGET === 'local' ||
    (!aws && existsSync(logFile))
  ) {
    const file = localLogReader(logFile);
    if (flags.since === undefined) return file;
    // The local file holds at most two generations; a window is applied only when asked for.
    const from = sinceDate(flags.since, new Date()).getTime();
    return {
      find: async (query) =>
        (await file.find(query)).filter((record) => Date.parse(record.timestamp) >= from),
    };
  }
  if (!aws) {
    throw new UsageError(
      `no log source: pass --stage <stage> (or --log-group) for AWS, or run the local relay (npm start) so ${logFile} exists`,
    );
  }
  const region = flags.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION;
  const client = new CloudWatchLogsClient(region ? { region } : {});
  const end = new Date();
  const start = sinceDate(flags.since, end);
  let groups: string[] | undefined = flags['log-group'];
  return {
    async find(query) {
      groups ??= await relayLogGroups(client, flags.stage as string);
      return logsInsightsReader({ client, logGroupNames: groups, start, end }).find(query);
    },
  };
}

/** `24h`, `90m`, `7d`, `3600s` back from now, or an ISO 8601 time. */
export function sinceDate(since: string | undefined, now: Date): Date {
  if (since === undefined) return new Date(now.getTime() - DEFAULT_WINDOW_MS);
  const relative = /^(\d+)([smhd])$/.exec(since);
  if (relative) {
    const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 's' | 'm' | 'h' | 'd'];
    return new Date(now.getTime() - Number(relative[1]) * unit);
  }
  const absolute = Date.parse(since);
  if (Number.isNaN(absolute) || absolute > now.getTime()) {
    throw new UsageError(`--since must be a duration (24h, 90m, 7d) or a past ISO 8601 time, not "${since}"`);
  }
  return new Date(absolute);
}
