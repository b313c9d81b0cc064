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
 * A stand-in for the Huddle Workspaces API (reference 004) for local mode and tests: `GET /workspaces`,
 * `GET /workspaces/{id}`, `GET /workspaces/{id}/users` and `/managers` paged with `skip`/`pagesize`, in
 * the documented shapes (links, `teamsPreview`, `workspaceManager`), `Authorization: Bearer` checked, and
 * loopback-only control endpoints (`/_sandbox/...`) plus a page at `/` to create workspaces and add users.
 */

export type HuddlePerson = { name: string; email: string };

export type HuddleSandboxOptions = {
  /** Tokens accepted as `Authorization: Bearer <token>`. */
  accessTokens: string[];
  host?: string;
  /** @default 0 (any free port) */
  port?: number;
};

type Member = { userId: number; name: string; email: string; manager: boolean; teams: string[] };
type Workspace = { id: number; name: string; createdDate: string; members: Member[] };

export type HuddleSandbox = {
  url: string;
  createWorkspace(input: { name: string; createdBy: HuddlePerson }): { id: number };
  addUser(workspaceId: number, user: HuddlePerson & { manager?: boolean; teams?: string[] }): void;
  makeManager(workspaceId: number, email: string): void;
  script(...answers: ScriptedAnswer[]): void;
  requests(): SeenRequest[];
  reset(): void;
  close(): Promise<void>;
};

export async function startHuddleSandbox(options: HuddleSandboxOptions): Promise<HuddleSandbox> {
  const tokens = new Set(options.accessTokens);
  const workspaces = new Map<number, Workspace>();
  const userIds = new Map<string, number>();
  const teamIds = new Map<string, number>();
  let nextWorkspaceId = 100;
  const userIdFor = (email: string) => {
    const key = email.toLowerCase();
    if (!userIds.has(key)) userIds.set(key, 9000 + userIds.size);
    return userIds.get(key) as number;
  };
  const teamIdFor = (workspaceId: number, name: string) => {
    const key = `${workspaceId}/${name}`;
    if (!teamIds.has(key)) teamIds.set(key, 500 + teamIds.size);
    return teamIds.get(key) as number;
  };
  const workspace = (id: number) => {
    const found = workspaces.get(id);
    if (!found) throw new NotFound(`no workspace ${id}`);
    return found;
  };

  const sandbox = {
    createWorkspace(input: { name: string; createdBy: HuddlePerson }) {
      const id = nextWorkspaceId++;
      // The creator is made a workspace manager (reference 004, "Create a Workspace").
      workspaces.set(id, {
        id,
        name: input.name,
        createdDate: new Date().toISOString(),
        members: [{ ...input.createdBy, userId: userIdFor(input.createdBy.email), manager: true, teams: [] }],
      });
      return { id };
    },
    addUser(workspaceId: number, user: HuddlePerson & { manager?: boolean; teams?: string[] }) {
      const ws = workspace(workspaceId);
      const existing = ws.members.find((member) => member.email.toLowerCase() === user.email.toLowerCase());
      if (existing) {
        existing.manager ||= user.manager === true;
        existing.teams = [...new Set([...existing.teams, ...(user.teams ?? [])])];
        return;
      }
      ws.members.push({
        name: user.name,
        email: user.email,
        userId: userIdFor(user.email),
        manager: user.manager === true,
        teams: user.teams ?? [],
      });
    },
    makeManager(workspaceId: number, email: string) {
      const member = workspace(workspaceId).members.find(
        (m) => m.email.toLowerCase() === email.toLowerCase(),
      );
      if (!member) throw new NotFound(`${email} is not in workspace ${workspaceId}`);
      member.manager = true;
    },
  };

  const workspaceBody = (ws: Workspace) => ({
    links: [
      { rel: 'self', href: `/workspaces/${ws.id}` },
      { rel: 'parent', href: '/accounts/1' },
      { rel: 'leave', href: `/workspaces/${ws.id}/leave` },
      { rel: 'teams', href: `/workspaces/${ws.id}/teams` },
      { rel: 'managers', href: `/workspaces/${ws.id}/managers` },
    ],
    name: ws.name,
    createdDate: ws.createdDate,
  });
  const personLinks = (member: Member) => [
    { rel: 'self', href: `/users/${member.userId}` },
    { rel: 'avatar', href: `/users/${member.userId}/avatar` },
    { rel: 'alternate', href: `/users/${member.userId}/profile` },
  ];
  const userBody = (ws: Workspace, member: Member) => ({
    name: member.name,
    email: member.email,
    lastLogin: null,
    workspaceManager: member.manager,
    teamsPreview: member.teams.map((team) => ({
      name: team,
      links: [{ rel: 'self', href: `/workspaces/${ws.id}/teams/${teamIdFor(ws.id, team)}` }],
    })),
    links: [
      { rel: 'self', href: `/workspaces/${ws.id}/users/${member.userId}` },
      { rel: 'user', href: `/users/${member.userId}` },
    ],
  });
  const paged = (ws: Workspace, query: URLSearchParams, key: 'users' | 'managers', items: unknown[]) => {
    const skip = intParam(query, 'skip', 0, 0, 1_000_000);
    const pagesize = intParam(query, 'pagesize', 20, 1, 100);
    const base = `/workspaces/${ws.id}/${key}`;
    const links = [
      { rel: 'self', href: `${base}?skip=${skip}&pagesize=${pagesize}` },
      { rel: 'parent', href: `/workspaces/${ws.id}` },
      { rel: 'first', href: `${base}?skip=0&pagesize=${pagesize}` },
      ...(skip > 0
        ? [{ rel: 'previous', href: `${base}?skip=${Math.max(0, skip - pagesize)}&pagesize=${pagesize}` }]
        : []),
      ...(skip + pagesize < items.length
        ? [{ rel: 'next', href: `${base}?skip=${skip + pagesize}&pagesize=${pagesize}` }]
        : []),
    ];
    return { status: 200, body: { [key]: items.slice(skip, skip + pagesize), links } };
  };

  function api(request: ApiRequest): ApiAnswer | undefined {
    const [root, id, sub, ...rest] = request.segments;
    if (root !== 'workspaces' || request.method !== 'GET' || rest.length > 0) return undefined;
    if (id === undefined) {
      return {
        status: 200,
        body: {
          links: [{ rel: 'self', href: '/workspaces' }],
          workspaces: [...workspaces.values()].map(workspaceBody),
        },
      };
    }
    const ws = workspace(Number(id));
    if (sub === undefined) return { status: 200, body: workspaceBody(ws) };
    if (sub === 'users')
      return paged(
        ws,
        request.query,
        'users',
        ws.members.map((member) => userBody(ws, member)),
      );
    if (sub === 'managers') {
      const managers = ws.members
        .filter((member) => member.manager)
        .map((member) => ({ name: member.name, email: member.email, links: personLinks(member) }));
      return paged(ws, request.query, 'managers', managers);
    }
    return undefined;
  }

  function control(request: ApiRequest): ApiAnswer | undefined {
    if (request.method !== 'POST') return undefined;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '');
    const [what, id, sub] = request.segments;
    if (what === 'workspaces' && id === undefined) {
      const creator = (body.createdBy ?? {
        name: text('creatorName'),
        email: text('creatorEmail'),
      }) as HuddlePerson;
      if (!text('name') || !creator.email) {
        return {
          status: 400,
          body: { message: 'name and createdBy.email (or creatorEmail) are required' },
        };
      }
      return { status: 201, body: sandbox.createWorkspace({ name: text('name'), createdBy: creator }) };
    }
    if (what === 'workspaces' && id !== undefined && sub === 'users') {
      if (!text('email')) return { status: 400, body: { message: 'email is required' } };
      const teams = Array.isArray(body.teams)
        ? (body.teams as string[])
        : text('teams')
          ? text('teams')
              .split(',')
              .map((t) => t.trim())
          : [];
      sandbox.addUser(Number(id), {
        name: text('name') || text('email'),
        email: text('email'),
        manager: body.manager === true || body.manager === 'on' || body.manager === 'true',
        teams,
      });
      return { status: 204 };
    }
    if (what === 'workspaces' && id !== undefined && sub === 'managers') {
      sandbox.makeManager(Number(id), text('email'));
      return { status: 204 };
    }
    return undefined;
  }

  const server = await startSourceSandbox(
    {
      name: 'Huddle',
      authorized: (request: IncomingMessage) => {
        const match = /^Bearer (.+)$/.exec(request.headers.authorization ?? '');
        return match !== null && tokens.has(match[1] as string);
      },
      api,
      control,
      page: () => page([...workspaces.values()]),
      reset: () => workspaces.clear(),
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
    reset: () => workspaces.clear(),
    close: server.close,
  };
}

