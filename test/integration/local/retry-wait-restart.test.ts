import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type LocalRelay, startLocalRelay } from '../../../functions/local/local-relay';
import { readLocalSettings } from '../../../functions/local/local-settings';
import { inspectQueue, type QueueState } from '../../../functions/local/queue-state';
import { waitFor } from '../../support/wait-for';

let relay: LocalRelay | undefined;
afterEach(async () => {
  await relay?.stop();
  relay = undefined;
});

const start = async (stateDir: string) => {
  relay = await startLocalRelay(
    readLocalSettings({ PORT: '0', SANDBOX_PORT: '0', STATE_DIR: stateDir, RELAY_SHUTDOWN_GRACE_MS: '100' }),
  );
  return relay;
};

describe('a restart during a Retry-After wait', () => {
  it('keeps the wait: the message is not delivered right after the restart', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'relay-wait-'));
    const first = await start(stateDir);
    first.sandbox?.script({ status: 503, headers: { 'retry-after': '120' } });
    const response = await fetch(`${first.ingress.url}/webhooks/w365-demo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer demo-w365-token' },
      body: JSON.stringify({ User: { Upn: 'anna.devries@demo.example' }, Title: 'Wait for me' }),
    });
    expect(response.status).toBe(202);
    await waitFor(() => first.sandbox?.requests().some((request) => request.status === 503), {
      what: 'the 503 with Retry-After: 120',
    });
    const stoppedAt = Date.now();
    await relay?.stop();
    relay = undefined;

    const saved = JSON.parse(readFileSync(join(stateDir, 'queue-state.json'), 'utf8')) as QueueState;
    expect(saved.main).toHaveLength(1);
    expect(Date.parse(saved.main[0]?.notBefore ?? '')).toBeGreaterThan(stoppedAt + 100_000);

    const second = await start(stateDir);
    const [requeued] = await inspectQueue(second.emulator.endpoint, second.emulator.queueUrl);
    expect(requeued).toBeDefined();
    expect(Date.parse(requeued?.notBefore ?? '')).toBeGreaterThan(Date.now() + 100_000);
    // Had it been re-queued ready, the poller would deliver it within milliseconds.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(second.sandbox?.requests()).toEqual([]);
  });
});
