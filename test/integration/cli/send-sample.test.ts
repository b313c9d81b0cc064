import { afterEach, describe, expect, it } from 'vitest';
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
