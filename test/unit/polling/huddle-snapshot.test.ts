import { describe, expect, it } from 'vitest';
import { HUDDLE_POLL_RESOURCES } from '../../../shared/config/poll-config';
import {
  diffWorkspace,
  type HuddleMember,
  snapshotOf,
  type WorkspaceView,
} from '../../../shared/polling/huddle-snapshot';

const ALL = new Set(HUDDLE_POLL_RESOURCES);
const AT = '2026-12-01T00:00:00.000Z';
const person = (key: string): HuddleMember => ({ key, email: `${key}@example.com`, name: key.toUpperCase() });

function view(users: string[], managers: string[], teams: Record<string, string[]> = {}): WorkspaceView {
  return {
    id: '123',
    name: 'Bid team',
    selfHref: '/workspaces/123',
    users: users.map(person),
    managers: managers.map(person),
    teams: new Map(
      Object.entries(teams).map(([key, members]) => [
        key,
        { team: { key, name: `Team ${key}` }, members: members.map(person) },
      ]),
    ),
  };
}

describe('Huddle membership diff', () => {
  it('finds an added user, an added manager and a new team member, each as its own event', () => {
    const before = snapshotOf(view(['1', '2'], ['1'], { '7': ['1'] }));
    const events = diffWorkspace(before, view(['1', '2', '3'], ['1', '2'], { '7': ['1', '3'] }), ALL, AT);
    expect(events.map((event) => [event.event, event.id])).toEqual([
      ['workspace.user.added', 'huddle:123:user:3:added'],
      ['workspace.managers.added', 'huddle:123:manager:2:added'],
      ['team.invitations', 'huddle:123:team:7:user:3:added'],
    ]);
    expect(events[0]?.data).toEqual({
      workspace: { id: '123', name: 'Bid team', links: [{ rel: 'self', href: '/workspaces/123' }] },
      user: { email: '3@example.com', name: '3' },
    });
    expect(events[1]?.data.managers).toEqual([{ email: '2@example.com', name: '2' }]);
    expect(events[2]?.data).toMatchObject({ team: { name: 'Team 7' }, users: [{ email: '3@example.com' }] });
  });

  it('gives the same ids when the same change is compared again (a repeated poll)', () => {
    const before = snapshotOf(view(['1'], ['1']));
    const after = view(['1', '2'], ['1']);
    expect(diffWorkspace(before, after, ALL, AT)).toEqual(
      diffWorkspace(before, after, ALL, '2027-01-01T00:00:00.000Z').map((event) => ({
        ...event,
        occurredAt: AT,
      })),
    );
  });

  it('reports nothing when nothing changed, and nothing for someone who left', () => {
    const before = snapshotOf(view(['1', '2'], ['1']));
    expect(diffWorkspace(before, view(['1', '2'], ['1']), ALL, AT)).toEqual([]);
    expect(diffWorkspace(before, view(['1'], ['1']), ALL, AT)).toEqual([]);
  });

  it('announces a new workspace to its first manager and everyone else in it as added', () => {
    const events = diffWorkspace(undefined, view(['1', '2'], ['1', '3']), ALL, AT);
    expect(events.map((event) => event.id)).toEqual([
      'huddle:123:created',
      'huddle:123:user:2:added',
      'huddle:123:manager:3:added',
    ]);
    expect(events[0]?.data.createdBy).toEqual({ email: '1@example.com', name: '1' });
  });

  it('reports only the resources the party polls', () => {
    const before = snapshotOf(view(['1'], ['1']));
    const events = diffWorkspace(before, view(['1', '2'], ['1', '2']), new Set(['managers'] as const), AT);
    expect(events.map((event) => event.event)).toEqual(['workspace.managers.added']);
  });

  it('keeps keys only in the snapshot, never e-mail addresses', () => {
    expect(JSON.stringify(snapshotOf(view(['1'], ['1'], { '7': ['1'] })))).not.toContain('@');
  });
});
