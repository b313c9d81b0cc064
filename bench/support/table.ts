import { PLATFORM_LOG_LINES_BY_DEFAULT } from '../../infra/constructs/relay-function';
import { fixedMonthly } from './costs';
import { ASSUMED_LATENCY_MS, PRICES } from './prices';
import type { BenchSummary, MeasurementResults, TargetCheck } from './summary';

type Row = [measurement: string, figure: string, target: string, detail: string];

const HEADER: Row = ['measurement', 'figure', 'target', 'detail'];

/** The human-readable table `npm run bench` prints before its JSON line. */
export function renderTable(summary: BenchSummary, results: MeasurementResults): string {
  const rows = tableRows(summary, results);
  const widths = [0, 1, 2].map((column) =>
    Math.max(...[HEADER, ...rows].map((row) => row[column]?.length ?? 0)),
  );
  const line = (row: Row) =>
    row
      .map((cell, column) => (column < 3 ? cell.padEnd(widths[column] ?? 0) : cell))
      .join('  ')
      .trimEnd();
  const failures = Object.entries(summary.failed).map(
    ([name, reason]) => `FAILED ${name}: ${reason.split('\n')[0]}`,
  );
  return [
    `webhook relay benchmark — ${summary.cores} cores, Node ${summary.node}, loopback only`,
    '',
    line(HEADER),
    line(widths.map((width) => '-'.repeat(width)).concat('------') as Row),
    ...rows.map(line),
    ...(failures.length > 0 ? ['', ...failures] : []),
  ].join('\n');
}

