import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { demoConfig, demoParty } from '../../../devkit/fakes/demo';
import { demoIngressDeps } from '../../../devkit/fakes/demo-ingress';
import { sampleEvents } from '../../../devkit/samples';
import { sendSample } from '../../../functions/cli/commands/send-sample';
import { createIngressHandler } from '../../../functions/ingress/create-handler';
import { type IngressServer, startIngressServer } from '../../../functions/local/ingress-server';
import { QueueMessage } from '../../../shared/envelope/queue-message';

let server: IngressServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function relay() {
  const { deps, queue } = demoIngressDeps();
  server = await startIngressServer({ handler: createIngressHandler(deps) });
  return { url: server.url, queue };
}

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      out: (line: string) => out.push(line),
      err: (line: string) => err.push(line),
      env: { RELAY_SECRETS: 'secrets.local.example.json', RELAY_CONFIG: 'relay.config.example.json' },
      cwd: process.cwd(),
    },
  };
}

describe('relay send-sample', () => {
  it('signs every sample of every demo party so the relay accepts and queues it', async () => {
    const { url, queue } = await relay();
    const parties = {
      workdrive: 'workdrive-demo',
      huddle: 'huddle-demo',
      workspace365: 'w365-demo',
      template: 'crm-demo',
    };
    for (const [source, partyId] of Object.entries(parties)) {
      for (const event of Object.keys(sampleEvents[source as keyof typeof parties])) {
        const run = io();
        const code = await sendSample.run([partyId, event, '--url', url], run.io);
        expect(code, `${partyId} ${event}: ${run.out.join('\n')}`).toBe(0);
        expect(run.out[1]).toMatch(/^202 /);
      }
    }
    expect(queue.sent.length).toBeGreaterThan(0);
    for (const message of queue.sent) expect(QueueMessage.safeParse(message).success).toBe(true);
  });

  it('is a new event every time: sending each sample twice queues it twice, never a duplicate', async () => {
    const { url } = await relay();
    const parties = {
      workdrive: 'workdrive-demo',
      huddle: 'huddle-demo',
      workspace365: 'w365-demo',
      template: 'crm-demo',
    };
    for (const [source, partyId] of Object.entries(parties)) {
      for (const event of Object.keys(sampleEvents[source as keyof typeof parties])) {
        for (const attempt of [1, 2]) {
          const run = io();
          await sendSample.run([partyId, event, '--url', url], run.io);
          const answer = JSON.parse(run.out[1]?.replace(/^\d+ /, '') ?? '{}') as Record<string, unknown>;
          expect(answer.duplicate, `${partyId} ${event}, send ${attempt}`).toBeUndefined();
          expect(answer.accepted, `${partyId} ${event}, send ${attempt}`).toBeGreaterThan(0);
        }
      }
    }
  });

  it("--body sends a file byte for byte, signed with each party's scheme and secret", async () => {
    const { url, queue } = await relay();
    const dir = mkdtempSync(join(tmpdir(), 'relay-body-'));
    const bodies: Record<string, unknown> = {
      'w365-demo': { User: { Upn: 'anna.devries@demo.example' }, Title: 'From a file' },
      'workdrive-demo': sampleEvents.workdrive['task.assigned']?.(),
      'huddle-demo': sampleEvents.huddle['workspace.created']?.(),
      'crm-demo': sampleEvents.template['deal.won']?.(),
    };
    for (const [partyId, body] of Object.entries(bodies)) {
      const file = join(dir, `${partyId}.json`);
      // Pretty-printed: re-serialising would change the bytes and break the signature.
      writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
      const run = io();
      const code = await sendSample.run([partyId, '--body', file, '--url', url], run.io);
      expect(code, `${partyId}: ${run.out.join('\n')} ${run.err.join('\n')}`).toBe(0);
      expect(run.out[0]).toContain(`body from ${file}`);
      expect(run.out[1]).toMatch(/^202 /);
    }
    expect(queue.sent.find((message) => message.partyId === 'w365-demo')?.payload).toMatchObject({
      Title: 'From a file',
    });
  });

  it('--body - reads the body from stdin', async () => {
    const { url, queue } = await relay();
    const run = io();
    const body = JSON.stringify({ User: { Upn: 'anna.devries@demo.example' }, Title: 'From stdin' });
    const code = await sendSample.run(['w365-demo', '--body', '-', '--url', url], {
      ...run.io,
      stdin: Readable.from([Buffer.from(body)]),
    });
    expect(code).toBe(0);
    expect(queue.sent[0]?.payload).toMatchObject({ Title: 'From stdin' });
  });

  it('does not send the CRM sample to a template party whose filter it does not match, and says to use --body', async () => {
    const { url, queue } = await relay();
    const config = demoConfig();
    const crm = demoParty({ source: 'template' }, config);
    expect(crm.id).toBe('crm-demo');
    crm.options = { ...crm.options, filter: "status = 'lost'" };
    const dir = mkdtempSync(join(tmpdir(), 'relay-misfit-'));
    writeFileSync(join(dir, 'relay.config.json'), JSON.stringify(config));
    const run = io();
    const code = await sendSample.run(['crm-demo', '--url', url], {
      ...run.io,
      env: { ...run.io.env, RELAY_CONFIG: join(dir, 'relay.config.json') },
    });
    expect(code).toBe(1);
    expect(run.err.join('\n')).toContain(
      "does not fit party crm-demo's template (filtered out by the template)",
    );
    expect(run.err.join('\n')).toContain('--body <file>');
    expect(queue.sent).toHaveLength(0);
  });

  it('answers a dry run with the Workspace 365 requests and queues nothing', async () => {
    const { url, queue } = await relay();
    const run = io();
    expect(await sendSample.run(['huddle-demo', '--url', url, '--dry-run'], run.io)).toBe(0);
    expect(run.out.join('\n')).toContain('"dryRun": true');
    expect(queue.sent).toHaveLength(0);
  });

  it('names the known parties and samples when given an unknown one', async () => {
    const run = io();
    await expect(sendSample.run(['nobody'], run.io)).rejects.toThrow(/parties: workdrive-demo, huddle-demo/);
    await expect(sendSample.run(['huddle-demo', 'nope'], run.io)).rejects.toThrow(
      /samples: workspace\.user\.added/,
    );
  });
});
