import { ActionKind, type Activity, type BatchActivity, ScopeKind } from '../../workspace365/schemas';
import { type ActivityStyle, activityData } from '../activity-data';
import { defineEvent, type MappingOutcome } from '../event-mapping';
import { textOr } from '../text';
import {
  HuddleManagersAdded,
  HuddleTeamInvitations,
  type HuddleUser,
  HuddleUserAdded,
  type HuddleWorkspace,
  HuddleWorkspaceCreated,
} from './schemas';
import { workspaceUrl } from './workspace-link';

export type HuddleDeps = { appBaseUrl: string };

const style = (icon: string): ActivityStyle => ({ icon, tag: 'Huddle', color: '#00a3e0' });

const workspaceName = (workspace: HuddleWorkspace) => textOr(workspace.name, 'a Huddle workspace');

function workspaceActivity(
  title: string,
  fallbackTitle: string,
  icon: string,
  workspace: HuddleWorkspace,
  deps: HuddleDeps,
) {
  const url = workspaceUrl(workspace, deps.appBaseUrl);
  return activityData(
    { title, fallbackTitle, url, actions: [{ kind: ActionKind.Open, title: 'Open workspace', url }] },
    style(icon),
  );
}

function toUser(user: HuddleUser): Activity['User'] {
  return { Upn: user.email };
}

/** One batch to the given users; the same address twice (in any case) is addressed once. */
function usersBatch(users: readonly HuddleUser[], data: BatchActivity['Data']): MappingOutcome {
  const seen = new Set<string>();
  const unique = users.filter((user) => {
    const key = user.email.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const payload: BatchActivity = { Scope: { Kind: ScopeKind.Users, Users: unique.map(toUser) }, Data: data };
  return { outcome: 'mapped', payloads: [{ kind: 'batch', payload }] };
}

function userActivity(user: HuddleUser, data: BatchActivity['Data']): MappingOutcome {
  const payload: Activity = { User: toUser(user), ...data };
  return { outcome: 'mapped', payloads: [{ kind: 'activity', payload }] };
}

export const HUDDLE_EVENTS = {
  /** An activity for the added user. */
  'workspace.user.added': defineEvent(HuddleUserAdded, (data, _e, deps: HuddleDeps) =>
    userActivity(
      data.user,
      workspaceActivity(
        `You were added to ${workspaceName(data.workspace)}`,
        'You were added to a workspace',
        'User Plus',
        data.workspace,
        deps,
      ),
    ),
  ),
  /** A batch to the new managers. */
  'workspace.managers.added': defineEvent(HuddleManagersAdded, (data, _e, deps: HuddleDeps) =>
    usersBatch(
      data.managers,
      workspaceActivity(
        `You are now a manager of ${workspaceName(data.workspace)}`,
        'You are now a workspace manager',
        'Key',
        data.workspace,
        deps,
      ),
    ),
  ),
  /** An activity for the creator (Huddle makes the creator a manager of the new workspace). */
  'workspace.created': defineEvent(HuddleWorkspaceCreated, (data, _e, deps: HuddleDeps) =>
    userActivity(
      data.createdBy,
      workspaceActivity(
        `Your new workspace ${workspaceName(data.workspace)} is ready`,
        'Your new workspace is ready',
        'Folder Plus',
        data.workspace,
        deps,
      ),
    ),
  ),
  /** A batch to the invited users. */
  'team.invitations': defineEvent(HuddleTeamInvitations, (data, _e, deps: HuddleDeps) =>
    usersBatch(
      data.users,
      workspaceActivity(
        `You were invited to the team ${textOr(data.team.name, 'a team')} in ${workspaceName(data.workspace)}`,
        'You were invited to a team',
        'User Group',
        data.workspace,
        deps,
      ),
    ),
  ),
};
