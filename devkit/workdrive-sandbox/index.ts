import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import {
  type ApiAnswer,
  type ApiRequest,
  html,
  intParam,
  NotFound,
  type ScriptedAnswer,
  type SeenRequest,
  startSourceSandbox,
} from '../source-sandbox/server';

/**
 * A stand-in for the WorkDrive API (reference 002) for local mode and tests: the read routes the poller
 * uses (`GET /api/news`, `/api/events`, `/api/posts` with `time`/`per_page`, `GET /api/tasks` with
 * `cur_page`/`per_page`, `GET /api/users/{id}`), the documented create routes, `X-API-KEY` checked, and
 * loopback-only control endpoints (`/_sandbox/...`) plus a page at `/` to publish news, create events,
 * assign tasks and script faults.
 */

export type WorkDriveUser = { id: string; firstName: string; lastName: string; email: string };

/** The demo users (their ids are the ones relay.config.example.json maps). */
export const WORKDRIVE_DEMO_USERS: WorkDriveUser[] = [
  {
    id: '0b7c2f0e-6a1e-4f43-9d0a-6c1f4f7c2a11',
    firstName: 'Anna',
    lastName: 'de Vries',
    email: 'anna.devries@demo.example',
  },
  {
    id: '5e2d8a3b-1c4f-4b7e-8f0a-2d3c4b5a6f22',
    firstName: 'Bram',
    lastName: 'Jansen',
    email: 'bram.jansen@demo.example',
  },
];

export type WorkDriveSandboxOptions = {
  /** Keys accepted in `X-API-KEY`. */
  apiKeys: string[];
  users?: WorkDriveUser[];
  host?: string;
  /** @default 0 (any free port) */
  port?: number;
};

type Item = Record<string, unknown> & { id: string };

export type WorkDriveSandbox = {
  url: string;
  publishNews(input: { newsTitle: string; public?: boolean; userIds?: string[]; postedAt?: string }): Item;
  createEvent(input: { title: string; startDateTime?: string; public?: boolean; createdAt?: string }): Item;
  createPost(input: { postText: string; mentionUserIds?: string[]; postedAt?: string }): Item;
  createTask(input: { title: string; dueDate?: string }): Item;
  assignTask(taskId: string, userIds: string[]): Item;
  script(...answers: ScriptedAnswer[]): void;
  requests(): SeenRequest[];
  reset(): void;
  close(): Promise<void>;
};

