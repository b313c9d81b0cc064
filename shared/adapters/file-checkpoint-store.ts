import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type CheckpointStore, CheckpointUnavailableError } from '../ports/checkpoint-store';

/**
 * Checkpoints of local mode: one JSON file per party in `<stateDir>/poll-checkpoints/`, replaced
 * atomically (write a temporary file, then rename) so a crash leaves the old or the new value, never half.
 */
export class FileCheckpointStore implements CheckpointStore {
  readonly #directory: string;
  /** Writes to one file one after the other. */
  readonly #queues = new Map<string, Promise<void>>();

  constructor(stateDir: string) {
    this.#directory = join(stateDir, 'poll-checkpoints');
  }

  async get(partyId: string, resource: string): Promise<unknown> {
    await this.#queues.get(partyId);
    return (await this.#read(partyId))[resource];
  }

  put(partyId: string, resource: string, value: unknown): Promise<void> {
    const previous = this.#queues.get(partyId) ?? Promise.resolve();
    const next = previous.then(async () => {
      const values = await this.#read(partyId);
      values[resource] = value;
      const file = this.#file(partyId);
      try {
        await mkdir(this.#directory, { recursive: true });
        await writeFile(`${file}.tmp`, JSON.stringify(values, null, 2));
        await rename(`${file}.tmp`, file);
      } catch (error) {
        throw new CheckpointUnavailableError(`cannot write the checkpoint of party ${partyId}`, {
          cause: error,
        });
      }
    });
    this.#queues.set(
      partyId,
      next.catch(() => undefined),
    );
    return next;
  }

  async #read(partyId: string): Promise<Record<string, unknown>> {
    let text: string;
    try {
      text = await readFile(this.#file(partyId), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new CheckpointUnavailableError(`cannot read the checkpoint of party ${partyId}`, {
        cause: error,
      });
    }
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch (error) {
      throw new CheckpointUnavailableError(`the checkpoint file of party ${partyId} is not JSON`, {
        cause: error,
      });
    }
  }

  #file(partyId: string): string {
    // Party ids are [a-z0-9-] (the config checks it), so they are safe file names.
    return join(this.#directory, `${partyId}.json`);
  }
}
