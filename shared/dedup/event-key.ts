/** The ledger key of an event: one record per party and event id; ingress and the worker derive the same. */
export function eventKey(partyId: string, eventId: string): string {
  return `${partyId}:${eventId}`;
}
