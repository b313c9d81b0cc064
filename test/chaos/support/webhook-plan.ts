import { sampleEvents } from '../../../devkit/samples';
import { signWebhook } from '../../../shared/auth';
import type { PartyConfig } from '../../../shared/config/relay-config';
import type { PartySecret } from '../../../shared/config/secret-value';

/** The three senders of the run, one per auth scheme and source family. */
export const CHAOS_PARTIES = ['workdrive-demo', 'huddle-demo', 'w365-demo'] as const;
export type ChaosPartyId = (typeof CHAOS_PARTIES)[number];

/**
 * `deliver`: every message it maps to must reach the sandbox exactly once. `reject`: the sandbox answers
 * 400 (an unknown user Id or group), so its message must end in the DLQ and nowhere else.
 */
export type Fate = 'deliver' | 'reject';

export type PlannedWebhook = {
  index: number;
  partyId: ChaosPartyId;
  event: string;
  rawBody: Buffer;
  /** `webhook-id` for Standard Webhooks, `Idempotency-Key` for the token party: the event id a retry repeats. */
  eventKey: string;
  fate: Fate;
  /**
   * The sender posts it twice with the same event id, as a sender retry would: `after` the first 202,
   * or `concurrent`ly with the first POST (one is accepted, the other waits out a 409 and is a duplicate).
   */
  resend: 'after' | 'concurrent' | undefined;
};

const UNKNOWN_USER_ID = 999_999;

/**
 * A deterministic mix over the three parties: WorkDrive and Huddle cycle through every mapped event,
 * the token party alternates single and batch activities. Every `permanentFailureEvery`-th webhook is
 * a token-party payload that passes the relay's checks but that Workspace 365 refuses for good.
 */
export function planWebhooks(options: {
  count: number;
  permanentFailureEvery: number;
  senderRetryEvery: number;
}): PlannedWebhook[] {
  const workdriveEvents = Object.entries(sampleEvents.workdrive);
  const huddleEvents = Object.entries(sampleEvents.huddle);
  const planned: PlannedWebhook[] = [];
  for (let index = 0; index < options.count; index += 1) {
    const resend =
      index % options.senderRetryEvery !== options.senderRetryEvery - 1
        ? undefined
        : Math.floor(index / options.senderRetryEvery) % 2 === 0
          ? 'after'
          : 'concurrent';
    const eventKey = `msg_chaos_${index}`;
    if (index % options.permanentFailureEvery === options.permanentFailureEvery - 1) {
      const batch = Math.floor(index / options.permanentFailureEvery) % 2 === 1;
      planned.push({
        index,
        partyId: 'w365-demo',
        event: batch ? 'batch to an unknown group' : 'activity for an unknown user Id',
        rawBody: json(
          batch
            ? {
                Scope: { Kind: 2, Groups: [{ Name: 'No such group' }] },
                Data: { Title: `Chaos #${index}: for a group that does not exist` },
              }
            : { User: { Id: UNKNOWN_USER_ID }, Title: `Chaos #${index}: for a user that does not exist` },
        ),
        eventKey,
        fate: 'reject',
        resend,
      });
      continue;
    }
    const partyId = CHAOS_PARTIES[index % CHAOS_PARTIES.length] as ChaosPartyId;
    const round = Math.floor(index / CHAOS_PARTIES.length);
    const [event, make] =
      partyId === 'workdrive-demo'
        ? pick(workdriveEvents, round)
        : partyId === 'huddle-demo'
          ? pick(huddleEvents, round)
          : pick(Object.entries(sampleEvents.workspace365), round);
    let body = make() as Record<string, unknown>;
    if (partyId === 'w365-demo') body = numbered(body, index);
    planned.push({ index, partyId, event, rawBody: json(body), eventKey, fate: 'deliver', resend });
  }
  return planned;
}

/** The headers a well-behaved sender adds, signed now (a retry is signed again, with the same event id). */
export function signedHeaders(
  webhook: PlannedWebhook,
  party: PartyConfig,
  secret: PartySecret,
): Record<string, string> {
  const webhookSecret = secret.webhookSecrets[0];
  if (webhookSecret === undefined) throw new Error(`party ${party.id} has no webhook secret`);
  return {
    'content-type': 'application/json',
    ...signWebhook(party.auth, webhookSecret, webhook.rawBody, { webhookId: webhook.eventKey }),
    // The token party's body carries no event id; this is how its sender names the event.
    ...(party.auth.scheme === 'token' ? { 'idempotency-key': webhook.eventKey } : {}),
  };
}

function pick<T>(entries: readonly T[], round: number): T {
  const entry = entries[round % entries.length];
  if (entry === undefined) throw new Error('no sample events to pick from');
  return entry;
}

/** Workspace 365 bodies carry no id; a number in the title keeps each one distinct in the feed. */
function numbered(body: Record<string, unknown>, index: number): Record<string, unknown> {
  if ('Data' in body) {
    const data = body.Data as Record<string, unknown>;
    return { ...body, Data: { ...data, Title: `${String(data.Title)} (#${index})` } };
  }
  return { ...body, Title: `${String(body.Title)} (#${index})` };
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}
