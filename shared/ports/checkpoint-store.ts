/**
 * Where a poller keeps its place per party and resource (cursor, last-seen ids, membership snapshot;
 * docs/polling.md). DynamoDB in AWS, a file in `STATE_DIR` locally. Values are plain JSON.
 */
export interface CheckpointStore {
  /** The stored value, or undefined when the resource was never polled. */
  get(partyId: string, resource: string): Promise<unknown>;
  /** Replaces the value; resolves once it is durable. */
  put(partyId: string, resource: string, value: unknown): Promise<void>;
}

export class CheckpointUnavailableError extends Error {
  override readonly name = 'CheckpointUnavailableError';
}
