import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startIngressServer } from '../functions/local/ingress-server';
import type { RelayConfig } from '../shared/config/relay-config';
import type { PartySecret } from '../shared/config/secret-value';
import { createOnce } from '../shared/idempotency/once';
import { createPersistenceStore } from '../shared/idempotency/persistence-store';
import { DEDUP_WINDOW_SECONDS, handleWebhook } from '../shared/ingress/handle-webhook';
import { PartyRegistry } from '../shared/ingress/party-registry';
import { silentLogger } from '../shared/observability/logger';
import { InMemoryMetrics } from '../shared/observability/metrics';
import { systemClock } from '../shared/ports/clock';
import type { MessageQueue } from '../shared/ports/message-queue';
import type { SecretStore } from '../shared/ports/secret-store';
import { prepareRequests } from './signed-requests';

export type LoadResult = {
  rps: number;
  total: number;
  non2xx: number;
  errors: number;
  latencyP50: number;
  latencyP99: number;
  used: number;
  pool: number;
};

const CONNECTIONS = 16;
const DURATION_SECONDS = 8;

/**
 * The relay's own cost: the ingress core (verify, parse, map, validate, dedup) behind the local HTTP host,
 * with the queue send replaced by a no-op, against a bare node:http server that answers 202 to the same
 * requests. Same load generator, connections and duration for both.
 */
export async function benchIngress(
  config: RelayConfig,
  secrets: Record<string, PartySecret>,
  workDir: string,
) {
  const requestsFile = join(workDir, 'requests.json');
  writeFileSync(requestsFile, JSON.stringify(prepareRequests(config, secrets, 60_000)));

  const baseline = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(202, { 'content-type': 'application/json' });
      response.end('{"accepted":1}');
    });
  });
  await new Promise<void>((resolve) => baseline.listen(0, '127.0.0.1', resolve));
  const baselineUrl = `http://127.0.0.1:${(baseline.address() as AddressInfo).port}`;
  const baselineResult = await load(baselineUrl, requestsFile);
  await new Promise<void>((resolve) => baseline.close(() => resolve()));

  const noopQueue: MessageQueue = { sendAll: async () => {} };
  const secretStore: SecretStore = {
    get: async (name) => {
      const secret = secrets[name];
      if (!secret) throw new Error(`no secret ${name}`);
      return secret;
    },
  };
  const deps = {
    parties: new PartyRegistry(config),
    secrets: secretStore,
    queue: noopQueue,
    once: createOnce(createPersistenceStore({}), {
      expiresAfterSeconds: DEDUP_WINDOW_SECONDS,
      namespace: 'ingress',
    }),
    metrics: new InMemoryMetrics(),
    logger: silentLogger,
    clock: systemClock,
  };
  const relay = await startIngressServer({ handle: (request) => handleWebhook(request, deps) });
  const relayResult = await load(relay.url, requestsFile);
  await relay.close();

  for (const [name, result] of [
    ['baseline', baselineResult],
    ['ingress', relayResult],
  ] as const) {
    if (result.non2xx > 0 || result.errors > 0)
      throw new Error(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    // The baseline has no dedup, so it may cycle through the pool; the relay must see every request once.
    if (name === 'ingress' && result.used > result.pool) {
      throw new Error('the request pool wrapped: the relay would answer duplicates, which is cheaper');
    }
  }
  return {
    ingressRps: relayResult.rps,
    baselineRps: baselineResult.rps,
    ingressRatio: relayResult.rps / baselineResult.rps,
    ingressP50Ms: relayResult.latencyP50,
    ingressP99Ms: relayResult.latencyP99,
  };
}

function load(url: string, requestsFile: string): Promise<LoadResult> {
  const job = JSON.stringify({
    url,
    requestsFile,
    connections: CONNECTIONS,
    durationSeconds: DURATION_SECONDS,
  });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/load.ts', job], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(output) as LoadResult)
        : reject(new Error(`load generator exited ${code}`)),
    );
  });
}
