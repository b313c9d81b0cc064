/**
 * Where the circuit breakers keep their state, shared by every worker invocation (docs/outage.md):
 * one small versioned item per Workspace 365 environment, changed only by compare-and-set, so racing
 * workers agree on who opened it, who probes and who closed it. DynamoDB in AWS, a Map locally.
 */

/** The breaker of one environment. Times are epoch milliseconds. */
export type CircuitState =
  | { status: 'closed' }
  | {
      status: 'open';
      /** When it opened (kept across failed probes: how long the environment has been out). */
      openedAt: number;
      /** No request before this: the end of the cool-down, or of a Retry-After pause. */
      retryAt: number;
      /** Why it opened: a run of failures, or a Retry-After pause. */
      cause: 'failures' | 'retry-after';
    }
  | {
      status: 'half-open';
      openedAt: number;
      /** The worker holding the single probe. */
      probeId: string;
      /** The probe's lease: if its holder died, another worker may probe after this. */
      probeUntil: number;
    };

export type StoredCircuit = {
  state: CircuitState;
  /** Starts at 1 with the first write; 0 means "never written". */
  version: number;
};

export interface CircuitStateStore {
  /** The current state, or `undefined` when the environment has no item (a closed breaker). */
  read(key: string): Promise<StoredCircuit | undefined>;
  /**
   * Writes `state` as version `expectedVersion + 1` if the stored version is still `expectedVersion`
   * (0: no item yet). Resolves `false` when another writer got there first; throws when the store fails.
   */
  compareAndSet(key: string, expectedVersion: number, state: CircuitState): Promise<boolean>;
}
