import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  GetQueryResultsCommand,
  StartQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../../functions/cli/commands';
import { createRouter } from '../../../../functions/cli/router';
import {
  insightsString,
  logsInsightsReader,
  parseInsightsRows,
  traceQueryText,
} from '../../../../functions/cli/trace/logs-insights-reader';
import type { Timeline } from '../../../../functions/cli/trace/timeline';
import { traceWebhook } from '../../../../functions/cli/trace/trace-reader';

// The AWS path of `relay trace`, with CloudWatch Logs mocked at the SDK boundary. Rows have the shape
// GetQueryResults returns: `@timestamp` in CloudWatch's format, `@message` the line Powertools printed.
const logs = mockClient(CloudWatchLogsClient);
afterEach(() => logs.reset());

const INGRESS_GROUP = 'WebhookRelay-prod-Api-IngressLogGroupA1B2C3D4-xyz';
const WORKER_GROUP = 'WebhookRelay-prod-Api-WorkerLogGroupE5F6A7B8-xyz';
const MESSAGE_ID = '3f2b1c4d-0a1b-8c2d-9e3f-405162738495';

function row(at: string, line: Record<string, unknown>) {
  return [
    { field: '@timestamp', value: at.replace('T', ' ').replace('Z', '') },
    { field: '@message', value: JSON.stringify(line) },
    { field: '@ptr', value: 'CmAKJwojMTIzNDU2Nzg5MDEyOldlYmhvb2tSZWxheS1wcm9kLUFwaS1JbmdyZXNz' },
  ];
}

const base = { partyId: 'acme', eventId: 'evt-42', correlationId: 'corr-1' };
// The lines as the Lambda logger prints them (shared/observability/compact-log-formatter.ts): no time of
// their own (CloudWatch's @timestamp is it), level and request id only above INFO.
const ROWS = [
  row('2026-03-02T10:02:00.120Z', {
    message: 'webhook handled',
    ...base,
    step: 'accepted',
    status: 202,
    messageIds: [MESSAGE_ID],
  }),
  row('2026-03-02T10:02:00.420Z', {
    level: 'WARN',
    message: 'Workspace 365 did not take the delivery; retrying',
    requestId: 'c7f441e8-6aa9-46ce-b7e7-0b137cc51d0d',
    ...base,
    step: 'retry',
    messageId: MESSAGE_ID,
    sqsMessageId: 'sqs-1',
    receiveCount: 1,
    status: 503,
    reason: 'http',
    latencyMs: 87,
    retryInSeconds: 2,
    backoff: 'jitter',
  }),
  row('2026-03-02T10:02:03.001Z', {
    message: 'delivered',
    ...base,
    step: 'delivered',
    messageId: MESSAGE_ID,
    receiveCount: 2,
    status: 200,
    latencyMs: 64,
    activityIds: [98765],
  }),
];