function page(workspaces: Workspace[]): string {
  const list =
    workspaces
      .map(
        (ws) =>
          `<li><strong>${html(ws.name)}</strong> (${ws.id}): ${ws.members
            .map(
              (m) =>
                `${html(m.email)}${m.manager ? ' (manager)' : ''}${m.teams.length ? ` [${html(m.teams.join(', '))}]` : ''}`,
            )
            .join(', ')}
<form method="post" action="/_sandbox/workspaces/${ws.id}/users"><input name="email" type="email" placeholder="e-mail" required><input name="name" placeholder="name"><input name="teams" placeholder="teams (comma separated)"><label><input type="checkbox" name="manager"> manager</label><button>Add user</button></form></li>`,
      )
      .join('') || '<li><em>no workspaces yet</em></li>';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Huddle API sandbox</title>
<style>body{font:14px system-ui;margin:2rem;max-width:60rem}form{margin:.5rem 0 1rem}input{margin-right:.5rem}</style></head><body>
<h1>Huddle API sandbox</h1>
<p>The relay polls this API; membership changes reach the Workspace 365 sandbox feed on the next poll.</p>
<h2>Create a workspace</h2><form method="post" action="/_sandbox/workspaces"><input name="name" placeholder="Workspace name" required><input name="creatorEmail" type="email" placeholder="creator e-mail" required><input name="creatorName" placeholder="creator name"><button>Create</button></form>
<h2>Workspaces</h2><ul>${list}</ul></body></html>`;
}
