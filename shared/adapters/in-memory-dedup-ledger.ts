import { DEFAULT_LEDGER_EXPIRY_SECONDS, type DedupLedger, type EventRecord } from '../ports/dedup-ledger';

type Entry = { owner?: string; abandoned: string[]; delivered?: string[]; expiresAt: number };

/**
 * The ledger in one process (local mode, bench hosts, tests): a Map with the same rules and expiry as
 * the DynamoDB item. Each method checks and writes without yielding, so concurrent claims cannot both win.
 */
export class InMemoryDedupLedger implements DedupLedger {
  readonly #entries = new Map<string, Entry>();

  constructor(
    private readonly options: {
      /** How long a record is kept after its last write. @default 14 days */
      expiresAfterSeconds?: number;
      now?: () => number;
    } = {},
  ) {}

  async claim(key: string, attempt: string): Promise<boolean> {
    const entry = this.#live(key);
    if (entry?.owner !== undefined) return entry.owner === attempt;
    this.#entries.set(key, {
      ...entry,
      owner: attempt,
      abandoned: entry?.abandoned ?? [],
      expiresAt: this.#expiry(),
    });
    return true;
  }

  async abandon(key: string, attempt: string): Promise<void> {
    const entry = this.#live(key);
    const abandoned = entry?.abandoned.includes(attempt)
      ? entry.abandoned
      : [...(entry?.abandoned ?? []), attempt];
    this.#entries.set(key, { ...entry, abandoned, expiresAt: this.#expiry() });
  }

  async markDelivered(key: string, messageId: string): Promise<void> {
    const entry = this.#live(key);
    const delivered = entry?.delivered?.includes(messageId)
      ? entry.delivered
      : [...(entry?.delivered ?? []), messageId];
    this.#entries.set(key, { abandoned: [], ...entry, delivered, expiresAt: this.#expiry() });
  }

  async read(key: string): Promise<EventRecord | undefined> {
    const entry = this.#live(key);
    if (!entry) return undefined;
    return {
      ...(entry.owner === undefined ? {} : { owner: entry.owner }),
      abandoned: [...entry.abandoned],
      delivered: [...(entry.delivered ?? [])],
    };
  }

  /** The live records, for local mode to save at shutdown. */
  snapshot(): [string, Entry][] {
    return [...this.#entries].filter(([key]) => this.#live(key) !== undefined);
  }

  /** Puts saved records back (local mode at start). */
  restore(entries: readonly [string, Entry][]): void {
    for (const [key, entry] of entries) {
      // A file from another version is skipped entry by entry rather than trusted.
      if (typeof entry?.expiresAt !== 'number' || !Array.isArray(entry.abandoned)) continue;
      this.#entries.set(key, entry);
      this.#live(key);
    }
  }

  #live(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #expiry(): number {
    return this.#now() + (this.options.expiresAfterSeconds ?? DEFAULT_LEDGER_EXPIRY_SECONDS) * 1000;
  }

  #now(): number {
    return (this.options.now ?? Date.now)();
  }
}
