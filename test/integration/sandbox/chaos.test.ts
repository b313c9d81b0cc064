import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../../devkit/workspace365-sandbox';
import { seededRandom } from '../../../devkit/workspace365-sandbox/faults';
import { createWorkspace365Client, type DeliveryOutcome } from '../../../shared/workspace365/client';

const KEY = 'chaos-key';
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 7, environments: { demo: { apiKeys: [KEY] } } });
});
afterEach(() => sandbox.reset());
afterAll(() => sandbox.close());

// Short timeout so hung requests end quickly; hangMs drops them even sooner.
const client = createWorkspace365Client({ timeoutMs: 1_000 });
const REQUESTS = 40;

async function run(): Promise<DeliveryOutcome[]> {
  const outcomes: DeliveryOutcome[] = [];
  for (let i = 0; i < REQUESTS; i += 1) {
    outcomes.push(
      await client.postActivity(
        { baseUrl: sandbox.url, environment: 'demo' },
        KEY,
        { User: { Id: 1 }, Title: `chaos ${i}` },
        { idempotencyKey: `msg-${i}` },
      ),
    );
  }
  return outcomes;
}

const chaos = {
  error500Rate: 0.2,
  timeoutRate: 0.1,
  resetRate: 0.1,
  rate429: 0.2,
  retryAfterSeconds: 3,
  hangMs: 20,
};

describe('chaos', () => {
  it('produces every kind of fault and never records a faulted request', async () => {
    sandbox.chaos(chaos);
    const outcomes = await run();

    const statuses = sandbox.requests().map((request) => request.fault ?? request.status);
    expect(statuses).toContain(500);
    expect(statuses).toContain(429);
    expect(statuses).toContain('timeout');
    expect(statuses).toContain('reset');
    expect(statuses).toContain(200);

    // Exactly the requests answered 200 created activities, and nothing else did.
    const delivered = outcomes
      .map((outcome, index) => ({ outcome, key: `msg-${index}` }))
      .filter(({ outcome }) => outcome.type === 'delivered')
      .map(({ key }) => key);
    expect(sandbox.activities().map((activity) => activity.idempotencyKey)).toEqual(delivered);
    expect(delivered.length).toBe(statuses.filter((status) => status === 200).length);
    expect(delivered.length).toBeLessThan(REQUESTS);

    const throttled = outcomes.filter((outcome) => outcome.type === 'retryable' && outcome.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
    for (const outcome of throttled) expect(outcome).toMatchObject({ retryAfterSeconds: 3 });
  });

  it('replays the same fault sequence for the same seed', async () => {
    sandbox.chaos(chaos);
    await run();
    const first = sandbox.requests().map((request) => request.fault ?? request.status);
    sandbox.reset();
    sandbox.chaos(chaos);
    await run();
    const second = sandbox.requests().map((request) => request.fault ?? request.status);
    expect(second).toEqual(first);

    sandbox.reset();
    sandbox.chaos({ ...chaos, seed: 8 });
    await run();
    expect(sandbox.requests().map((request) => request.fault ?? request.status)).not.toEqual(first);
  });

  it('is off after chaos(null)', async () => {
    sandbox.chaos({ error500Rate: 1 });
    sandbox.chaos(null);
    const outcomes = await run();
    expect(outcomes.every((outcome) => outcome.type === 'delivered')).toBe(true);
  });
});

describe('seededRandom', () => {
  it('is deterministic per seed and stays within [0, 1)', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const values = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(values);
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    expect(new Set(values).size).toBeGreaterThan(990);
  });
});
