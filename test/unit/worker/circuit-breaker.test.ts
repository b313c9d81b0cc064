import { describe, expect, it } from 'vitest';
import { InMemoryCircuitStateStore } from '../../../shared/adapters/in-memory-circuit-state-store';
import type { CircuitState, CircuitStateStore } from '../../../shared/ports/circuit-state-store';
import {
  type CircuitBreakerSettings,
  type CircuitTransition,
  createCircuitBreakers,
  environmentKey,
} from '../../../shared/worker/circuit-breaker';

const KEY = 'https://acme.example/acme';
const settings: CircuitBreakerSettings = {
  failureThreshold: 3,
  cooldownSeconds: 60,
  pauseOnRetryAfter: true,
  cacheSeconds: 10,
  probeLeaseSeconds: 30,
};

/** A store that yields a few turns before each call, so racing workers really interleave. */
class CountingStore implements CircuitStateStore {
  reads = 0;
  writes = 0;
  constructor(
    readonly inner = new InMemoryCircuitStateStore(),
    private readonly shuffle: () => number = () => 0,
  ) {}
  private async turns(): Promise<void> {
    for (let i = Math.floor(this.shuffle() * 4); i > 0; i--) await Promise.resolve();
  }
  async read(key: string) {
    this.reads++;
    await this.turns();
    return this.inner.read(key);
  }
  async compareAndSet(key: string, version: number, state: CircuitState) {
    this.writes++;
    await this.turns();
    return this.inner.compareAndSet(key, version, state);
  }
}

function world(options: { workers?: number; shuffle?: () => number; store?: CircuitStateStore } = {}) {
  let now = 1_000_000;
  const store = options.store ?? new CountingStore(undefined, options.shuffle);
  const transitions: CircuitTransition[] = [];
  let nextId = 0;
  const workers = Array.from({ length: options.workers ?? 1 }, () =>
    createCircuitBreakers({
      store,
      settings,
      now: () => now,
      onTransition: (transition) => transitions.push(transition),
      newProbeId: () => `probe-${++nextId}`,
    }),
  );
  return {
    store,
    transitions,
    workers,
    worker: workers[0] as (typeof workers)[number],
    advance: (ms: number) => {
      now += ms;
    },
    now: () => now,
  };
}

const down = { up: false } as const;
const up = { up: true } as const;

async function fail(breaker: ReturnType<typeof world>['worker'], times: number) {
  for (let i = 0; i < times; i++) {
    const permit = await breaker.permit(KEY);
    await breaker.report(KEY, permit, down);
  }
}

