import { describe, expect, it } from 'vitest';
import { createKeyedLimiter } from '../../../shared/worker/keyed-limiter';

describe('createKeyedLimiter', () => {
  it('caps work per key, runs other keys alongside, and hands slots over in order', async () => {
    const limiter = createKeyedLimiter(2);
    const order: string[] = [];
    let open = 0;
    let peak = 0;
    const task = (key: string, name: string) =>
      limiter.run(key, async () => {
        open++;
        peak = Math.max(peak, open);
        order.push(name);
        await new Promise((resolve) => setTimeout(resolve, 5));
        open--;
        return name;
      });
    const results = await Promise.all([task('a', 'a1'), task('a', 'a2'), task('a', 'a3'), task('b', 'b1')]);
    expect(results).toEqual(['a1', 'a2', 'a3', 'b1']);
    expect(order.slice(0, 3)).toEqual(['a1', 'a2', 'b1']);
    expect(peak).toBe(3); // two of a, one of b
  });

  it('releases the slot when the work fails', async () => {
    const limiter = createKeyedLimiter(1);
    await expect(limiter.run('a', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limiter.run('a', async () => 'next')).toBe('next');
  });
});
