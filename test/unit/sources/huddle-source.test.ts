import { describe, expect, it } from 'vitest';
import { demoParty } from '../../../devkit/fakes/demo';
import { sampleEvents } from '../../../devkit/samples';
import { createSource } from '../../../shared/sources';
import { workspaceUrl } from '../../../shared/sources/huddle/workspace-link';
import { contextFor, envelope } from './support';

const party = demoParty({ source: 'huddle' });
const source = createSource(party);
const workspace = { name: 'Atlas', links: [{ rel: 'self', href: 'https://api.huddle.net/workspaces/42' }] };

describe('huddle source', () => {
  it('ignores an event type it does not map', async () => {
    await expect(source.map(envelope('document.locked', {}), contextFor(party))).resolves.toEqual({
      outcome: 'ignored',
      event: 'document.locked',
      eventId: 'evt-1',
      reason: 'event type "document.locked" is not mapped for source huddle',
    });
  });

  it('rejects data without the fields it reads, with paths under data', async () => {
    const result = await source.map(
      envelope('workspace.user.added', { workspace: { links: [] }, user: { name: 'Peter', email: 'peter' } }),
      contextFor(party),
    );
    expect(result).toMatchObject({
      outcome: 'invalid',
      fieldErrors: {
        'data.workspace.name': expect.any(Object),
        'data.user.email': { message: 'email must be an e-mail address' },
      },
    });
  });

  it('requires at least one manager / invited user', async () => {
    const managers = await source.map(
      envelope('workspace.managers.added', { workspace, managers: [] }),
      contextFor(party),
    );
    const invited = await source.map(
      envelope('team.invitations', { workspace, team: { name: 'T' }, users: [] }),
      contextFor(party),
    );
    expect(managers).toMatchObject({
      outcome: 'invalid',
      fieldErrors: { 'data.managers': expect.any(Object) },
    });
    expect(invited).toMatchObject({ outcome: 'invalid', fieldErrors: { 'data.users': expect.any(Object) } });
  });

  it('sends "You were added to <workspace>" to the added user with an Open workspace action', async () => {
    const result = await source.map(
      envelope('workspace.user.added', { workspace, user: { name: 'Peter', email: 'peter@demo.example' } }),
      contextFor(party),
    );
    expect(result).toMatchObject({
      outcome: 'mapped',
      payloads: [
        {
          kind: 'activity',
          payload: {
            User: { Upn: 'peter@demo.example' },
            Title: 'You were added to Atlas',
            Actions: [{ Kind: 4, Title: 'Open workspace', Url: 'https://huddle.demo.example/workspace/42' }],
          },
        },
      ],
    });
  });

  it('falls back to a generic title when the workspace name is blank', async () => {
    const result = await source.map(
      envelope('workspace.created', { workspace: { name: ' ' }, createdBy: { email: 'a@demo.example' } }),
      contextFor(party),
    );
    expect(result).toMatchObject({
      payloads: [{ payload: { Title: 'Your new workspace a Huddle workspace is ready' } }],
    });
  });

  it('maps every sample event', async () => {
    for (const [event, makeBody] of Object.entries(sampleEvents.huddle)) {
      await expect(source.map(makeBody(), contextFor(party)), event).resolves.toMatchObject({
        outcome: 'mapped',
        event,
      });
    }
  });
});

describe('huddle workspace link', () => {
  const base = 'https://my.huddle.net';
  it('prefers an absolute alternate link', () => {
    const links = [
      { rel: 'alternate', href: 'https://my.huddle.net/workspace/7/files' },
      { rel: 'self', href: '/workspaces/8' },
    ];
    expect(workspaceUrl({ name: 'x', links }, base)).toBe('https://my.huddle.net/workspace/7/files');
  });

  it('uses an explicit id, else the id in the self link', () => {
    expect(workspaceUrl({ name: 'x', id: '99', links: [{ rel: 'self', href: '...' }] }, base)).toBe(
      'https://my.huddle.net/workspace/99',
    );
    expect(workspaceUrl({ name: 'x', links: [{ rel: 'self', href: '/workspaces/123?x=1' }] }, base)).toBe(
      'https://my.huddle.net/workspace/123',
    );
  });

  it('gives no link when the workspace cannot be identified', () => {
    expect(workspaceUrl({ name: 'x', links: [{ rel: 'self', href: '...' }] }, base)).toBeUndefined();
    expect(workspaceUrl({ name: 'x' }, base)).toBeUndefined();
  });
});
