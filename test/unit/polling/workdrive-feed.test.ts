import { describe, expect, it } from 'vitest';
import type { PollConfig } from '../../../shared/config/poll-config';
import type { PollContext, PolledEvent } from '../../../shared/polling/resource-poller';
import { WORKDRIVE_FEEDS, workDriveFeedPoller } from '../../../shared/polling/workdrive-feed';

type News = { id: string; postedAt: string; newsTitle: string };

/** `GET /api/news` as reference 002 describes it: newest first, up to `time`, `per_page` items. */
function newsApi(items: News[]): PollContext['api'] {
  return {
    async get(_path, query = {}) {
      const time = Date.parse(String(query.time));
      const perPage = Number(query.per_page);
      const news = items
        .filter((item) => Date.parse(item.postedAt) <= time)
        .sort((a, b) => Date.parse(b.postedAt) - Date.parse(a.postedAt))
        .slice(0, perPage);
      return { news, meta: {} };
    },
  };
}

const NOW = new Date('2026-12-01T12:00:00.000Z');
const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 11, minute)).toISOString();

async function run(items: News[], checkpoint: unknown, poll: Partial<PollConfig> = {}) {
  const queued: PolledEvent[] = [];
  let saved: unknown = checkpoint;
  await workDriveFeedPoller(WORKDRIVE_FEEDS.news).poll(
    {
      api: newsApi(items),
      poll: { baseUrl: 'https://x.example', intervalSeconds: 60, pageSize: 2, maxPagesPerRun: 5, ...poll },
      now: NOW,
      warn: () => {},
      outOfTime: () => false,
      commit: async (events, next) => {
        queued.push(...events);
        saved = next;
      },
    },
    checkpoint,
  );
  return { ids: queued.map((event) => event.id), saved };
}

describe('WorkDrive feed cursor', () => {
  it('starts at the newest item on the first run and queues nothing', async () => {
    const items = [
      { id: 'a', postedAt: at(1), newsTitle: 'A' },
      { id: 'b', postedAt: at(2), newsTitle: 'B' },
    ];
    const { ids, saved } = await run(items, undefined);
    expect(ids).toEqual([]);
    expect(saved).toEqual({ cursor: at(2), seenAtCursor: ['b'] });
  });

  it('backfills from an explicit since (items at that instant included), and nothing older', async () => {
    const items = [1, 2, 3, 4, 5].map((minute) => ({
      id: `n${minute}`,
      postedAt: at(minute),
      newsTitle: `${minute}`,
    }));
    const { ids, saved } = await run(items, undefined, { since: at(2) });
    expect(ids.sort()).toEqual(['news:n2', 'news:n3', 'news:n4', 'news:n5']);
    expect(saved).toEqual({ cursor: at(5), seenAtCursor: ['n5'] });
  });

  it('finds an item published at the same instant as the cursor, and no item twice', async () => {
    const items = [
      { id: 'a', postedAt: at(3), newsTitle: 'A' },
      { id: 'b', postedAt: at(3), newsTitle: 'B' },
    ];
    const { ids, saved } = await run(items, { cursor: at(3), seenAtCursor: ['a'] });
    expect(ids).toEqual(['news:b']);
    const again = await run(items, saved);
    expect(again.ids).toEqual([]);
  });
});
