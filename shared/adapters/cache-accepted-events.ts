import type { CacheClient } from '@aws-lambda-powertools/idempotency/cache/types';
import { type AcceptedEvents, AcceptedEventsUnavailableError } from '../ports/accepted-events';
import { acceptedEventRecordId } from './accepted-event-id';

/**
 * Accepted events in a Redis-style cache (SET NX EX): local mode's in-process store, whose snapshot
 * carries the records across a restart with the delivery records.
 */
export class CacheAcceptedEvents implements AcceptedEvents {
  constructor(private readonly client: CacheClient) {}

  async has(key: string): Promise<boolean> {
    try {
      return (await this.client.get(acceptedEventRecordId(key))) !== null;
    } catch (error) {
      throw new AcceptedEventsUnavailableError('the dedup store did not answer', { cause: error });
    }
  }

  async claim(key: string, ttlSeconds: number): Promise<boolean> {
    try {
      return (await this.client.set(acceptedEventRecordId(key), '1', { NX: true, EX: ttlSeconds })) !== null;
    } catch (error) {
      throw new AcceptedEventsUnavailableError('the dedup store did not answer', { cause: error });
    }
  }
}
