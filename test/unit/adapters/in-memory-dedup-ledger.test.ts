import { describe, expect, it } from 'vitest';
import { InMemoryDedupLedger } from '../../../shared/adapters/in-memory-dedup-ledger';

describe('InMemoryDedupLedger: the rules of the DynamoDB item, in one process', () => {
  it('lets exactly one of two concurrent claims win, and answers the owner true again', async () => {
    const ledger = new InMemoryDedupLedger();
    const claims = await Promise.all([ledger.claim('p:e', 'a'), ledger.claim('p:e', 'b')]);
    expect(claims).toEqual([true, false]);
    expect(await ledger.claim('p:e', 'a')).toBe(true);
    expect(await ledger.read('p:e')).toEqual({ owner: 'a', abandoned: [], delivered: [] });
  });

  it('keeps given-up attempts beside the owner, once each', async () => {
    const ledger = new InMemoryDedupLedger();
    await ledger.abandon('p:e', 'a');
    await ledger.abandon('p:e', 'a');
    expect(await ledger.read('p:e')).toEqual({ abandoned: ['a'], delivered: [] });
    expect(await ledger.claim('p:e', 'b')).toBe(true);
    expect(await ledger.read('p:e')).toEqual({ owner: 'b', abandoned: ['a'], delivered: [] });
  });

  it('forgets a record after its expiry, and survives a save and restore (local mode restarts)', async () => {
    let now = 0;
    const ledger = new InMemoryDedupLedger({ expiresAfterSeconds: 60, now: () => now });
    await ledger.claim('p:e', 'a');
    const restored = new InMemoryDedupLedger({ expiresAfterSeconds: 60, now: () => now });
    restored.restore(JSON.parse(JSON.stringify(ledger.snapshot())));
    expect(await restored.read('p:e')).toEqual({ owner: 'a', abandoned: [], delivered: [] });
    now = 60_000;
    expect(await restored.read('p:e')).toBeUndefined();
    expect(await restored.claim('p:e', 'b')).toBe(true);
  });

  it('skips saved entries of another shape instead of trusting them', async () => {
    const ledger = new InMemoryDedupLedger();
    ledger.restore([['old', { value: '{}', expiresAt: Date.now() + 1000 }] as never]);
    expect(await ledger.read('old')).toBeUndefined();
  });
});
