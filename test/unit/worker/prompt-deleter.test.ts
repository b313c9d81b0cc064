import { describe, expect, it } from 'vitest';
import { createPromptDeleter } from '../../../shared/worker/prompt-deleter';

function recordingQueue(refuse: (handle: string) => boolean = () => false) {
  const calls: string[][] = [];
  return {
    calls,
    deleteMessages: async (handles: readonly string[]) => {
      calls.push([...handles]);
      return handles.filter(refuse);
    },
  };
}

describe('createPromptDeleter: delivered messages leave the queue at once, in few requests', () => {
  it('deletes the messages delivered within the window in one request', async () => {
    const queue = recordingQueue();
    const deleter = createPromptDeleter(queue, { windowMs: 20 });
    const results = await Promise.all(['a', 'b', 'c'].map((handle) => deleter.delete(handle)));
    expect(results).toEqual([true, true, true]);
    expect(queue.calls).toEqual([['a', 'b', 'c']]);
  });

  it('sends a full batch of ten at once, and what comes later in its own request', async () => {
    const queue = recordingQueue();
    const deleter = createPromptDeleter(queue, { windowMs: 60_000 });
    const ten = Array.from({ length: 10 }, (_, index) => `h${index}`);
    await Promise.all(ten.map((handle) => deleter.delete(handle)));
    expect(queue.calls).toEqual([ten]);
    const late = createPromptDeleter(queue, { windowMs: 1 });
    expect(await late.delete('h10')).toBe(true);
    expect(queue.calls.at(-1)).toEqual(['h10']);
  });

  it('answers false for the messages the queue did not delete, and for all of them when the request fails', async () => {
    const partial = createPromptDeleter(
      recordingQueue((handle) => handle === 'b'),
      { windowMs: 5 },
    );
    expect(await Promise.all([partial.delete('a'), partial.delete('b')])).toEqual([true, false]);
    const down = createPromptDeleter(
      {
        deleteMessages: async () => {
          throw new Error('SQS unavailable');
        },
      },
      { windowMs: 5 },
    );
    expect(await Promise.all([down.delete('a'), down.delete('b')])).toEqual([false, false]);
  });
});
