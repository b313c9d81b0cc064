import { HUDDLE_POLL_RESOURCES, type HuddlePollResource } from '../config/poll-config';
import * as z from '../zod';
import {
  diffWorkspace,
  type HuddleMember,
  type HuddleTeamRef,
  snapshotOf,
  type WorkspaceSnapshot,
  type WorkspaceView,
} from './huddle-snapshot';
import { opaqueKey } from './ids';
import { PollStop } from './poll-stop';
import type { PollContext, ResourcePoller } from './resource-poller';

/**
 * Huddle memberships (reference 004): the workspaces the token can see (`GET /workspaces`), each one's
 * users (`/workspaces/{id}/users`, with their `teamsPreview`) and managers (`/workspaces/{id}/managers`),
 * paged with `skip`/`pagesize`. Huddle has no change feed, so each workspace is compared with its last
 * snapshot; one workspace is one commit. A pass that runs out of time resumes after the last workspace
 * committed. The first full pass only records.
 */
export type HuddleCheckpoint = {
  initialized: boolean;
  workspaces: Record<string, WorkspaceSnapshot>;
  /** The last workspace id committed by an unfinished pass. */
  resumeAfter?: string;
};

const SnapshotSchema = z.object({
  name: z.string(),
  users: z.array(z.string()),
  managers: z.array(z.string()),
  teams: z.record(z.string(), z.array(z.string())),
});
const HuddleCheckpointSchema = z.object({
  initialized: z.boolean(),
  workspaces: z.record(z.string(), SnapshotSchema),
  resumeAfter: z.optional(z.string()),
});

const Link = z.looseObject({ rel: z.string(), href: z.string() });
const Links = z.catch(z.array(Link), []);
const WorkspaceItem = z.looseObject({ name: z.string(), links: Links });
const Person = z.looseObject({ name: z.nullish(z.string()), email: z.email(), links: Links });
const UserItem = z.looseObject({
  name: z.nullish(z.string()),
  email: z.email(),
  links: Links,
  teamsPreview: z.catch(z.array(z.looseObject({ name: z.string(), links: Links })), []),
});