export function tableRows(summary: BenchSummary, results: MeasurementResults): Row[] {
  const rows: Row[] = [];
  const target = (name: string) => describeTarget(summary.targets.find((check) => check.name === name));
  const { ingress, e2e, worker, secrets, bundles, lambda } = results;
  if (ingress && summary.ingressRps !== undefined) {
    const { ingress: relay, baseline } = ingress;
    rows.push(
      [
        'ingress: core + local HTTP host, no-op queue',
        `${summary.ingressRps} req/s`,
        '',
        `p50 ${relay.latencyP50Ms} ms, p99 ${relay.latencyP99Ms} ms; ${relay.ok} webhooks in ${relay.seconds} s; server CPU ${Math.round(ingress.ingressCpuUs)} µs/webhook`,
      ],
      [
        'baseline: bare node:http answering 202',
        `${summary.baselineRps} req/s`,
        '',
        `p50 ${baseline.latencyP50Ms} ms, p99 ${baseline.latencyP99Ms} ms; same generator and requests; server CPU ${Math.round(ingress.baselineCpuUs)} µs/request`,
      ],
      ['  ingressRatio', String(summary.ingressRatio), target('ingressRatio'), 'ingress ÷ baseline'],
      [
        'floor: same host, signature + JSON parse only',
        `${Math.round(ingress.floorRps * 10) / 10} req/s`,
        '',
        `ratio ${summary.floorRatio} (reference: no mapping, validation, dedup or logging); server CPU ${Math.round(ingress.floorCpuUs)} µs/request`,
      ],
    );
  }
  if (e2e && summary.e2eRps !== undefined) {
    rows.push([
      'end to end: local mode (npm start)',
      `${summary.e2eRps} webhooks/s`,
      '',
      `p50 ${summary.e2eP50Ms} ms, p99 ${summary.e2eP99Ms} ms POST → at the sandbox; ${e2e.webhooks} webhooks (${e2e.deliveries} deliveries) in ${e2e.seconds.toFixed(1)} s, all accepted after ${e2e.postingSeconds.toFixed(1)} s`,
    ]);
  }
  if (worker && summary.workerRps !== undefined) {
    rows.push(
      [
        'worker: Lambda handler via SQS poller',
        `${summary.workerRps} deliveries/s`,
        '',
        `${worker.worker.deliveries} pre-queued deliveries, up to ${worker.concurrency} in flight`,
      ],
      [
        'sandbox alone, same concurrency',
        `${summary.sandboxRps} req/s`,
        '',
        `${worker.concurrency} connections, the same Workspace 365 requests`,
      ],
      ['  workerRatio', String(summary.workerRatio), '', 'worker ÷ sandbox alone'],
    );
  }
  if (bundles && summary.bundleKb && summary.initMs && summary.emptyNodeMs !== undefined) {
    for (const name of ['ingress', 'worker'] as const) {
      const figures = bundles.functions[name];
      const largest = figures.largest.map(([pkg, kb]) => `${pkg} ${Math.round(kb)}`).join(', ');
      rows.push([
        `${name} bundle (index.mjs, minified)`,
        `${summary.bundleKb[name]} KB`,
        target(`bundleKb.${name}`),
        `largest: ${largest}; source map ${Math.round(figures.sourceMapKb)} KB`,
      ]);
    }
    for (const name of ['ingress', 'worker'] as const) {
      rows.push([
        `${name} init (process start → handler loaded)`,
        `${summary.initMs[name]} ms`,
        target(`initMs.${name} - emptyNodeMs`),
        `${Math.round(summary.initMs[name] - summary.emptyNodeMs)} ms over an empty node${sdkShare(bundles.functions[name].sdkOnlyMs, summary.emptyNodeMs)}; median of ${bundles.functions[name].initRunsMs.length}, ${bundles.functions[name].runtime} bundle${summary.initNode ? ` imported by Node ${summary.initNode}` : ''}`,
      ]);
    }
    rows.push(['empty node (same env and cwd)', `${summary.emptyNodeMs} ms`, '', '']);
    if (summary.initMsNode20) {
      const { ingress: ingressMs, worker: workerMs, emptyNodeMs, node } = summary.initMsNode20;
      rows.push([
        `  same, Node ${node}`,
        `${ingressMs} / ${workerMs} ms`,
        '',
        `ingress / worker; +${Math.round(ingressMs - emptyNodeMs)} / +${Math.round(workerMs - emptyNodeMs)} ms over an empty node (${emptyNodeMs} ms)`,
      ]);
    }
  }
  if (lambda && summary.costPerMillion !== undefined) {
    const lines = summary.costPerMillionByService ?? {};
    const requests = Object.entries(lambda.awsRequestsPerWebhook)
      .map(([operation, count]) => `${operation} ${Math.round(count * 100) / 100}`)
      .join(', ');
    rows.push(
      [
        'Lambda shape: cost per million webhooks',
        `$${summary.costPerMillion}`,
        target('costPerMillion'),
        `usage at ${PRICES.region} list prices of ${PRICES.checked}; ${lambda.acceptedWebhooks} accepted webhooks on Node ${lambda.node}`,
      ],
      ...Object.entries(lines).map(([service, usd]): Row => [`  ${service}`, `$${usd}`, '', '']),
      [
        '  AWS requests per webhook',
        requests || 'none',
        '',
        'counted at the loopback stand-ins (fauxqs, dynalite, Secrets Manager stub)',
      ],
      [
        '  DynamoDB write units per webhook',
        String(summary.dynamoWruPerWebhook),
        target('dynamoWruPerWebhook'),
        `from item sizes (dynalite); read units ${Math.round(lambda.dynamoRruPerWebhook * 100) / 100}`,
      ],
      [
        '  log bytes per webhook',
        String(summary.logBytesPerWebhook),
        target('logBytesPerWebhook'),
        `ingress ${Math.round(lambda.logBytes.ingress)}, worker ${Math.round(lambda.logBytes.worker)}, API access log ${Math.round(lambda.logBytes.accessLog)}; Lambda's START/END/REPORT lines ${PLATFORM_LOG_LINES_BY_DEFAULT ? 'included' : 'off (JSON log format, system level WARN)'}`,
      ],
      [
        '  ingress invocation CPU (median)',
        `${summary.ingressInvocationCpuMs} ms`,
        target('ingressInvocationCpuMs'),
        `worker batch: ${summary.workerInvocationCpuMs} ms; billed ms assume ${Object.entries(
          ASSUMED_LATENCY_MS,
        )
          .map(([service, ms]) => `${service} ${ms}`)
          .join(
            ', ',
          )} ms per call → ingress ${Math.round(lambda.billedMs.ingress)}, worker ${Math.round(lambda.billedMs.worker)} per invocation`,
      ],
    );
  }
  if (summary.fixedMonthlyUsd1000Parties !== undefined) {
    const few = fixedMonthly(4);
    const many = fixedMonthly(1000);
    const detail = Object.entries(many.lines)
      .map(([line, usd]) => `${line} $${Math.round(usd * 100) / 100}`)
      .join(', ');
    rows.push(
      [
        'fixed monthly, 4 parties',
        `$${summary.fixedMonthlyUsd4Parties}`,
        '',
        `+ $${few.secrets.toFixed(2)} for their secrets`,
      ],
      [
        'fixed monthly, 1,000 parties',
        `$${summary.fixedMonthlyUsd1000Parties}`,
        target('fixedMonthlyUsd1000Parties'),
        `${detail}; + $${many.secrets.toFixed(0)} for their secrets`,
      ],
    );
  }
  if (secrets && summary.secretsCallsPer1000 !== undefined) {
    rows.push([
      'Secrets Manager calls per 1000 deliveries',
      String(summary.secretsCallsPer1000),
      target('secretsCallsPer1000'),
      `${secrets.parties} parties, one worker instance; ${secrets.calls} calls (stub counted ${secrets.stubCalls}) for ${secrets.deliveries} deliveries in ${secrets.seconds.toFixed(1)} s`,
    ]);
  }
  return rows;
}

function describeTarget(check: TargetCheck | undefined): string {
  if (!check) return '';
  return check.met ? `${check.target} met` : `${check.target} MISSED by ${check.missedBy}`;
}

/** "; the runtime SDK it imports, alone: +N ms" — the part of init that is the SDK's. */
function sdkShare(sdkOnlyMs: number | undefined, emptyNodeMs: number): string {
  return sdkOnlyMs === undefined
    ? ''
    : ` (its runtime SDK imports alone: +${Math.round(sdkOnlyMs - emptyNodeMs)} ms)`;
}
