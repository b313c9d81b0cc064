import { randomUUID } from 'node:crypto';
import { sampleEvents } from '../../devkit/samples';
import { signWebhook } from '../../shared/auth';
import type { PartyConfig } from '../../shared/config/relay-config';
import type { PartySecret } from '../../shared/config/secret-value';

/** One HTTP request as the load generator and the senders send it. */
export type PreparedRequest = { path: string; headers: Record<string, string>; body: string };

/**
 * Builds signed webhooks for the given parties, round-robin over the parties and, per party, over every
 * event its source maps (workdrive: news.published, event.created, …; huddle: …; template: deal.won).
 * Each one is unique — a fresh event id, `webhook-id` and signature — so ingress dedup never short-circuits.
 */
export function createWebhookFactory(parties: readonly PartyConfig[], secrets: Record<string, PartySecret>) {
  const senders = parties.map((party) => {
    const secret = secrets[party.secretName]?.webhookSecrets[0];
    if (secret === undefined) throw new Error(`no webhook secret for ${party.id}`);
    return { party, secret, events: Object.values(sampleEvents[party.source]) };
  });
  let count = 0;
  return (): PreparedRequest => {
    const index = count++;
    const sender = senders[index % senders.length];
    if (!sender) throw new Error('no parties to send for');
    const { party, secret, events } = sender;
    const makeBody = events[Math.floor(index / senders.length) % events.length];
    const sample = (makeBody?.() ?? {}) as Record<string, unknown>;
    const body = JSON.stringify(withUniqueId(party, sample));
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      ...signWebhook(party.auth, secret, Buffer.from(body), { webhookId: `msg_${randomUUID()}` }),
    };
    // Pass-through bodies have no id of their own; without this the body hash would repeat.
    if (party.source === 'workspace365') headers['idempotency-key'] = randomUUID();
    return { path: `/webhooks/${party.id}`, headers, body };
  };
}

export function prepareWebhooks(
  parties: readonly PartyConfig[],
  secrets: Record<string, PartySecret>,
  count: number,
): PreparedRequest[] {
  const next = createWebhookFactory(parties, secrets);
  return Array.from({ length: count }, next);
}

/**
 * Envelope sources carry their event id in `id`; the demo template derives it from `deal.id`, whose
 * sample value has only 8 random hex digits — too few for 100 000 webhooks, so it gets a full UUID.
 */
function withUniqueId(party: PartyConfig, sample: Record<string, unknown>): Record<string, unknown> {
  if (party.source === 'template' && typeof sample.deal === 'object' && sample.deal !== null) {
    return { ...sample, deal: { ...sample.deal, id: `D-${randomUUID()}` } };
  }
  if (party.source === 'workspace365') return sample;
  return { ...sample, id: `evt_${randomUUID()}` };
}