describe('circuit breaker state machine', () => {
  it('opens after the threshold of consecutive failures, not before, and a success resets the run', async () => {
    const w = world();
    await fail(w.worker, 2);
    await w.worker.report(KEY, await w.worker.permit(KEY), up);
    await fail(w.worker, 2);
    expect(await w.worker.permit(KEY)).toEqual({ type: 'closed' });
    await fail(w.worker, 1);
    expect(await w.worker.permit(KEY)).toEqual({
      type: 'open',
      retryAt: w.now() + 60_000,
      openedAt: w.now(),
    });
    expect(w.transitions).toEqual([
      { key: KEY, to: 'open', cause: 'failures', openedAt: w.now(), retryAt: w.now() + 60_000 },
    ]);
  });

  it('reads nothing while open before the cool-down ends, and at most once per cache period while closed', async () => {
    const w = world();
    const store = w.store as CountingStore;
    for (let i = 0; i < 100; i++) await w.worker.report(KEY, await w.worker.permit(KEY), up);
    expect(store.reads).toBe(1);
    w.advance(10_000);
    await w.worker.permit(KEY);
    expect(store.reads).toBe(2);
    await fail(w.worker, 3);
    const readsWhenOpened = store.reads;
    for (let i = 0; i < 100; i++) expect((await w.worker.permit(KEY)).type).toBe('open');
    expect(store.reads).toBe(readsWhenOpened);
    expect(store.writes).toBe(1);
  });

  it('after the cool-down lets exactly one probe through among racing workers, and its success closes it for all', async () => {
    const w = world({ workers: 6, shuffle: seeded(7) });
    await fail(w.worker, 3);
    w.advance(60_000);
    const permits = await Promise.all(w.workers.map((worker) => worker.permit(KEY)));
    const probes = permits.filter((permit) => permit.type === 'probe');
    expect(probes).toHaveLength(1);
    expect(permits.filter((permit) => permit.type === 'open')).toHaveLength(5);
    const prober = w.workers[permits.indexOf(probes[0] as (typeof probes)[number])];
    await prober?.report(KEY, probes[0] as (typeof probes)[number], up);
    expect(w.transitions.map((t) => t.to)).toEqual(['open', 'closed']);
    w.advance(30_000);
    for (const worker of w.workers) expect(await worker.permit(KEY)).toEqual({ type: 'closed' });
  });

  it('re-opens after a failed probe, keeping when the outage began', async () => {
    const w = world();
    await fail(w.worker, 3);
    const openedAt = w.now();
    w.advance(60_000);
    const probe = await w.worker.permit(KEY);
    expect(probe.type).toBe('probe');
    await w.worker.report(KEY, probe, down);
    expect(await w.worker.permit(KEY)).toEqual({ type: 'open', retryAt: w.now() + 60_000, openedAt });
    expect(w.transitions.at(-1)).toMatchObject({ to: 'reopened', openedAt });
  });

  it('pauses the whole environment on a Retry-After at once, extends a pause but never shortens it', async () => {
    const w = world({ workers: 2 });
    const [a, b] = w.workers as [(typeof w.workers)[0], (typeof w.workers)[0]];
    const permitA = await a.permit(KEY);
    const permitB = await b.permit(KEY);
    await a.report(KEY, permitA, { up: false, retryAfterSeconds: 120 });
    expect(await a.permit(KEY)).toMatchObject({ type: 'open', retryAt: w.now() + 120_000 });
    // b posted before it knew; its longer Retry-After extends the pause, a shorter one would not.
    await b.report(KEY, permitB, { up: false, retryAfterSeconds: 300 });
    await b.report(KEY, { type: 'closed' }, { up: false, retryAfterSeconds: 5 });
    w.advance(200_000);
    expect(await a.permit(KEY)).toMatchObject({ type: 'open', retryAt: w.now() + 100_000 });
    expect(w.transitions.filter((t) => t.to === 'open')).toEqual([
      expect.objectContaining({ cause: 'retry-after' }),
    ]);
  });

  it('racing workers that all reach the threshold open it once', async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const w = world({ workers: 8, shuffle: seeded(seed) });
      await Promise.all(w.workers.map((worker) => fail(worker, 3)));
      expect(w.transitions.filter((t) => t.to === 'open')).toHaveLength(1);
      for (const worker of w.workers) expect((await worker.permit(KEY)).type).toBe('open');
    }
  });

  it('a prober that goes quiet loses the probe after its lease; its late answer changes nothing', async () => {
    const w = world({ workers: 2 });
    const [a, b] = w.workers as [(typeof w.workers)[0], (typeof w.workers)[0]];
    await fail(a, 3);
    w.advance(60_000);
    const stale = await a.permit(KEY);
    expect(stale.type).toBe('probe');
    w.advance(30_000);
    const fresh = await b.permit(KEY);
    expect(fresh.type).toBe('probe');
    await a.report(KEY, stale, up);
    expect(w.transitions.map((t) => t.to)).toEqual(['open']);
    await b.report(KEY, fresh, up);
    expect(w.transitions.map((t) => t.to)).toEqual(['open', 'closed']);
  });

  it('racing probe results close or reopen it exactly once', async () => {
    for (const seed of [11, 12, 13]) {
      const w = world({ workers: 4, shuffle: seeded(seed) });
      await fail(w.worker, 3);
      w.advance(60_000);
      const permits = await Promise.all(w.workers.map((worker) => worker.permit(KEY)));
      // Every worker reports: the prober its success, the others stale failures from before.
      await Promise.all(
        w.workers.map((worker, i) => {
          const permit = permits[i] ?? { type: 'closed' as const };
          return worker.report(KEY, permit, permit.type === 'probe' ? up : down);
        }),
      );
      expect(w.transitions.map((t) => t.to)).toEqual(['open', 'closed']);
    }
  });

  it('hands a probe back when no request was made, so the next worker probes at once', async () => {
    const w = world({ workers: 2 });
    const [a, b] = w.workers as [(typeof w.workers)[0], (typeof w.workers)[0]];
    await fail(a, 3);
    w.advance(60_000);
    const probe = await a.permit(KEY);
    await a.report(KEY, probe, undefined);
    expect((await b.permit(KEY)).type).toBe('probe');
  });

  it('lets requests through when the store fails, and says so', async () => {
    const errors: string[] = [];
    const broken: CircuitStateStore = {
      read: async () => {
        throw new Error('table unavailable');
      },
      compareAndSet: async () => {
        throw new Error('table unavailable');
      },
    };
    const breaker = createCircuitBreakers({
      store: broken,
      settings,
      now: () => 0,
      onStoreError: (_error, during) => errors.push(during),
    });
    await fail(breaker, 5);
    expect(await breaker.permit(KEY)).toEqual({ type: 'closed' });
    expect(errors).toContain('read');
    expect(errors).toContain('write');
  });

  it('keys parties by base URL and environment', () => {
    expect(environmentKey({ baseUrl: 'https://acme.example/', environment: 'acme' })).toBe(KEY);
  });
});

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}
