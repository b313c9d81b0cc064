import { afterAll, describe, expect, it } from 'vitest';
import { demoParty, demoSecrets } from '../../devkit/fakes/demo';
import { inspectQueue } from '../../functions/local/queue-state';
import { type ChaosRelay, startChaosRelay, waitForDrain } from './support/chaos-relay';
import { readChaosSettings } from './support/chaos-settings';
import { createDrainProgress } from './support/drain-progress';
import { mapWithConcurrency, sendWebhook } from './support/sender';
import { formatTally, tally, type WebhookOutcome } from './support/tally';
import { type PlannedWebhook, planWebhooks, signedHeaders } from './support/webhook-plan';

const settings = readChaosSettings();
const secrets = demoSecrets();
let started: ChaosRelay | undefined;

afterAll(async () => {
  await started?.dispose();
});

describe('reliability under chaos (local mode, in process)', () => {
  it(`delivers ${settings.webhooks} webhooks exactly once through faults and worker restarts, and dead-letters exactly the ones meant to fail`, async () => {
    const startedAt = Date.now();
    started = await startChaosRelay({ clientTimeoutMs: settings.clientTimeoutMs });
    const { relay, config } = started;
    const sandbox = relay.sandbox;
    if (!sandbox) throw new Error('local mode started no sandbox for the loopback targets');
    sandbox.chaos(settings.faults);

    const plan = planWebhooks({
      count: settings.webhooks,
      permanentFailureEvery: settings.permanentFailureEvery,
      senderRetryEvery: settings.senderRetryEvery,
    });
    const post = (webhook: PlannedWebhook) => {
      const party = demoParty({ id: webhook.partyId }, config);
      const secret = secrets[party.secretName];
      if (!secret) throw new Error(`no demo secret for ${party.id}`);
      return sendWebhook(`${relay.ingress.url}/webhooks/${party.id}`, webhook.rawBody, () =>
        signedHeaders(webhook, party, secret),
      );
    };

    const sendOnceOrTwice = async (webhook: PlannedWebhook): Promise<WebhookOutcome> => {
      if (webhook.resend === 'concurrent') {
        // Whichever POST the relay accepted counts as the first; the other must be the duplicate.
        const [one, other] = await Promise.all([post(webhook), post(webhook)]);
        return Array.isArray(other.body.ids) && !Array.isArray(one.body.ids)
          ? { webhook, first: other, resent: one }
          : { webhook, first: one, resent: other };
      }
      const first = await post(webhook);
      // The sender did not hear the 202 (as far as it knows) and sends the same event again.
      if (webhook.resend === 'after' && first.status === 202)
        return { webhook, first, resent: await post(webhook) };
      return { webhook, first };
    };

    // A worker restart half-way through the posting, and another once everything is posted.
    const restarts: Promise<void>[] = [];
    let answered = 0;
    const outcomes = await mapWithConcurrency(
      plan,
      settings.concurrency,
      async (webhook): Promise<WebhookOutcome> => {
        const outcome = await sendOnceOrTwice(webhook);
        answered += 1;
        if (answered === Math.floor(plan.length / 2)) restarts.push(relay.restartWorker());
        return outcome;
      },
    );
    const postedAt = Date.now();
    restarts.push(relay.restartWorker());
    await Promise.all(restarts);
    const progress = createDrainProgress(postedAt);
    const drained = await waitForDrain(relay, settings.drainTimeoutMs, progress.record);
    const drainedAt = Date.now();

    const result = tally({
      outcomes,
      sandboxRequests: sandbox.requests(),
      deadLetters: await inspectQueue(relay.emulator.endpoint, relay.emulator.dlqUrl),
      leftOnQueue: await inspectQueue(relay.emulator.endpoint, relay.emulator.queueUrl),
    });
    const meantToFail = plan.filter((webhook) => webhook.fate === 'reject').length;
    console.log(
      formatTally(result, {
        'meant to fail (planned)': meantToFail,
        'worker restarts': restarts.length,
        'posting seconds': round((postedAt - startedAt) / 1000),
        'drain seconds (after the last post)': round((drainedAt - postedAt) / 1000),
        'main queue while draining (every 10 s)': progress.summary(),
        'total seconds': round((drainedAt - startedAt) / 1000),
        'client timeout ms': settings.clientTimeoutMs,
        seed: settings.seed,
      }),
    );

    const refused = outcomes.filter(({ first }) => first.status !== 202);
    expect(
      refused.map(({ webhook, first }) => `#${webhook.index} ${first.status} ${JSON.stringify(first.body)}`),
    ).toEqual([]);
    expect(result.accepted).toBe(settings.webhooks);
    expect(result.duplicates).toBe(result.senderRetries);
    expect(result.senderRetries).toBe(plan.filter((webhook) => webhook.resend !== undefined).length);
    expect(drained, 'the main queue drained in time').toBe(true);
    expect(result.lost).toBe(0);
    expect(result.leftOnQueue).toBe(0);
    expect(result.duplicatedDeliveries).toBe(0);
    expect(result.unexpectedDeliveries).toBe(0);
    expect(result.wronglyDeadLettered).toBe(0);
    expect(result.delivered).toBe(result.acceptedMessages - meantToFail);
    // The DLQ holds exactly the messages meant to fail (each maps to one message), refused with a 400.
    expect(result.deadLetteredAsPlanned).toBe(meantToFail);
    expect(result.missingFromDeadLetters).toBe(0);
    expect(result.deadLettered).toBe(meantToFail);
    // The faults really happened, or the run proves nothing (checked once the traffic makes at least ten
    // of a kind expected: a tiny CHAOS_WEBHOOKS run may draw none).
    const { faults } = settings;
    const happened = (observed: number, rate = 0) => {
      if (rate * result.sandbox.requests >= 10) expect(observed).toBeGreaterThan(0);
    };
    happened(result.sandbox.error500, faults.error500Rate);
    happened(result.sandbox.throttled429, faults.rate429);
    happened(result.sandbox.timeouts, faults.timeoutRate);
    happened(result.sandbox.resets, faults.resetRate);
  });
});

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
