import { afterEach, describe, expect, it } from 'vitest';
import { startSecretsManagerStub } from '../../../devkit/secrets-manager-stub';
import { createWorkerHandler } from '../../../functions/worker/create-handler';
import { SecretsManagerSecretStore } from '../../../shared/adapters/secrets-manager-store';
import { coalesceSecretReads } from '../../../shared/worker/coalesce-secret-reads';
import { queueMessage } from '../../support/queue-messages';
import { lambdaContext, sqsEvent, sqsRecord } from '../../support/sqs-events';
import { fakeWorkspace365, testParty, workerDeps } from '../../support/worker-fakes';

const PARTIES = ['alpha', 'bravo', 'charlie'];
const secretValue = (key: string) => ({ workspace365ApiKey: key, webhookSecrets: ['whsec_x'] });

/** The real store over the real client, against the loopback Secrets Manager (JSON protocol). */
async function setUp() {
  const stub = await startSecretsManagerStub(
    Object.fromEntries(PARTIES.map((party) => [`webhook-relay/${party}`, secretValue(`${party}-key`)])),
  );
  stop = () => stub.close();
  const secrets = coalesceSecretReads(
    new SecretsManagerSecretStore({ client: stub.client(), cacheTtlSeconds: 300 }),
  );
  return { stub, secrets };
}

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

describe('Secrets Manager calls (the real store against a loopback Secrets Manager)', () => {
  it('1000 deliveries across 3 parties within one TTL make exactly 3 GetSecretValue calls', async () => {
    const { stub, secrets } = await setUp();
    const workspace365 = fakeWorkspace365();
    const { deps } = workerDeps({
      parties: new Map(PARTIES.map((id) => [id, testParty(id)])),
      secrets,
      workspace365: workspace365.client,
    });
    const handler = createWorkerHandler(deps);
    for (let batch = 0; batch < 100; batch++) {
      const records = Array.from({ length: 10 }, (_, index) =>
        sqsRecord(queueMessage(PARTIES[(batch * 10 + index) % 3] ?? '')),
      );
      const response = await handler(sqsEvent(records), lambdaContext());
      expect(response.batchItemFailures).toEqual([]);
    }
    expect(workspace365.calls).toHaveLength(1000);
    expect(stub.calls.sort()).toEqual(PARTIES.map((party) => `webhook-relay/${party}`));
    // And every request used its own party's key.
    for (const call of workspace365.calls) expect(call.apiKey).toMatch(/^(alpha|bravo|charlie)-key$/);
  });

  it('a 401 forces exactly one more read of that party secret, then delivers with the rotated key', async () => {
    const { stub, secrets } = await setUp();
    // The store reads the old key; by the time Workspace 365 refuses it, the operator has rotated it.
    stub.put('webhook-relay/alpha', secretValue('alpha-old'));
    let rotated = false;
    const workspace365 = fakeWorkspace365((call) => {
      if (call.apiKey !== 'alpha-old')
        return { type: 'delivered', status: 200, activityIds: [7], latencyMs: 3 };
      if (!rotated) {
        stub.put('webhook-relay/alpha', secretValue('alpha-new'));
        rotated = true;
      }
      return { type: 'unauthorized', status: 401, latencyMs: 3 };
    });
    const { deps, queue } = workerDeps({
      parties: new Map(PARTIES.map((id) => [id, testParty(id)])),
      secrets,
      workspace365: workspace365.client,
    });
    const handler = createWorkerHandler(deps);
    const records = PARTIES.flatMap((party) => [
      sqsRecord(queueMessage(party)),
      sqsRecord(queueMessage(party)),
    ]);
    const response = await handler(sqsEvent(records), lambdaContext());

    expect(response.batchItemFailures).toEqual([]);
    expect([...stub.calls].sort()).toEqual([
      'webhook-relay/alpha',
      'webhook-relay/alpha',
      'webhook-relay/bravo',
      'webhook-relay/charlie',
    ]);
    expect(workspace365.calls.filter((call) => call.apiKey === 'alpha-new')).toHaveLength(2);
    expect(queue.visibility).toEqual([]);
  });
});