export async function startWorkDriveSandbox(options: WorkDriveSandboxOptions): Promise<WorkDriveSandbox> {
  const apiKeys = new Set(options.apiKeys);
  const users = new Map((options.users ?? WORKDRIVE_DEMO_USERS).map((user) => [user.id, user]));
  const lists = { news: [] as Item[], events: [] as Item[], posts: [] as Item[], tasks: [] as Item[] };
  // Creation instants are strictly increasing and never ahead of the clock: two items made in the same
  // millisecond would otherwise share a time, and an API answering "till now" must not hide the newest.
  let lastAt = 0;
  const stamp = (given?: string) => {
    if (given !== undefined) return new Date(given).toISOString();
    while (Date.now() <= lastAt) {
      // Spins at most a millisecond; this is a dev tool creating one item per call.
    }
    lastAt = Date.now();
    return new Date(lastAt).toISOString();
  };
  const author = () => users.values().next().value as WorkDriveUser | undefined;
  const userObjects = (ids: readonly string[]) =>
    ids.map((id) => users.get(id) ?? { id, firstName: '', lastName: '', email: null });

  const sandbox = {
    publishNews(input: { newsTitle: string; public?: boolean; userIds?: string[]; postedAt?: string }) {
      const item: Item = {
        id: randomUUID(),
        newsTitle: input.newsTitle,
        postedAt: stamp(input.postedAt),
        commentsCount: 0,
        user: author(),
        permissions: { public: input.public ?? true, users: input.userIds ?? [], groups: [], locations: [] },
        mentions: [],
        taggedUsers: [],
        tags: [],
      };
      lists.news.push(item);
      return item;
    },
    createEvent(input: { title: string; startDateTime?: string; public?: boolean; createdAt?: string }) {
      const createdAt = stamp(input.createdAt);
      const item: Item = {
        id: randomUUID(),
        title: input.title,
        createdAt,
        updatedAt: createdAt,
        startDateTime: input.startDateTime ?? new Date(Date.now() + 86_400_000).toISOString(),
        endDateTime: input.startDateTime ?? new Date(Date.now() + 90_000_000).toISOString(),
        permissions: { public: input.public ?? true, users: [], groups: [] },
        creator: author(),
        rsvpUsers: [],
      };
      lists.events.push(item);
      return item;
    },
    createPost(input: { postText: string; mentionUserIds?: string[]; postedAt?: string }) {
      const item: Item = {
        id: randomUUID(),
        postText: input.postText,
        postedAt: stamp(input.postedAt),
        user: author(),
        mentions: userObjects(input.mentionUserIds ?? []),
        taggedUsers: [],
      };
      lists.posts.push(item);
      return item;
    },
    createTask(input: { title: string; dueDate?: string }) {
      const createdAt = stamp();
      const item: Item = {
        id: randomUUID(),
        title: input.title,
        dueDate: input.dueDate ?? null,
        status: 'open',
        createdBy: author(),
        createdAt,
        updatedAt: createdAt,
        assignedUserIds: [],
      };
      lists.tasks.push(item);
      return item;
    },
    assignTask(taskId: string, userIds: string[], removeIds: string[] = []) {
      const task = lists.tasks.find((candidate) => candidate.id === taskId);
      if (!task) throw new NotFound(`no task ${taskId}`);
      const current = (task.assignedUserIds as WorkDriveUser[]).map((user) => user.id);
      const next = [...new Set([...current, ...userIds])].filter((id) => !removeIds.includes(id));
      task.assignedUserIds = userObjects(next);
      task.updatedAt = stamp();
      return task;
    },
  };

  function list(name: 'news' | 'events' | 'posts', timeField: string, query: URLSearchParams): ApiAnswer {
    const time = query.get('time') === null ? Date.now() : Date.parse(query.get('time') as string);
    if (!Number.isFinite(time)) return { status: 400, body: { message: 'time must be a date-time' } };
    const perPage = intParam(query, 'per_page', 10, 1, 1000);
    const matching = lists[name]
      .filter((item) => Date.parse(item[timeField] as string) <= time)
      .sort((a, b) => Date.parse(b[timeField] as string) - Date.parse(a[timeField] as string));
    const page = matching.slice(0, perPage);
    return {
      status: 200,
      body: {
        [name]: page,
        meta: meta(perPage, 1, matching.length),
      },
    };
  }

  function api(request: ApiRequest): ApiAnswer | undefined {
    const [prefix, resource, ...rest] = request.segments;
    if (prefix !== 'api') return undefined;
    const { method, query } = request;
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (method === 'GET' && rest.length === 0) {
      if (resource === 'news') return list('news', 'postedAt', query);
      if (resource === 'events') return list('events', 'createdAt', query);
      if (resource === 'posts') return list('posts', 'postedAt', query);
      if (resource === 'tasks') {
        const perPage = intParam(query, 'per_page', 10, 1, 1000);
        const curPage = intParam(query, 'cur_page', 1, 1, 1_000_000);
        const direction = (query.get('sort_direction') ?? 'ASC').toUpperCase() === 'DESC' ? -1 : 1;
        const sorted = [...lists.tasks].sort(
          (a, b) => direction * (Date.parse(a.createdAt as string) - Date.parse(b.createdAt as string)),
        );
        return {
          status: 200,
          body: {
            tasks: sorted.slice((curPage - 1) * perPage, curPage * perPage),
            meta: meta(perPage, curPage, sorted.length),
          },
        };
      }
    }
    if (method === 'GET' && resource === 'users' && rest.length === 1) {
      const user = users.get(rest[0] as string);
      return user ? { status: 200, body: user } : { status: 404, body: { message: 'user not found' } };
    }
    if (method === 'POST' && resource === 'news' && rest.length === 0) {
      const permissions = (body.permissions ?? {}) as Record<string, unknown>;
      return created(
        sandbox.publishNews({
          newsTitle: String(body.newsTitle ?? ''),
          public: permissions.public !== false,
          userIds: strings(permissions.users),
        }),
      );
    }
    if (method === 'POST' && resource === 'events' && rest[0] === 'meeting') {
      return created(
        sandbox.createEvent({
          title: String(body.title ?? ''),
          ...(typeof body.startDateTime === 'string' ? { startDateTime: body.startDateTime } : {}),
        }),
      );
    }
    if (method === 'POST' && resource === 'posts' && rest.length === 0) {
      return created(
        sandbox.createPost({
          postText: String(body.postText ?? ''),
          mentionUserIds: strings(body.mention),
        }),
      );
    }
    if (method === 'POST' && resource === 'tasks' && rest.length === 0) {
      return created(sandbox.createTask({ title: String(body.title ?? '') }));
    }
    if (method === 'PATCH' && resource === 'tasks' && rest[0] === 'assign' && rest.length === 2) {
      return {
        status: 200,
        body: sandbox.assignTask(rest[1] as string, strings(body.userIds), strings(body.removeIds)),
      };
    }
    return undefined;
  }

  /** The same actions for the page's forms and for curl: fields as strings, lists comma separated. */
  function control(request: ApiRequest): ApiAnswer | undefined {
    if (request.method !== 'POST') return undefined;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const [what, id, action] = request.segments;
    const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '');
    const flag = (name: string) => body[name] === true || body[name] === 'true' || body[name] === 'on';
    if (what === 'news') {
      if (!text('newsTitle')) return { status: 400, body: { message: 'newsTitle is required' } };
      return created(
        sandbox.publishNews({
          newsTitle: text('newsTitle'),
          public: body.public === undefined ? true : flag('public'),
          userIds: strings(body.userIds),
          ...(text('postedAt') ? { postedAt: text('postedAt') } : {}),
        }),
      );
    }
    if (what === 'events') {
      if (!text('title')) return { status: 400, body: { message: 'title is required' } };
      return created(
        sandbox.createEvent({
          title: text('title'),
          ...(text('startDateTime') ? { startDateTime: text('startDateTime') } : {}),
        }),
      );
    }
    if (what === 'posts') {
      if (!text('postText')) return { status: 400, body: { message: 'postText is required' } };
      return created(
        sandbox.createPost({ postText: text('postText'), mentionUserIds: strings(body.mentionUserIds) }),
      );
    }
    if (what === 'tasks' && id === undefined) {
      if (!text('title')) return { status: 400, body: { message: 'title is required' } };
      const task = sandbox.createTask({ title: text('title') });
      const assignees = strings(body.userIds);
      return created(assignees.length > 0 ? sandbox.assignTask(task.id, assignees) : task);
    }
    if (what === 'tasks' && id !== undefined && action === 'assign') {
      return { status: 200, body: sandbox.assignTask(id, strings(body.userIds)) };
    }
    return undefined;
  }

  const server = await startSourceSandbox(
    {
      name: 'WorkDrive',
      authorized: (request: IncomingMessage) => {
        const key = request.headers['x-api-key'];
        return typeof key === 'string' && apiKeys.has(key);
      },
      api,
      control,
      page: () => page(lists, [...users.values()]),
      reset: () => {
        for (const items of Object.values(lists)) items.length = 0;
      },
    },
    {
      ...(options.host ? { host: options.host } : {}),
      ...(options.port === undefined ? {} : { port: options.port }),
    },
  );

  return {
    ...sandbox,
    url: server.url,
    script: server.script,
    requests: server.requests,
    reset: () => {
      for (const items of Object.values(lists)) items.length = 0;
    },
    close: server.close,
  };
}

