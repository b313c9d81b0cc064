import {
  type CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  GetQueryResultsCommand,
  type ResultField,
  StartQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { parseTraceRecord, type TraceRecord } from '../../../shared/observability/trace-fields';
import { matchesQuery, type TraceQuery } from './timeline';
import type { TraceReader } from './trace-reader';

/** Logs Insights returns at most this many rows per query. */
export const INSIGHTS_ROW_LIMIT = 10_000;

export type LogsInsightsOptions = {
  client: CloudWatchLogsClient;
  /** The ingress and worker log groups (see `relayLogGroups`). */
  logGroupNames: readonly string[];
  /** The time window searched. */
  start: Date;
  end: Date;
  /** Between GetQueryResults polls. @default 1000 */
  pollIntervalMs?: number;
  /** Give up after this long. @default 120000 */
  timeoutMs?: number;
};

/** A Logs Insights string literal: the value can come from a sender (an event id), so it is escaped. */
export function insightsString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The query for one trace. Powertools writes JSON lines, so Logs Insights discovers the trace fields
 * (docs/tracing.md) by name. A message id is also looked for in the text, because ingress lists it in an
 * array (`messageIds`); the rows are filtered again exactly on this side.
 */
export function traceQueryText(query: TraceQuery): string {
  const filter = (() => {
    switch (query.by) {
      case 'event':
        return `partyId = ${insightsString(query.partyId)} and eventId = ${insightsString(query.eventId)}`;
      case 'correlation':
        return `correlationId = ${insightsString(query.correlationId)}`;
      case 'message': {
        const id = insightsString(query.messageId);
        return `messageId = ${id} or sqsMessageId = ${id} or @message like ${id}`;
      }
    }
  })();
  return [
    'fields @timestamp, @message',
    `| filter ispresent(step) and (${filter})`,
    '| sort @timestamp asc',
    `| limit ${INSIGHTS_ROW_LIMIT}`,
  ].join('\n');
}

/** Trace lines from CloudWatch Logs Insights over both functions' log groups. */
export function logsInsightsReader(options: LogsInsightsOptions): TraceReader {
  return {
    async find(query) {
      const rows = await runQuery(options, traceQueryText(query));
      return parseInsightsRows(rows).filter((record) => matchesQuery(record, query));
    },
  };
}

async function runQuery(options: LogsInsightsOptions, queryString: string): Promise<ResultField[][]> {
  const { client } = options;
  const started = await client.send(
    new StartQueryCommand({
      logGroupNames: [...options.logGroupNames],
      startTime: Math.floor(options.start.getTime() / 1000),
      endTime: Math.ceil(options.end.getTime() / 1000),
      queryString,
      limit: INSIGHTS_ROW_LIMIT,
    }),
  );
  const queryId = started.queryId;
  if (!queryId) throw new Error('CloudWatch Logs did not start the query (no query id)');
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    const result = await client.send(new GetQueryResultsCommand({ queryId }));
    const status = result.status ?? 'Unknown';
    if (status === 'Complete') return result.results ?? [];
    if (status !== 'Running' && status !== 'Scheduled') {
      throw new Error(`the Logs Insights query ended with status ${status} (query id ${queryId})`);
    }
    if (Date.now() >= deadline)
      throw new Error(`the Logs Insights query is still ${status} (query id ${queryId})`);
    await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs ?? 1000));
  }
}

/**
 * Rows → trace records. `@message` is the JSON line Powertools printed; when it has no `timestamp` of its
 * own, CloudWatch's `@timestamp` (`2026-01-01 10:02:00.123`, UTC) stands in.
 */
export function parseInsightsRows(rows: readonly ResultField[][]): TraceRecord[] {
  const records: TraceRecord[] = [];
  for (const row of rows) {
    const field = (name: string) => row.find((cell) => cell.field === name)?.value;
    const message = field('@message');
    if (!message) continue;
    const at = field('@timestamp');
    const record = parseTraceRecord(message, at ? `${at.replace(' ', 'T')}Z` : undefined);
    if (record) records.push(record);
  }
  return records;
}

/**
 * The relay's log groups for a stage: CloudFormation names them after the stack,
 * `WebhookRelay-<stage>-Api-…` (infra/relay-app.ts), so the ingress and worker groups share that prefix.
 */
export async function relayLogGroups(client: CloudWatchLogsClient, stage: string): Promise<string[]> {
  const prefix = `WebhookRelay-${stage}-Api-`;
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: prefix, ...(nextToken ? { nextToken } : {}) }),
    );
    for (const group of page.logGroups ?? []) if (group.logGroupName) names.push(group.logGroupName);
    nextToken = page.nextToken;
  } while (nextToken);
  if (names.length === 0) {
    throw new Error(
      `no log groups named ${prefix}…: is the stage deployed in this region? (or pass --log-group)`,
    );
  }
  return names;
}
