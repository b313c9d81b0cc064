import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createWorkerHandler } from '../../../functions/worker/create-handler';
import { SecretsManagerSecretStore } from '../../../shared/adapters/secrets-manager-store';
import { coalesceSecretReads } from '../../../shared/worker/coalesce-secret-reads';
import { queueMessage } from '../../support/queue-messages';
import { lambdaContext, sqsEvent, sqsRecord } from '../../support/sqs-events';
import { fakeWorkspace365, testParty, workerDeps } from '../../support/worker-fakes';

const PARTIES = ['alpha', 'bravo', 'charlie'];
const secretValue = (key: string) => ({
  SecretString: JSON.stringify({ workspace365ApiKey: key, webhookSecrets: ['whsec_x'] }),
});

function setUp() {
  const client = new SecretsManagerClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const secretsManager = mockClient(client);
  for (const party of PARTIES) {
    secretsManager
      .on(GetSecretValueCommand, { SecretId: `webhook-relay/${party}` })
      .resolves(secretValue(`${party}-key`));
  }
  const secrets = coalesceSecretReads(new SecretsManagerSecretStore({ client, cacheTtlSeconds: 300 }));
  return { client, secretsManager, secrets };
}

let restore: (() => void) | undefined;
afterEach(() => restore?.());

describe('Secrets Manager calls (aws-sdk-client-mock on the real store)', () => {
  it('1000 deliveries across 3 parties within one TTL make exactly 3 GetSecretValue calls', async () => {
    const { secretsManager, secrets } = setUp();
    restore = () => secretsManager.restore();
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
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(3);
    // And every request used its own party's key.
    for (const call of workspace365.calls) expect(call.apiKey).toMatch(/^(alpha|bravo|charlie)-key$/);
  });

  it('a 401 forces exactly one more read of that party secret, then delivers with the rotated key', async () => {
    const { secretsManager, secrets } = setUp();
    restore = () => secretsManager.restore();
    secretsManager
      .on(GetSecretValueCommand, { SecretId: 'webhook-relay/alpha' })
      .resolvesOnce(secretValue('alpha-old'))
      .resolves(secretValue('alpha-new'));
    const workspace365 = fakeWorkspace365((call) =>
      call.apiKey === 'alpha-old'
        ? { type: 'unauthorized', status: 401, latencyMs: 3 }
        : { type: 'delivered', status: 200, activityIds: [7], latencyMs: 3 },
    );
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
    const calls = secretsManager
      .commandCalls(GetSecretValueCommand)
      .map((call) => call.args[0].input.SecretId);
    expect(calls.sort()).toEqual([
      'webhook-relay/alpha',
      'webhook-relay/alpha',
      'webhook-relay/bravo',
      'webhook-relay/charlie',
    ]);
    expect(workspace365.calls.filter((call) => call.apiKey === 'alpha-new')).toHaveLength(2);
    expect(queue.visibility).toEqual([]);
  });
});
