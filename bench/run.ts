import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRelayConfig } from '../shared/config/load-config';
import type { PartySecret } from '../shared/config/secret-value';
import { benchBundles } from './bundles';
import { benchEndToEnd } from './e2e';
import { benchIngress } from './ingress';
import { round } from './stats';
import { benchWorker } from './worker';

// `npm run bench`: loopback only, a few minutes, everything it starts is stopped. Prints a table and, last,
// one line `BENCH_JSON {...}`.
process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const config = loadRelayConfig('relay.config.example.json');
const secrets = JSON.parse(readFileSync('secrets.local.example.json', 'utf8')) as Record<string, PartySecret>;
const workDir = mkdtempSync(join(tmpdir(), 'relay-bench-'));

try {
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    process.stderr.write(`bench: ${name}…\n`);
    return run();
  };
  const ingress = await step('ingress vs bare node:http', () => benchIngress(config, secrets, workDir));
  const e2e = await step('local mode end to end', () => benchEndToEnd(config, secrets, workDir));
  const worker = await step('worker vs sandbox, Secrets Manager calls', () =>
    benchWorker(config, secrets, workDir),
  );
  const bundles = await step('bundles and cold start', () => benchBundles(workDir));

  const result = {
    cores: availableParallelism(),
    node: process.version,
    ingressRps: round(ingress.ingressRps),
    baselineRps: round(ingress.baselineRps),
    ingressRatio: round(ingress.ingressRatio, 3),
    e2eRps: round(e2e.e2eRps),
    e2eP50Ms: e2e.e2eP50Ms,
    e2eP99Ms: e2e.e2eP99Ms,
    workerRps: round(worker.workerRps),
    sandboxRps: round(worker.sandboxRps),
    workerRatio: round(worker.workerRatio, 3),
    bundleKb: bundles.bundleKb,
    initMs: Object.fromEntries(Object.entries(bundles.initMs).map(([name, ms]) => [name, round(ms)])),
    emptyNodeMs: round(bundles.emptyNodeMs),
    secretsCallsPer1000: round(worker.secretsCallsPer1000, 2),
  };
  const rows: [string, string, string][] = [
    [
      'ingress (verify+map+validate+dedup, no-op queue)',
      `${result.ingressRps} req/s`,
      `p50 ${ingress.ingressP50Ms} ms, p99 ${ingress.ingressP99Ms} ms`,
    ],
    ['bare node:http answering 202', `${result.baselineRps} req/s`, ''],
    ['ingressRatio', String(result.ingressRatio), 'target ≥ 0.5'],
    [
      'end to end (local mode)',
      `${result.e2eRps} webhooks/s`,
      `p50 ${result.e2eP50Ms} ms, p99 ${result.e2eP99Ms} ms (${e2e.e2eWebhooks} webhooks)`,
    ],
    ['worker deliveries', `${result.workerRps} /s`, `${worker.deliveries} deliveries, 3 parties`],
    ['sandbox alone (16 connections)', `${result.sandboxRps} req/s`, `workerRatio ${result.workerRatio}`],
    ...Object.keys(result.bundleKb).map((name): [string, string, string] => [
      `${name} bundle / init`,
      `${result.bundleKb[name as keyof typeof result.bundleKb]} KB`,
      `${result.initMs[name]} ms (empty node ${result.emptyNodeMs} ms; targets ≤ 300 KB, init − empty ≤ 150 ms)`,
    ]),
    [
      'Secrets Manager calls per 1000 deliveries',
      String(result.secretsCallsPer1000),
      'target ≤ 3 (3 parties, one TTL)',
    ],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(`\nbenchmark on ${result.cores} cores, Node ${result.node}\n`);
  for (const [name, value, note] of rows) console.log(`${name.padEnd(width)}  ${value.padEnd(20)} ${note}`);
  console.log(`\nBENCH_JSON ${JSON.stringify(result)}`);
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
