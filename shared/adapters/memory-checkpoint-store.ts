import type { CheckpointStore } from '../ports/checkpoint-store';

/** Checkpoints in memory (a `relay poll --dry-run` without a state directory, and tests). */
export class MemoryCheckpointStore implements CheckpointStore {
  readonly #values = new Map<string, string>();

  async get(partyId: string, resource: string): Promise<unknown> {
    const text = this.#values.get(key(partyId, resource));
    return text === undefined ? undefined : JSON.parse(text);
  }

  async put(partyId: string, resource: string, value: unknown): Promise<void> {
    // Stored as text so a caller mutating its object later cannot change the checkpoint.
    this.#values.set(key(partyId, resource), JSON.stringify(value));
  }
}

const key = (partyId: string, resource: string) => `${partyId}#${resource}`;
