import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalWorker } from '../functions/local/local-worker';
import { startSqsEmulator } from '../functions/local/sqs-emulator';
import { SecretsManagerSecretStore } from '../shared/adapters/secrets-manager-store';
import { SqsMessageQueue } from '../shared/adapters/sqs-message-queue';
import type { RelayConfig } from '../shared/config/relay-config';
import type { PartySecret } from '../shared/config/secret-value';
import type { QueueMessage } from '../shared/envelope/queue-message';
import { InMemoryCacheClient } from '../shared/idempotency/in-memory-cache-client';
import { silentLogger } from '../shared/observability/logger';
import { InMemoryMetrics } from '../shared/observability/metrics';
import { startSandbox } from '../shared/workspace365/sandbox';
import { startSecretsManagerStub } from '../test/support/secrets-manager-stub';
import type { LoadResult } from './ingress';

const DELIVERIES = 1000;
const PARTIES = ['workdrive-demo', 'huddle-demo', 'w365-demo'];

/**
 * The real worker handler (through the local SQS poller) draining pre-queued deliveries for 3 parties,
 * with party keys from the real Secrets Manager store against a loopback Secrets Manager; then the
 * sandbox's own maximum, straight at it with the same kind of request.
 */
export async function benchWorker(
  config: RelayConfig,
  secrets: Record<string, PartySecret>,
  workDir: string,
) {
  const parties = config.parties.filter((party) => PARTIES.includes(party.id));
  const keys = parties.map((party) => secrets[party.secretName]?.workspace365ApiKey ?? '');
  const sandbox = await startSandbox({ environments: { demo: { apiKeys: keys } } });
  const relayConfig: RelayConfig = {
    ...config,
    parties: parties.map((party) => ({ ...party, target: { ...party.target, baseUrl: sandbox.url } })),
  };
  const stub = await startSecretsManagerStub(
    Object.fromEntries(parties.map((party) => [party.secretName, secrets[party.secretName]])),
  );
  const emulator = await startSqsEmulator({ maxReceives: config.retry.maxReceives });
  const messages: QueueMessage[] = Array.from({ length: DELIVERIES }, (_, index) => ({
    v: 1,
    id: randomUUID(),
    partyId: parties[index % parties.length]?.id ?? '',
    kind: 'activity',
    payload: { User: { Upn: `user${index % 50}@demo.example` }, Title: `Delivery ${index}` },
    eventId: `evt-${index}`,
    event: 'bench',
    receivedAt: new Date().toISOString(),
    correlationId: randomUUID(),
  }));
  await new SqsMessageQueue({ client: emulator.client, queueUrl: emulator.queueUrl }).sendAll(messages);

  const started = performance.now();
  const worker = await startLocalWorker({
    config: relayConfig,
    secrets: new SecretsManagerSecretStore({ client: stub.client(), cacheTtlSeconds: 300 }),
    emulator,
    dedupStore: new InMemoryCacheClient(),
    metrics: new InMemoryMetrics(),
    logger: silentLogger,
  });
  while (sandbox.activities().length < DELIVERIES) await new Promise((resolve) => setTimeout(resolve, 20));
  const seconds = (performance.now() - started) / 1000;
  await worker.stop();
  const workerRps = DELIVERIES / seconds;
  const secretsCallsPer1000 = (stub.calls.length / DELIVERIES) * 1000;

  // The sandbox alone, at the worker's concurrency (2 pollers × up to 10 records, 4 per party each).
  const requestsFile = join(workDir, 'sandbox-requests.json');
  writeFileSync(
    requestsFile,
    JSON.stringify(
      Array.from({ length: 3000 }, (_, index) => ({
        path: '/demo/api/activities',
        headers: {
          'content-type': 'application/json',
          authorization: `Workspace365 ${keys[index % keys.length]}`,
        },
        body: JSON.stringify({ User: { Upn: `user${index % 50}@demo.example` }, Title: `Direct ${index}` }),
      })),
    ),
  );
  const direct = await load(sandbox.url, requestsFile, 16, 5);
  await Promise.all([sandbox.close(), emulator.close(), stub.close()]);
  if (direct.non2xx > 0 || direct.errors > 0)
    throw new Error(`sandbox: ${direct.non2xx} non-2xx, ${direct.errors} errors`);
  return {
    workerRps,
    sandboxRps: direct.rps,
    workerRatio: workerRps / direct.rps,
    secretsCallsPer1000,
    secretsCalls: stub.calls.length,
    deliveries: DELIVERIES,
  };
}

function load(
  url: string,
  requestsFile: string,
  connections: number,
  durationSeconds: number,
): Promise<LoadResult> {
  const job = JSON.stringify({ url, requestsFile, connections, durationSeconds });
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