describe('Logs Insights query text', () => {
  it('filters trace lines by party and event id, oldest first', () => {
    expect(traceQueryText({ by: 'event', partyId: 'acme', eventId: 'evt-42' })).toBe(
      [
        'fields @timestamp, @message',
        '| filter ispresent(step) and (partyId = "acme" and eventId = "evt-42")',
        '| sort @timestamp asc',
        '| limit 10000',
      ].join('\n'),
    );
    expect(traceQueryText({ by: 'correlation', correlationId: 'corr-1' })).toContain(
      '| filter ispresent(step) and (correlationId = "corr-1")',
    );
    expect(traceQueryText({ by: 'message', messageId: MESSAGE_ID })).toContain(
      `(messageId = "${MESSAGE_ID}" or sqsMessageId = "${MESSAGE_ID}" or @message like "${MESSAGE_ID}")`,
    );
  });

  it('escapes what a sender chose (an event id) so it cannot change the query', () => {
    expect(insightsString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(traceQueryText({ by: 'event', partyId: 'acme', eventId: 'x") or (1=1' })).toContain(
      'eventId = "x\\") or (1=1"',
    );
  });
});

describe('parsing GetQueryResults rows', () => {
  it('reads the JSON line of each row and ignores rows that are not trace lines', () => {
    const records = parseInsightsRows([
      ...ROWS,
      [{ field: '@message', value: 'START RequestId: 1234 Version: $LATEST' }],
      row('2026-03-02T10:02:04.000Z', { message: 'cold start', timestamp: '2026-03-02T10:02:04.000Z' }),
    ]);
    expect(records.map((record) => record.step)).toEqual(['accepted', 'retry', 'delivered']);
    expect(records[0]).toMatchObject({ timestamp: '2026-03-02T10:02:00.120Z', messageIds: [MESSAGE_ID] });
  });

  it("a line's own timestamp (local mode's file, older Lambda lines) wins over @timestamp", () => {
    const [record] = parseInsightsRows([
      row('2026-03-02T10:02:00.120Z', { ...base, step: 'accepted', timestamp: '2026-03-02T10:02:00.118Z' }),
    ]);
    expect(record?.timestamp).toBe('2026-03-02T10:02:00.118Z');
  });

  it("falls back to CloudWatch's @timestamp when the line has none", () => {
    const [record] = parseInsightsRows([
      [
        { field: '@timestamp', value: '2026-03-02 10:02:00.120' },
        {
          field: '@message',
          value: JSON.stringify({ step: 'rejected', status: 401, code: 'signature_invalid' }),
        },
      ],
    ]);
    expect(record).toMatchObject({ timestamp: '2026-03-02T10:02:00.120Z', step: 'rejected', status: 401 });
  });
});

describe('traceWebhook over Logs Insights', () => {
  it('starts the query over both log groups and the window, polls until Complete, builds the timeline', async () => {
    logs.on(StartQueryCommand).resolves({ queryId: 'q-1' });
    logs
      .on(GetQueryResultsCommand)
      .resolvesOnce({ status: 'Running', results: [] })
      .resolves({ status: 'Complete', results: ROWS });
    const client = new CloudWatchLogsClient({ region: 'eu-west-1' });
    const start = new Date('2026-03-01T10:00:00Z');
    const end = new Date('2026-03-02T10:00:00Z');

    const timeline = await traceWebhook(
      { by: 'event', partyId: 'acme', eventId: 'evt-42' },
      logsInsightsReader({
        client,
        logGroupNames: [INGRESS_GROUP, WORKER_GROUP],
        start,
        end,
        pollIntervalMs: 1,
      }),
    );

    expect(logs.commandCalls(StartQueryCommand)[0]?.args[0].input).toEqual({
      logGroupNames: [INGRESS_GROUP, WORKER_GROUP],
      startTime: start.getTime() / 1000,
      endTime: end.getTime() / 1000,
      queryString: traceQueryText({ by: 'event', partyId: 'acme', eventId: 'evt-42' }),
      limit: 10_000,
    });
    expect(logs.commandCalls(GetQueryResultsCommand)).toHaveLength(2);
    expect(timeline.outcome).toBe('delivered');
    expect(timeline.deliveries[0]?.attempts.map((attempt) => [attempt.receiveCount, attempt.status])).toEqual(
      [
        [1, 503],
        [2, 200],
      ],
    );
    expect(timeline.deliveries[0]?.end).toMatchObject({ state: 'delivered', activityIds: [98765] });
  });

  it('a failed query is an error that names its status', async () => {
    logs.on(StartQueryCommand).resolves({ queryId: 'q-2' });
    logs.on(GetQueryResultsCommand).resolves({ status: 'Failed' });
    const reader = logsInsightsReader({
      client: new CloudWatchLogsClient({ region: 'eu-west-1' }),
      logGroupNames: [INGRESS_GROUP],
      start: new Date(0),
      end: new Date(),
      pollIntervalMs: 1,
    });
    await expect(reader.find({ by: 'correlation', correlationId: 'c' })).rejects.toThrow(/status Failed/);
  });
});

describe('relay trace --stage (AWS)', () => {
  it("finds the stage's log groups, asks by message id then by the event it names, and exits 0 when delivered", async () => {
    logs.on(DescribeLogGroupsCommand).resolves({
      logGroups: [{ logGroupName: INGRESS_GROUP }, { logGroupName: WORKER_GROUP }],
    });
    logs.on(StartQueryCommand).resolves({ queryId: 'q-3' });
    logs.on(GetQueryResultsCommand).resolves({ status: 'Complete', results: ROWS });
    const out: string[] = [];
    const code = await createRouter('relay', COMMANDS).run(
      ['trace', '--message-id', MESSAGE_ID, '--stage', 'prod', '--region', 'eu-west-1', '--json'],
      { out: (line) => out.push(line), err: () => {}, env: {}, cwd: '/nonexistent' },
    );

    expect(code).toBe(0);
    expect(logs.commandCalls(DescribeLogGroupsCommand)[0]?.args[0].input).toEqual({
      logGroupNamePrefix: 'WebhookRelay-prod-Api-',
    });
    const queries = logs.commandCalls(StartQueryCommand).map((call) => call.args[0].input.queryString);
    expect(queries).toEqual([
      traceQueryText({ by: 'message', messageId: MESSAGE_ID }),
      traceQueryText({ by: 'event', partyId: 'acme', eventId: 'evt-42' }),
    ]);
    const window = logs.commandCalls(StartQueryCommand)[0]?.args[0].input;
    expect((window?.endTime ?? 0) - (window?.startTime ?? 0)).toBeGreaterThanOrEqual(24 * 60 * 60);
    const timeline = JSON.parse(out.join('\n')) as Timeline;
    expect(timeline.deliveries).toHaveLength(1);
    expect(timeline.deliveries[0]?.attempts).toHaveLength(2);
  });

  it('without a stage, log group or local log file it says where logs can come from (exit 2)', async () => {
    const err: string[] = [];
    const code = await createRouter('relay', COMMANDS).run(['trace', 'acme', 'evt-42'], {
      out: () => {},
      err: (line) => err.push(line),
      env: {},
      cwd: '/nonexistent',
    });
    expect(code).toBe(2);
    expect(err.join('\n')).toContain('--stage');
  });
});
