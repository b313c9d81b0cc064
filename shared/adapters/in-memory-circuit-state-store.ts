import type { CircuitState, CircuitStateStore, StoredCircuit } from '../ports/circuit-state-store';

/**
 * The circuit state store for local mode and tests: one Map shared by every worker of the process, with
 * the same compare-and-set contract as the DynamoDB adapter (checked and written without yielding).
 */
export class InMemoryCircuitStateStore implements CircuitStateStore {
  readonly #items = new Map<string, StoredCircuit>();

  async read(key: string): Promise<StoredCircuit | undefined> {
    const item = this.#items.get(key);
    return item && { state: { ...item.state }, version: item.version };
  }

  async compareAndSet(key: string, expectedVersion: number, state: CircuitState): Promise<boolean> {
    if ((this.#items.get(key)?.version ?? 0) !== expectedVersion) return false;
    this.#items.set(key, { state: { ...state }, version: expectedVersion + 1 });
    return true;
  }
}
