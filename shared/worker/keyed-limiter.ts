/** Runs work with at most `limit` tasks in flight per key; the rest wait their turn, in order. */
export interface KeyedLimiter {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
}

type Lane = { active: number; waiting: (() => void)[] };

/**
 * The worker's per-party concurrency cap: a batch delivers its records concurrently, but one party never
 * has more than `limit` requests open against its Workspace 365 environment.
 */
export function createKeyedLimiter(limit: number): KeyedLimiter {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a whole number ≥ 1');
  const lanes = new Map<string, Lane>();
  return {
    async run<T>(key: string, work: () => Promise<T>): Promise<T> {
      const lane = lanes.get(key) ?? { active: 0, waiting: [] };
      lanes.set(key, lane);
      if (lane.active < limit) lane.active++;
      // A finishing task hands its slot straight to the next waiter, so `active` stays counted.
      else await new Promise<void>((resolve) => lane.waiting.push(resolve));
      try {
        return await work();
      } finally {
        const next = lane.waiting.shift();
        if (next) next();
        else if (--lane.active === 0) lanes.delete(key);
      }
    },
  };
}