function created(item: Item): ApiAnswer {
  return { status: 201, body: item };
}

function strings(value: unknown): string[] {
  if (Array.isArray(value))
    return value.filter((entry): entry is string => typeof entry === 'string' && entry !== '');
  if (typeof value === 'string')
    return value
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
  return [];
}

function meta(perPage: number, curPage: number, total: number) {
  const totalPages = Math.max(1, Math.ceil(total / perPage));
  return {
    perPage,
    totalPages,
    totalResults: total,
    curPage,
    nextPage: curPage < totalPages ? curPage + 1 : 0,
  };
}

function page(lists: Record<string, Item[]>, users: WorkDriveUser[]): string {
  const rows = (items: Item[], label: (item: Item) => string) =>
    items
      .slice(-20)
      .reverse()
      .map((item) => `<li>${html(label(item))}</li>`)
      .join('') || '<li><em>none yet</em></li>';
  const userOptions = users
    .map((user) => `<option value="${html(user.id)}">${html(`${user.firstName} ${user.lastName}`)}</option>`)
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>WorkDrive API sandbox</title>
<style>body{font:14px system-ui;margin:2rem;max-width:60rem}form{margin:.5rem 0 1.5rem}input{margin-right:.5rem}</style></head><body>
<h1>WorkDrive API sandbox</h1>
<p>The relay polls this API; what you create here reaches the Workspace 365 sandbox feed on the next poll.</p>
<h2>Publish a news item</h2><form method="post" action="/_sandbox/news"><input name="newsTitle" placeholder="Title" required><label><input type="checkbox" name="public" checked> public</label><button>Publish</button></form>
<h2>Create an event</h2><form method="post" action="/_sandbox/events"><input name="title" placeholder="Title" required><button>Create</button></form>
<h2>Assign a task</h2><form method="post" action="/_sandbox/tasks"><input name="title" placeholder="Task" required><select name="userIds">${userOptions}</select><button>Create and assign</button></form>
<h2>News</h2><ul>${rows(lists.news ?? [], (item) => `${item.postedAt} ${item.newsTitle}`)}</ul>
<h2>Events</h2><ul>${rows(lists.events ?? [], (item) => `${item.createdAt} ${item.title}`)}</ul>
<h2>Tasks</h2><ul>${rows(lists.tasks ?? [], (item) => `${item.title} → ${(item.assignedUserIds as WorkDriveUser[]).map((user) => user.email).join(', ')}`)}</ul>
</body></html>`;
}
