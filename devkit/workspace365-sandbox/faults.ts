import type { PayloadKind } from '../../shared/workspace365/schemas';
import type { ChaosOptions, ScriptedResponse } from './types';

export const DEFAULT_SEED = 365;
export const DEFAULT_CHAOS_RETRY_AFTER_SECONDS = 1;

/** What the sandbox does instead of its normal handling. */
export type FaultDecision =
  | { type: 'respond'; status: number; headers: Record<string, string>; body?: unknown; delayMs: number }
  | { type: 'timeout'; hangMs?: number }
  | { type: 'reset' };

/** mulberry32: tiny, fast and good enough to make chaos runs replayable from a seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The scripted queue and chaos settings; asked once per request to the activity endpoints. */
export class FaultPlan {
  private queue: { response: ScriptedResponse; remaining: number }[] = [];
  private chaosOptions: ChaosOptions | null = null;
  private random: () => number;

  constructor(private readonly seed: number = DEFAULT_SEED) {
    this.random = seededRandom(seed);
  }

  script(responses: readonly ScriptedResponse[]): void {
    for (const response of responses) this.queue.push({ response, remaining: response.times ?? 1 });
  }

  unscript(filter: { environment?: string } = {}): void {
    this.queue = this.queue.filter(
      ({ response }) => filter.environment !== undefined && response.environment !== filter.environment,
    );
  }

  /** Each call restarts the RNG, so the same chaos options over the same traffic give the same faults. */
  chaos(options: ChaosOptions | null): void {
    this.chaosOptions = options;
    this.random = seededRandom(options?.seed ?? this.seed);
  }

  reset(): void {
    this.queue = [];
    this.chaos(null);
  }

  /** The first scripted entry meant for this request, else a chaos roll, else `undefined` (handle normally). */
  decide(request: { environment: string; kind: PayloadKind }): FaultDecision | undefined {
    return this.takeScripted(request) ?? this.rollChaos();
  }

  private takeScripted(request: { environment: string; kind: PayloadKind }): FaultDecision | undefined {
    const index = this.queue.findIndex(
      ({ response }) =>
        (response.environment === undefined || response.environment === request.environment) &&
        (response.kind === undefined || response.kind === request.kind),
    );
    const entry = this.queue[index];
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.queue.splice(index, 1);
    const { response } = entry;
    if ('fault' in response) return response.fault === 'timeout' ? { type: 'timeout' } : { type: 'reset' };
    return {
      type: 'respond',
      status: response.status,
      headers: { ...response.headers },
      body: response.body,
      delayMs: response.delayMs ?? 0,
    };
  }

  private rollChaos(): FaultDecision | undefined {
    const options = this.chaosOptions;
    if (!options) return undefined;
    // One draw per request, split into bands, so the fault sequence depends only on the seed and request order.
    const draw = this.random();
    let band = options.error500Rate ?? 0;
    if (draw < band) {
      return {
        type: 'respond',
        status: 500,
        headers: {},
        body: { globalError: { message: 'Internal server error (sandbox chaos)' }, fieldErrors: null },
        delayMs: 0,
      };
    }
    band += options.timeoutRate ?? 0;
    if (draw < band)
      return options.hangMs === undefined ? { type: 'timeout' } : { type: 'timeout', hangMs: options.hangMs };
    band += options.resetRate ?? 0;
    if (draw < band) return { type: 'reset' };
    band += options.rate429 ?? 0;
    if (draw < band) {
      const seconds = options.retryAfterSeconds ?? DEFAULT_CHAOS_RETRY_AFTER_SECONDS;
      return {
        type: 'respond',
        status: 429,
        headers: { 'Retry-After': String(seconds) },
        body: { globalError: { message: 'Too many requests (sandbox chaos)' }, fieldErrors: null },
        delayMs: 0,
      };
    }
    return undefined;
  }
}
