import * as z from '../zod';
import { idPart } from './ids';
import { PollStop } from './poll-stop';
import type { PollContext, PolledEvent, ResourcePoller } from './resource-poller';

/**
 * WorkDrive lists that are read newest first up to a `time` (reference 002: `GET /api/news`, `/api/events`,
 * `/api/posts` with `time`, `per_page`, `sort_key`). The API has no lower bound, so a run walks pages down
 * from now until it meets the cursor (the newest time already queued, with the ids seen at exactly that
 * time), queueing each page as it is read and saving where it got to (`descent`). A backlog longer than
 * one run's pages is finished by the next runs, each page read once; when the walk meets the cursor the
 * cursor jumps to the newest item of the walk (docs/polling.md).
 */
export type FeedCheckpoint = {
  cursor: string;
  seenAtCursor: string[];
  /** A walk down that has not met the cursor yet. */
  descent?: { top: string; seenAtTop: string[]; below: string; seenAtBelow: string[] };
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

const IsoTime = z.iso.datetime({ offset: true });
const FeedCheckpointSchema = z.object({
  cursor: IsoTime,
  seenAtCursor: z.array(z.string()),
  descent: z.optional(
    z.object({
      top: IsoTime,
      seenAtTop: z.array(z.string()),
      below: IsoTime,
      seenAtBelow: z.array(z.string()),
    }),
  ),
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

async function walk(spec: FeedSpec, context: PollContext, start: FeedCheckpoint): Promise<void> {
  const cursorAt = Date.parse(start.cursor);
  const seenAtCursor = new Set(start.seenAtCursor);
  let descent = start.descent;
  let time = descent?.below ?? context.now.toISOString();
  for (let page = 0; page < context.poll.maxPagesPerRun; page++) {
    const items = await readPage(spec, context, time);
    const seenAtBelow = new Set(descent?.seenAtBelow ?? []);
    const belowAt = descent ? Date.parse(descent.below) : Number.POSITIVE_INFINITY;
    let reached = items.length < context.poll.pageSize;
    const fresh: Item[] = [];
    for (const item of items) {
      if (item.at < cursorAt || (item.at === cursorAt && seenAtCursor.has(item.id))) reached = true;
      else if (!(item.at === belowAt && seenAtBelow.has(item.id))) fresh.push(item);
    }
    fresh.sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
    const oldest = items.reduce<Item | undefined>(
      (min, item) => (!min || item.at < min.at ? item : min),
      undefined,
    );
    // A page all at the instant it was asked for cannot be paged past by time (docs/polling.md).
    if (!oldest || oldest.at === Date.parse(time)) reached = true;

    const newest = fresh[fresh.length - 1];
    if (descent === undefined && newest !== undefined) {
      descent = { top: newest.time, seenAtTop: idsAt(fresh, newest.at), below: newest.time, seenAtBelow: [] };
    }
    const lowest = fresh[0];
    if (descent !== undefined && lowest !== undefined) {
      const sameBelow = Date.parse(descent.below) === lowest.at;
      descent = {
        ...descent,
        below: lowest.time,
        seenAtBelow: [...new Set([...(sameBelow ? descent.seenAtBelow : []), ...idsAt(fresh, lowest.at)])],
      };
    }
    const events = fresh.map((item) => toEvent(spec, item));
    if (reached) {
      const next: FeedCheckpoint =
        descent === undefined
          ? { cursor: start.cursor, seenAtCursor: start.seenAtCursor }
          : {
              cursor: descent.top,
              // Still the same instant: what was seen at it before stays seen.
              seenAtCursor:
                Date.parse(descent.top) === cursorAt
                  ? [...new Set([...start.seenAtCursor, ...descent.seenAtTop])]
                  : descent.seenAtTop,
            };
      await context.commit(events, next);
      return;
    }
    await context.commit(events, {
      cursor: start.cursor,
      seenAtCursor: start.seenAtCursor,
      ...(descent ? { descent } : {}),
    });
    if (context.outOfTime()) return;
    time = (oldest as Item).time;
  }
}

function idsAt(items: readonly Item[], at: number): string[] {
  return items.filter((item) => item.at === at).map((item) => item.id);
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
