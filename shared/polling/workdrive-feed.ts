import * as z from '../zod';
import { idPart } from './ids';
import { PollStop } from './poll-stop';
import type { PollContext, PolledEvent, ResourcePoller } from './resource-poller';

/**
 * WorkDrive lists that are read newest first up to a `time` (reference 002: `GET /api/news`, `/api/events`,
 * `/api/posts` with `time`, `per_page`, `sort_key`). The checkpoint is a cursor: the newest timestamp
 * already queued and the ids seen at exactly that time. A run walks pages down from now (or from
 * `scanBefore`, where a run that hit its page limit stopped) until it reaches the cursor, then queues
 * what it found oldest first, one page at a time, moving the cursor after each (docs/polling.md).
 */
export type FeedCheckpoint = {
  cursor: string;
  seenAtCursor: string[];
  /** Set while a backlog longer than one run's pages is walked down; cleared once it is queued. */
  scanBefore?: string;
};

export type FeedSpec = {
  resource: string;
  path: string;
  /** The array in the answer (`news`, `events`, `posts`). */
  listKey: string;
  /** The item's creation time. */
  timeField: string;
  event: string;
  /** Event id = `<idPrefix>:<item id>`. */
  idPrefix: string;
  /** Extra query parameters (`sort_key: 'a'`, most recent first). */
  query?: Readonly<Record<string, string>>;
};

const FeedCheckpointSchema = z.object({
  cursor: z.iso.datetime({ offset: true }),
  seenAtCursor: z.array(z.string()),
  scanBefore: z.optional(z.iso.datetime({ offset: true })),
});

const ListItem = z.looseObject({
  id: z.pipe(z.union([z.string().check(z.minLength(1)), z.number()]), z.transform(String)),
});

type Item = { id: string; at: number; time: string; raw: Record<string, unknown> };

export function workDriveFeedPoller(spec: FeedSpec): ResourcePoller {
  return {
    resource: spec.resource,
    async poll(context, stored) {
      const previous = FeedCheckpointSchema.safeParse(stored);
      if (!previous.success) {
        await startCursor(spec, context);
        return;
      }
      await walk(spec, context, previous.data);
    },
  };
}

/** First run: the cursor starts at `since` (a backfill) or at the newest item there is; nothing is queued. */
async function startCursor(spec: FeedSpec, context: PollContext): Promise<void> {
  if (context.poll.since !== undefined) {
    const checkpoint: FeedCheckpoint = { cursor: context.poll.since, seenAtCursor: [] };
    await walk(spec, context, checkpoint);
    return;
  }
  const items = await readPage(spec, context, context.now.toISOString());
  const newest = items.reduce<Item | undefined>(
    (best, item) => (!best || item.at > best.at ? item : best),
    undefined,
  );
  const checkpoint: FeedCheckpoint = newest
    ? {
        cursor: newest.time,
        seenAtCursor: items.filter((item) => item.at === newest.at).map((item) => item.id),
      }
    : { cursor: context.now.toISOString(), seenAtCursor: [] };
  await context.commit([], checkpoint);
}

async function walk(spec: FeedSpec, context: PollContext, checkpoint: FeedCheckpoint): Promise<void> {
  const cursorAt = Date.parse(checkpoint.cursor);
  const seen = new Set(checkpoint.seenAtCursor);
  const found = new Map<string, Item>();
  let time = checkpoint.scanBefore ?? context.now.toISOString();
  let reachedCursor = false;
  for (let page = 0; page < context.poll.maxPagesPerRun && !reachedCursor; page++) {
    const items = await readPage(spec, context, time);
    let oldest: Item | undefined;
    for (const item of items) {
      if (!oldest || item.at < oldest.at) oldest = item;
      if (item.at < cursorAt || (item.at === cursorAt && seen.has(item.id))) reachedCursor = true;
      else found.set(item.id, item);
    }
    // A short page is the end of the list; a page all at one instant cannot be paged past by time.
    if (items.length < context.poll.pageSize || !oldest || oldest.at === Date.parse(time))
      reachedCursor = true;
    else time = oldest.time;
  }
  if (!reachedCursor) {
    // More new items than one run may read: remember how far down we got; queue nothing yet.
    await context.commit([], { ...checkpoint, scanBefore: time });
    return;
  }
  const ordered = [...found.values()].sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
  let current = checkpoint;
  for (let start = 0; start < ordered.length; start += context.poll.pageSize) {
    const chunk = ordered.slice(start, start + context.poll.pageSize);
    const last = chunk[chunk.length - 1] as Item;
    const isLast = start + context.poll.pageSize >= ordered.length;
    const atNewest = chunk.filter((item) => item.at === last.at).map((item) => item.id);
    const sameCursor = Date.parse(current.cursor) === last.at;
    const next: FeedCheckpoint = {
      cursor: last.time,
      seenAtCursor: sameCursor ? [...new Set([...current.seenAtCursor, ...atNewest])] : atNewest,
      ...(isLast || current.scanBefore === undefined ? {} : { scanBefore: current.scanBefore }),
    };
    await context.commit(
      chunk.map((item) => toEvent(spec, item)),
      next,
    );
    current = next;
    if (!isLast && context.outOfTime()) return;
  }
  if (ordered.length === 0 && checkpoint.scanBefore !== undefined) {
    await context.commit([], { cursor: checkpoint.cursor, seenAtCursor: checkpoint.seenAtCursor });
  }
}

async function readPage(spec: FeedSpec, context: PollContext, time: string): Promise<Item[]> {
  const body = await context.api.get(spec.path, {
    time,
    per_page: context.poll.pageSize,
    ...spec.query,
  });
  const list = (body as Record<string, unknown> | null)?.[spec.listKey];
  if (!Array.isArray(list)) {
    throw new PollStop('bad_response', `GET ${spec.path} answered without a "${spec.listKey}" list`);
  }
  const items: Item[] = [];
  for (const raw of list) {
    const parsed = ListItem.safeParse(raw);
    const time = (raw as Record<string, unknown> | null)?.[spec.timeField];
    const at = typeof time === 'string' ? Date.parse(time) : Number.NaN;
    // An item without an id or a time cannot be placed against the cursor; it is skipped, not guessed.
    if (parsed.success && Number.isFinite(at)) {
      items.push({ id: parsed.data.id, at, time: time as string, raw: raw as Record<string, unknown> });
    }
  }
  return items;
}

function toEvent(spec: FeedSpec, item: Item): PolledEvent {
  return {
    id: `${spec.idPrefix}:${idPart(item.id)}`,
    event: spec.event,
    occurredAt: new Date(item.at).toISOString(),
    data: item.raw,
  };
}

/** The three WorkDrive feeds the poller reads. */
export const WORKDRIVE_FEEDS: Record<'news' | 'events' | 'posts', FeedSpec> = {
  news: {
    resource: 'news',
    path: '/api/news',
    listKey: 'news',
    timeField: 'postedAt',
    event: 'news.published',
    idPrefix: 'news',
    query: { sort_key: 'a' },
  },
  events: {
    resource: 'events',
    path: '/api/events',
    listKey: 'events',
    timeField: 'createdAt',
    event: 'event.created',
    idPrefix: 'event',
  },
  posts: {
    resource: 'posts',
    path: '/api/posts',
    listKey: 'posts',
    timeField: 'postedAt',
    event: 'post.created',
    idPrefix: 'post',
    query: { sort_key: 'a' },
  },
};
