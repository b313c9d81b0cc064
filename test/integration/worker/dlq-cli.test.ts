import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SqsEmulator, startSqsEmulator } from '../../../devkit/sqs/sqs-emulator';
import { COMMANDS } from '../../../functions/cli/commands';
import { createRouter } from '../../../functions/cli/router';
import { SqsDeliveryQueue } from '../../../shared/adapters/sqs-delivery-queue';
import type { QueueMessage } from '../../../shared/envelope/queue-message';
import { queueMessage } from '../../support/queue-messages';

let sqs: SqsEmulator;
let dir: string;
let stateFile: string;

beforeAll(async () => {
  sqs = await startSqsEmulator({ maxReceives: 3 });
  dir = mkdtempSync(join(tmpdir(), 'relay-cli-'));
  stateFile = join(dir, '.state', 'local.json');
  await import('node:fs/promises').then((fs) => fs.mkdir(join(dir, '.state')));
  writeFileSync(
    stateFile,
    JSON.stringify({ sqsEndpoint: sqs.endpoint, queueUrl: sqs.queueUrl, dlqUrl: sqs.dlqUrl }),
  );
});

afterAll(async () => {
  await sqs.close();
  rmSync(dir, { recursive: true, force: true });
});

async function drain(queueUrl: string) {
  const all = [];
  for (;;) {
    const { Messages = [] } = await sqs.client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) return all;
    all.push(...Messages);
    const { DeleteMessageBatchCommand } = await import('@aws-sdk/client-sqs');
    await sqs.client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle ?? '',
        })),
      }),
    );
  }
}

let acme: QueueMessage;
let globex: QueueMessage;

beforeEach(async () => {
  await drain(sqs.queueUrl);
  await drain(sqs.dlqUrl);
  const dlq = new SqsDeliveryQueue({
    client: sqs.jsonClient,
    queueUrl: sqs.queueUrl,
    deadLetterQueueUrl: sqs.dlqUrl,
  });
  acme = queueMessage('acme', { payload: { User: { Upn: 'anna@x.example' }, Title: 'PRIVATE-TITLE' } });
  globex = queueMessage('globex');
  await dlq.sendToDeadLetter(JSON.stringify(acme), {
    reason: 'rejected',
    status: 400,
    errorMessage: 'Title: Title is required',
    attempts: 1,
    failedAt: '2026-01-01T00:00:00.000Z',
    partyId: 'acme',
    kind: 'activity',
    sourceMessageId: 'main-1',
  });
  await dlq.sendToDeadLetter(JSON.stringify(globex), {
    reason: 'retries_exhausted',
    status: 503,
    errorMessage: 'gave up after 3 attempts; last: Workspace 365 answered 503',
    attempts: 3,
    failedAt: '2026-01-01T00:01:00.000Z',
    partyId: 'globex',
    kind: 'activity',
  });
  // What the SQS redrive policy moves after a crash: ingress attributes only, no reason.
  await sqs.client.send(
    new SendMessageCommand({
      QueueUrl: sqs.dlqUrl,
      MessageBody: JSON.stringify(queueMessage('acme')),
      MessageAttributes: {
        partyId: { DataType: 'String', StringValue: 'acme' },
        kind: { DataType: 'String', StringValue: 'activity' },
      },
    }),
  );
});

async function relay(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await createRouter('relay', COMMANDS).run(argv, {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    env: {},
    cwd: dir,
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('relay dlq (local target via .state/local.json)', () => {
  it('list shows each message with its reason, and leaves the DLQ as it was', async () => {
    const result = await relay('dlq', 'list', '--local');
    expect(result.code).toBe(0);
    expect(result.out).toContain('3 dead-lettered deliveries');
    expect(result.out).toMatch(
      new RegExp(`${acme.id}\\s+acme\\s+activity\\s+rejected\\s+400\\s+1\\s+2026-01-01T00:00:00.000Z`),
    );
    expect(result.out).toContain('└ Title: Title is required');
    expect(result.out).toMatch(/globex\s+activity\s+retries_exhausted\s+503\s+3/);
    expect(result.out).toContain('moved by SQS (no reason)');
    expect(result.out).not.toContain('PRIVATE-TITLE');
    // Listing again sees the same three: nothing was consumed.
    const json = JSON.parse((await relay('dlq', 'list', '--json')).out) as { partyId: string }[];
    expect(json.map((entry) => entry.partyId).sort()).toEqual(['acme', 'acme', 'globex']);
  });

  it('show prints metadata and reason; the payload only with --payload', async () => {
    const plain = await relay('dlq', 'show', acme.id, '--local');
    expect(plain.code).toBe(0);
    expect(plain.out).toMatch(/delivery id\s+/);
    expect(plain.out).toContain(acme.correlationId);
    expect(plain.out).toMatch(/reason\s+rejected/);
    expect(plain.out).toMatch(/error\s+Title: Title is required/);
    expect(plain.out).not.toContain('PRIVATE-TITLE');

    const withPayload = await relay('dlq', 'show', acme.id, '--local', '--payload');
    expect(withPayload.out).toContain('PRIVATE-TITLE');

    expect((await relay('dlq', 'show', 'no-such-id', '--local')).code).toBe(1);
  });

  it('redrive --party moves only that party, bodies intact, without the DLQ reason attributes', async () => {
    const result = await relay('dlq', 'redrive', '--party', 'acme', '--local');
    expect(result.code).toBe(0);
    expect(result.out).toContain('moved 2 message(s) back to the main queue (party acme)');
    expect(result.out).toContain('1 other message(s) left');

    const main = await drain(sqs.queueUrl);
    expect(main.map((message) => JSON.parse(message.Body ?? '{}').partyId)).toEqual(['acme', 'acme']);
    expect(main.map((message) => message.Body)).toContain(JSON.stringify(acme));
    for (const message of main)
      expect(Object.keys(message.MessageAttributes ?? {}).sort()).toEqual(['kind', 'partyId']);
    const left = await drain(sqs.dlqUrl);
    expect(left.map((message) => message.Body)).toEqual([JSON.stringify(globex)]);
  });

  it('redrive without a filter moves everything (receive/send where there is no move task)', async () => {
    const result = await relay('dlq', 'redrive', '--local');
    expect(result.out).toContain('moved 3 message(s)');
    expect(await drain(sqs.queueUrl)).toHaveLength(3);
    expect(await drain(sqs.dlqUrl)).toHaveLength(0);
  });

  it('redrive --reason picks messages by why they failed', async () => {
    const result = await relay('dlq', 'redrive', '--reason', 'retries_exhausted', '--local');
    expect(result.out).toContain('moved 1 message(s)');
    expect((await drain(sqs.queueUrl)).map((message) => message.Body)).toEqual([JSON.stringify(globex)]);
  });

  it('usage problems exit with 2 and say what is missing', async () => {
    expect((await relay('dlq', 'frobnicate')).code).toBe(2);
    expect((await relay('dlq', 'list', '--bogus', '--local')).code).toBe(2);
    const noTarget = await createRouter('relay', COMMANDS).run(['dlq', 'list'], {
      out: () => {},
      err: () => {},
      env: {},
      cwd: tmpdir(),
    });
    expect(noTarget).toBe(2);
  });

  it('runs as `npm run relay` does (tsx functions/cli/main.ts)', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'functions/cli/main.ts', 'dlq', 'list', '--state-file', stateFile, '--local'],
      {
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(stdout).toContain('3 dead-lettered deliveries');
  });
});
