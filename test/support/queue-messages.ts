import { randomUUID } from 'node:crypto';
import type { QueueMessage } from '../../shared/envelope/queue-message';

let sequence = 0;

/** A valid queue message (docs/architecture.md §6) for a party; an activity for a demo user unless told otherwise. */
export function queueMessage(partyId: string, overrides: Partial<QueueMessage> = {}): QueueMessage {
  sequence += 1;
  const kind = overrides.kind ?? 'activity';
  return {
    v: 1,
    id: `msg-${sequence}-${randomUUID()}`,
    partyId,
    kind,
    payload:
      kind === 'activity'
        ? { User: { Upn: 'anna.devries@demo.example' }, Title: `Hello ${sequence}` }
        : {
            Scope: { Kind: 1, Users: [{ Upn: 'bram.jansen@demo.example' }] },
            Data: { Title: `Batch ${sequence}` },
          },
    eventId: `evt-${sequence}`,
    event: 'test.event',
    receivedAt: new Date().toISOString(),
    correlationId: `corr-${sequence}`,
    ...overrides,
  };
}