const WORKSPACE_ID = /\/workspaces\/([^/?#]+)\/?(?:[?#]|$)/;
const LAST_SEGMENT = /\/([^/?#]+)\/?(?:[?#]|$)/;

export function huddleMembershipsPoller(resources: readonly string[]): ResourcePoller {
  const wanted = new Set(
    resources.filter((resource): resource is HuddlePollResource =>
      (HUDDLE_POLL_RESOURCES as readonly string[]).includes(resource),
    ),
  );
  return {
    resource: 'memberships',
    async poll(context, stored) {
      const parsed = HuddleCheckpointSchema.safeParse(stored);
      let checkpoint: HuddleCheckpoint = parsed.success
        ? parsed.data
        : { initialized: false, workspaces: {} };
      const workspaces = await listWorkspaces(context);
      const start =
        checkpoint.resumeAfter === undefined
          ? 0
          : workspaces.findIndex((ws) => ws.id > (checkpoint.resumeAfter as string));
      for (const workspace of start < 0 ? [] : workspaces.slice(start)) {
        if (context.outOfTime()) return;
        const view = await readWorkspace(context, workspace, wanted);
        const snapshots = { ...checkpoint.workspaces };
        let events: ReturnType<typeof diffWorkspace> = [];
        if (view === undefined) {
          context.warn(
            'huddle workspace too large to compare in one run; raise poll.pageSize or poll.maxPagesPerRun',
            {
              workspaceId: workspace.id,
            },
          );
        } else {
          if (checkpoint.initialized) {
            events = diffWorkspace(snapshots[workspace.id], view, wanted, context.now.toISOString());
          }
          snapshots[workspace.id] = snapshotOf(view);
        }
        checkpoint = { ...checkpoint, workspaces: snapshots, resumeAfter: workspace.id };
        await context.commit(events, checkpoint);
      }
      // The pass is complete: forget workspaces the token no longer sees.
      const listed = new Set(workspaces.map((ws) => ws.id));
      await context.commit([], {
        initialized: true,
        workspaces: Object.fromEntries(
          Object.entries(checkpoint.workspaces).filter(([id]) => listed.has(id)),
        ),
      } satisfies HuddleCheckpoint);
    },
  };
}

type WorkspaceRef = { id: string; name: string; selfHref: string };

async function listWorkspaces(context: PollContext): Promise<WorkspaceRef[]> {
  const body = (await context.api.get('/workspaces')) as Record<string, unknown> | null;
  if (!Array.isArray(body?.workspaces)) {
    throw new PollStop('bad_response', 'GET /workspaces answered without a "workspaces" list');
  }
  const refs: WorkspaceRef[] = [];
  for (const raw of body.workspaces) {
    const parsed = WorkspaceItem.safeParse(raw);
    const selfHref = parsed.success ? parsed.data.links.find((link) => link.rel === 'self')?.href : undefined;
    const id = selfHref === undefined ? undefined : WORKSPACE_ID.exec(selfHref)?.[1];
    if (parsed.success && selfHref !== undefined && id !== undefined) {
      refs.push({ id: decodeURIComponent(id), name: parsed.data.name, selfHref });
    }
  }
  return refs.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Undefined when a list is longer than one run may read: comparing half a list would invent changes. */
async function readWorkspace(
  context: PollContext,
  workspace: WorkspaceRef,
  wanted: ReadonlySet<HuddlePollResource>,
): Promise<WorkspaceView | undefined> {
  const base = `/workspaces/${encodeURIComponent(workspace.id)}`;
  const needUsers = wanted.has('users') || wanted.has('teams');
  const users = needUsers ? await readAll(context, `${base}/users`, 'users', UserItem) : [];
  const managers = await readAll(context, `${base}/managers`, 'managers', Person);
  if (users === undefined || managers === undefined) return undefined;
  const teams: WorkspaceView['teams'] = new Map();
  for (const user of users) {
    for (const preview of user.teamsPreview) {
      const team: HuddleTeamRef = {
        key: keyFromLinks(preview.links, ['self']) ?? opaqueKey(preview.name),
        name: preview.name,
      };
      const entry = teams.get(team.key) ?? { team, members: [] };
      entry.members.push(member(user));
      teams.set(team.key, entry);
    }
  }
  return {
    id: workspace.id,
    name: workspace.name,
    selfHref: workspace.selfHref,
    users: users.map(member),
    managers: managers.map(member),
    teams,
  };
}

async function readAll<T extends z.ZodMiniType>(
  context: PollContext,
  path: string,
  listKey: string,
  schema: T,
): Promise<z.output<T>[] | undefined> {
  const { pageSize, maxPagesPerRun } = context.poll;
  const all: z.output<T>[] = [];
  for (let page = 0; page < maxPagesPerRun; page++) {
    const body = (await context.api.get(path, { skip: page * pageSize, pagesize: pageSize })) as Record<
      string,
      unknown
    > | null;
    const list = body?.[listKey];
    if (!Array.isArray(list))
      throw new PollStop('bad_response', `GET ${path} answered without a "${listKey}" list`);
    for (const raw of list) {
      const parsed = schema.safeParse(raw);
      if (parsed.success) all.push(parsed.data);
    }
    if (list.length < pageSize) return all;
  }
  return undefined;
}

function member(person: {
  name?: string | null;
  email: string;
  links: { rel: string; href: string }[];
}): HuddleMember {
  return {
    key: keyFromLinks(person.links, ['user', 'self']) ?? opaqueKey(person.email.toLowerCase()),
    email: person.email,
    ...(person.name ? { name: person.name } : {}),
  };
}

/** The last path segment of the first link with one of `rels` (`/users/999` → `999`). */
function keyFromLinks(
  links: readonly { rel: string; href: string }[],
  rels: readonly string[],
): string | undefined {
  for (const rel of rels) {
    const href = links.find((link) => link.rel === rel)?.href;
    const segment = href === undefined ? undefined : LAST_SEGMENT.exec(href)?.[1];
    if (segment !== undefined && segment !== '...') return segment;
  }
  return undefined;
}
