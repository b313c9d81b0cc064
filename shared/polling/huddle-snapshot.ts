import type { HuddlePollResource } from '../config/poll-config';
import { idPart } from './ids';
import type { PolledEvent } from './resource-poller';

/** A member as the snapshot keeps it: a stable key (from the user link) and what an activity needs. */
export type HuddleMember = { key: string; email: string; name?: string };
export type HuddleTeamRef = { key: string; name: string };

/** One workspace as the API shows it now. */
export type WorkspaceView = {
  id: string;
  name: string;
  selfHref?: string;
  users: HuddleMember[];
  managers: HuddleMember[];
  /** Team key → the team and its members (from the users' `teamsPreview`). */
  teams: Map<string, { team: HuddleTeamRef; members: HuddleMember[] }>;
};

/** What the checkpoint remembers of a workspace: keys only, so it stays small and holds no addresses. */
export type WorkspaceSnapshot = {
  name: string;
  users: string[];
  managers: string[];
  teams: Record<string, string[]>;
};

export function snapshotOf(view: WorkspaceView): WorkspaceSnapshot {
  const keys = (members: readonly HuddleMember[]) => [...new Set(members.map((member) => member.key))].sort();
  return {
    name: view.name,
    users: keys(view.users),
    managers: keys(view.managers),
    teams: Object.fromEntries([...view.teams].map(([key, { members }]) => [key, keys(members)])),
  };
}

/**
 * The events that turn `previous` into `current` (docs/polling.md): a workspace not seen before is
 * `workspace.created` for its first manager (Huddle makes the creator a manager) and everyone else in it
 * is "added"; afterwards each new member, manager and team member is one event with an id derived from
 * the workspace, the kind of change and the user, so repeating a poll repeats the same ids.
 */
export function diffWorkspace(
  previous: WorkspaceSnapshot | undefined,
  current: WorkspaceView,
  resources: ReadonlySet<HuddlePollResource>,
  occurredAt: string,
): PolledEvent[] {
  const events: PolledEvent[] = [];
  const ws = idPart(current.id);
  const workspace = {
    id: current.id,
    name: current.name,
    ...(current.selfHref ? { links: [{ rel: 'self', href: current.selfHref }] } : {}),
  };
  const event = (id: string, type: string, data: Record<string, unknown>): PolledEvent => ({
    id: `huddle:${ws}:${id}`,
    event: type,
    occurredAt,
    data: { workspace, ...data },
  });
  const person = (member: HuddleMember) => ({
    email: member.email,
    ...(member.name ? { name: member.name } : {}),
  });

  let creator: HuddleMember | undefined;
  if (previous === undefined) {
    creator = current.managers[0];
    if (creator && resources.has('workspaces')) {
      events.push(event('created', 'workspace.created', { createdBy: person(creator) }));
    }
  }
  const isNew = (known: readonly string[] | undefined, member: HuddleMember) =>
    member.key !== creator?.key && !(known ?? []).includes(member.key);

  if (resources.has('users')) {
    for (const user of unique(current.users)) {
      if (isNew(previous?.users, user)) {
        events.push(event(`user:${idPart(user.key)}:added`, 'workspace.user.added', { user: person(user) }));
      }
    }
  }
  if (resources.has('managers')) {
    for (const manager of unique(current.managers)) {
      if (isNew(previous?.managers, manager)) {
        events.push(
          event(`manager:${idPart(manager.key)}:added`, 'workspace.managers.added', {
            managers: [person(manager)],
          }),
        );
      }
    }
  }
  if (resources.has('teams')) {
    for (const [teamKey, { team, members }] of current.teams) {
      for (const member of unique(members)) {
        if (isNew(previous?.teams[teamKey], member)) {
          events.push(
            event(`team:${idPart(teamKey)}:user:${idPart(member.key)}:added`, 'team.invitations', {
              team: { name: team.name },
              users: [person(member)],
            }),
          );
        }
      }
    }
  }
  return events;
}

function unique(members: readonly HuddleMember[]): HuddleMember[] {
  const seen = new Set<string>();
  return members.filter((member) => !seen.has(member.key) && seen.add(member.key));
}
