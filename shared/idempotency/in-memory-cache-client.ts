import type { CacheClient } from '@aws-lambda-powertools/idempotency/cache/types';

/**
 * A process-local stand-in for the Redis/Valkey client that Powertools' CachePersistenceLayer drives,
 * so local mode and tests use the same idempotency code path as production, with a Map underneath.
 * Supports exactly what the persistence layer uses: GET, SET with EX/NX, DEL.
 */
export class InMemoryCacheClient implements CacheClient {
  readonly #entries = new Map<string, { value: string; expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async get(name: string): Promise<string | null> {
    return this.#live(name);
  }

  async set(name: string, value: unknown, options?: unknown): Promise<string | null> {
    const { EX, NX } = (options ?? {}) as { EX?: number; NX?: boolean };
    // Checked and written without yielding, so two concurrent NX writers cannot both win.
    if (NX && this.#live(name) !== null) return null;
    const expiresAt = EX === undefined ? Number.POSITIVE_INFINITY : this.now() + EX * 1000;
    this.#entries.set(name, { value: String(value), expiresAt });
    return 'OK';
  }

  async del(keys: string[]): Promise<number> {
    let removed = 0;
    for (const key of keys) if (this.#entries.delete(key)) removed++;
    return removed;
  }

  #live(name: string): string | null {
    const entry = this.#entries.get(name);
    if (entry === undefined) return null;
    if (entry.expiresAt <= this.now()) {
      this.#entries.delete(name);
      return null;
    }
    return entry.value;
  }

  /** Live entries, for local mode to carry dedup records across a restart. */
  snapshot(): { key: string; value: string; expiresAt: number }[] {
    const now = this.now();
    return [...this.#entries]
      .filter(([, entry]) => entry.expiresAt > now && Number.isFinite(entry.expiresAt))
      .map(([key, entry]) => ({ key, ...entry }));
  }

  restore(entries: readonly { key: string; value: string; expiresAt: number }[]): void {
    for (const entry of entries)
      this.#entries.set(entry.key, { value: entry.value, expiresAt: entry.expiresAt });
  }

  get size(): number {
    return this.#entries.size;
  }
}
