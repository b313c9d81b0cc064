import { randomUUID } from 'node:crypto';
import { signWebhook } from '../shared/auth';
import type { RelayConfig } from '../shared/config/relay-config';
import type { PartySecret } from '../shared/config/secret-value';
import { sampleEvents } from '../shared/sources/samples';

export type PreparedRequest = { path: string; headers: Record<string, string>; body: string };

/** The mix the relay's own cost is measured on: one party per scheme and source family. */
export const BENCH_PARTIES = ['workdrive-demo', 'huddle-demo', 'crm-demo'] as const;

/**
 * Unique, correctly signed webhooks (fresh event ids and signatures), so dedup never short-circuits.
 * Built before the clock starts: the load generator's cost is the same for the relay and the baseline.
 */
export function prepareRequests(
  config: RelayConfig,
  secrets: Record<string, PartySecret>,
  count: number,
): PreparedRequest[] {
  const requests: PreparedRequest[] = [];
  for (let index = 0; index < count; index++) {
    const partyId = BENCH_PARTIES[index % BENCH_PARTIES.length] as string;
    const party = config.parties.find((candidate) => candidate.id === partyId);
    if (!party) throw new Error(`the demo config has no party ${partyId}`);
    const events = Object.values(sampleEvents[party.source]);
    const makeBody = events[Math.floor(index / BENCH_PARTIES.length) % events.length];
    const sample = (makeBody?.() ?? {}) as Record<string, unknown>;
    // A unique id per request for envelope sources and for the template's eventId expression.
    const body = JSON.stringify(
      party.source === 'template'
        ? { ...sample, deal: { ...(sample.deal as object), id: randomUUID() } }
        : { ...sample, id: randomUUID() },
    );
    const secret = secrets[party.secretName]?.webhookSecrets[0] ?? '';
    const headers = {
      'content-type': 'application/json',
      ...signWebhook(party.auth, secret, Buffer.from(body), { webhookId: `msg_${randomUUID()}` }),
    };
    requests.push({ path: `/webhooks/${partyId}`, headers, body });
  }
  return requests;
}
