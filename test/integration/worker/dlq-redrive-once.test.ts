import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../functions/cli/commands';
import { peekAll } from '../../../functions/cli/dlq/receive-all';
import { createRouter } from '../../../functions/cli/router';
import { queueMessage } from '../../support/queue-messages';
import { waitFor } from '../../support/wait-for';
import { startWorkerRelay, type WorkerRelay } from '../../support/worker-relay';

// The redrive guarantee end to end: the real worker runs while `relay dlq redrive` does, and dead-letters
// the moved message again (Workspace 365 keeps refusing it). Each run must post it exactly once and print
// 1 — a copy that comes back during the run is left for the next one. To make "comes back during the run"
// certain rather than a race, the CLI talks to the emulator through a proxy that holds every answer to a
// DeleteMessageBatch (the end of a move) until the worker has dead-lettered the copy.
let relay: WorkerRelay | undefined;
let dir: string | undefined;
let proxy: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (proxy ? proxy.close(resolve) : resolve(undefined)));
  proxy = undefined;
  await relay?.close();
  relay = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Forwards SQS requests to the emulator; after a DeleteMessageBatch it waits until `settled()` holds. */
async function slowDeleteProxy(target: string, settled: () => Promise<boolean>): Promise<string> {
  proxy = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const headers = Object.fromEntries(
      Object.entries(request.headers).filter(([name]) => name !== 'host' && name !== 'content-length'),
    ) as Record<string, string>;
    const answer = await fetch(`${target}${request.url ?? '/'}`, {
      method: request.method ?? 'POST',
      headers,
      ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
    });
    const body = Buffer.from(await answer.arrayBuffer());
    if (String(request.headers['x-amz-target'] ?? '').endsWith('DeleteMessageBatch')) {
      await waitFor(settled, { timeoutMs: 5_000, what: 'the worker to dead-letter the copy' }).catch(
        () => {},
      );
    }
    response.writeHead(answer.status, {
      'content-type': answer.headers.get('content-type') ?? 'application/json',
    });
    response.end(body);
  });
  await new Promise<void>((resolve) => proxy?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}

const RUNS = 3;

async function setUp() {
  const current = await startWorkerRelay({
    parties: [
      { id: 'acme', apiKey: 'acme-key-1' },
      { id: 'globex', apiKey: 'globex-key-1' },
    ],
  });
  relay = current;
  dir = mkdtempSync(join(tmpdir(), 'relay-redrive-'));
  mkdirSync(join(dir, '.state'));
  let postsBefore = 0;
  const endpoint = await slowDeleteProxy(current.sqs.endpoint, async () => {
    const settled = posts(current) > postsBefore && (await current.count(current.sqs.dlqUrl)) > 0;
    if (settled) postsBefore = posts(current);
    return settled;
  });
  writeFileSync(
    join(dir, '.state', 'local.json'),
    JSON.stringify({
      sqsEndpoint: endpoint,
      queueUrl: current.sqs.queueUrl,
      dlqUrl: current.sqs.dlqUrl,
    }),
  );
  // Workspace 365 refuses every post: the message is dead-lettered as `rejected` each time it is sent.
  current.sandbox.script({
    status: 400,
    body: { globalError: null, fieldErrors: { 'Scope.Groups[0].Name': { message: 'unknown group' } } },
    times: Number.POSITIVE_INFINITY,
  });
  const message = queueMessage('acme');
  await current.send(message);
  current.startPoller();
  await waitForDeadLetters(current, 1);
  expect(posts(current)).toBe(1);
  postsBefore = 1;
  return { current, cwd: dir, message };
}

const posts = (current: WorkerRelay) => current.sandbox.requests().length;

async function waitForDeadLetters(current: WorkerRelay, count: number) {
  await waitFor(
    async () =>
      (await current.count(current.sqs.queueUrl)) === 0 &&
      (await peekAll(current.sqs.client, current.sqs.dlqUrl, { waitTimeSeconds: 0 })).length === count,
    { timeoutMs: 10_000, what: `${count} message(s) in the DLQ and none on the main queue` },
  );
}

async function cli(cwd: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await createRouter('relay', COMMANDS).run(argv, {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    env: {},
    cwd,
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('relay dlq redrive moves each dead-lettered message at most once per run', () => {
  for (const filter of [[], ['--party', 'acme'], ['--reason', 'rejected']]) {
    it(`redrive ${filter.join(' ') || '(everything)'} ${RUNS} times: ${RUNS} posts, "moved 1" each time`, async () => {
      const { current, cwd, message } = await setUp();
      for (let run = 1; run <= RUNS; run++) {
        const result = await cli(cwd, 'dlq', 'redrive', '--local', ...filter);
        expect(result.code).toBe(0);
        expect(result.out).toMatch(/^moved 1 message\(s\) back to the main queue/);
        await waitFor(() => posts(current) === 1 + run, { timeoutMs: 10_000, what: `post ${1 + run}` });
        await waitForDeadLetters(current, 1);
        expect(posts(current)).toBe(1 + run);
      }
      const [copy] = await peekAll(current.sqs.client, current.sqs.dlqUrl, { waitTimeSeconds: 0 });
      expect(JSON.parse(copy?.Body ?? '{}').id).toBe(message.id);
      // Every post carried the same delivery id: Workspace 365 can tell the retries apart from new events.
      expect(new Set(current.sandbox.requests().map((request) => request.idempotencyKey))).toEqual(
        new Set([message.id]),
      );
    });
  }

  it('--dry-run lists what would move and moves nothing', async () => {
    const { current, cwd, message } = await setUp();
    const result = await cli(cwd, 'dlq', 'redrive', '--local', '--dry-run');
    expect(result.code).toBe(0);
    expect(result.out).toContain('would move 1 message(s) back to the main queue (dry run: nothing moved)');
    expect(result.out).toMatch(new RegExp(`${message.id}\\s+acme\\s+rejected`));
    expect(await current.count(current.sqs.queueUrl)).toBe(0);
    expect(await peekAll(current.sqs.client, current.sqs.dlqUrl, { waitTimeSeconds: 0 })).toHaveLength(1);
    expect(posts(current)).toBe(1);
  });
});
