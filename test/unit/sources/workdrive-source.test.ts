import { describe, expect, it } from 'vitest';
import { demoParty } from '../../../devkit/fakes/demo';
import { recordingLogger } from '../../../devkit/fakes/recording-logger';
import { DEMO_WORKDRIVE, sampleEvents } from '../../../devkit/samples';
import type { PartyConfig } from '../../../shared/config/relay-config';
import { createSource } from '../../../shared/sources';
import { type SourceResult, SourceUnavailableError } from '../../../shared/sources/source';
import { validatePayload } from '../../../shared/workspace365/validate';
import { fakeWorkDriveApi } from './fake-workdrive-api';
import { contextFor, envelope, TEST_SECRET } from './support';

const { anna, bram, marketingGroupId } = DEMO_WORKDRIVE;
const STRANGER = '9f8e7d6c-5b4a-4321-8fed-cba987654321';
const OTHER_STRANGER = '1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d';
const UNKNOWN_GROUP = 'aaaaaaaa-0000-4000-8000-00000000000f';

const party = demoParty({ source: 'workdrive' });
const source = createSource(party);
const task = (userIds: string[], extra: Record<string, unknown> = {}) =>
  envelope('task.assigned', { id: 'task-1', title: 'Review the budget', userIds, ...extra });

describe('workdrive source: envelope and event types', () => {
  it('ignores an event type it does not map, saying which', async () => {
    const result = await source.map(envelope('document.viewed', {}), contextFor(party));
    expect(result).toEqual({
      outcome: 'ignored',
      event: 'document.viewed',
      eventId: 'evt-1',
      reason: 'event type "document.viewed" is not mapped for source workdrive',
    });
  });

  it('does not mistake inherited names for event types', async () => {
    for (const event of ['constructor', '__proto__', 'toString']) {
      await expect(source.map(envelope(event, {}), contextFor(party))).resolves.toMatchObject({
        outcome: 'ignored',
      });
    }
  });

  it('rejects a body that is not the envelope, naming each field', async () => {
    const result = await source.map(
      { id: '', event: 7, occurredAt: 'yesterday', data: [], extra: true },
      contextFor(party),
    );
    expect(result.outcome).toBe('invalid');
    if (result.outcome !== 'invalid') return;
    expect(Object.keys(result.fieldErrors).sort()).toEqual(['data', 'event', 'extra', 'id', 'occurredAt']);
    expect(result.fieldErrors.occurredAt?.message).toMatch(/ISO 8601/);
  });

  it('rejects a non-object body with a field error at $', async () => {
    const result = await source.map('hello', contextFor(party));
    expect(result).toMatchObject({ outcome: 'invalid', fieldErrors: { $: expect.any(Object) } });
  });

  it('rejects invalid data with paths relative to the body (data.…)', async () => {
    const result = await source.map(
      envelope('news.published', { id: 'n1', newsTitle: 42, permissions: { users: ['not-a-uuid'] } }),
      contextFor(party),
    );
    expect(result).toMatchObject({
      outcome: 'invalid',
      message: expect.stringContaining('news.published'),
      fieldErrors: {
        'data.newsTitle': { message: 'newsTitle must be a string' },
        'data.permissions.users[0]': { message: expect.stringMatching(/UUID/) },
      },
    });
  });

  it('tolerates extra fields inside data (the reference objects carry many)', async () => {
    const result = await source.map(
      task([bram.id], { task_type: 'Article', trainingCourse: {}, unknownFutureField: [1, 2] }),
      contextFor(party),
    );
    expect(result.outcome).toBe('mapped');
  });

  it('requires at least one assignee on task.assigned', async () => {
    const result = await source.map(task([]), contextFor(party));
    expect(result).toMatchObject({ outcome: 'invalid', fieldErrors: { 'data.userIds': expect.any(Object) } });
  });

  it('maps public news to all users (Scope Kind 0) with the title and tag', async () => {
    const result = await source.map(
      envelope('news.published', {
        id: 'n1',
        newsTitle: '  Office closed Friday ',
        permissions: { public: true },
      }),
      contextFor(party),
    );
    expect(result).toMatchObject({
      outcome: 'mapped',
      event: 'news.published',
      eventId: 'evt-1',
      payloads: [
        {
          kind: 'batch',
          payload: { Scope: { Kind: 0 }, Data: { Title: 'Office closed Friday', Tag: 'News' } },
        },
      ],
    });
  });

  it('accepts an author, mention or creator whose id is any string (reference 002: "id": "string")', async () => {
    const author = { id: '12345', firstName: 'Anna', email: anna.upn };
    const news = await source.map(
      envelope('news.published', {
        id: 'n1',
        newsTitle: 'Office closed Friday',
        permissions: { public: true },
        user: author,
        mentions: [{ id: 'u-7', firstName: 'Bram' }],
      }),
      contextFor(party),
    );
    expect(news.outcome).toBe('mapped');
    const event = await source.map(
      envelope('event.created', {
        id: 'e1',
        title: 'Town hall',
        startDateTime: '2026-12-01T10:00:00Z',
        userIds: [bram.id],
        creator: author,
        rsvpUsers: [{ id: 'legacy:42' }],
      }),
      contextFor(party),
    );
    expect(event.outcome).toBe('mapped');
  });

  it('still refuses an empty author id, and a recipient id that is not a UUID', async () => {
    const result = await source.map(
      envelope('news.published', {
        id: 'n1',
        newsTitle: 'x',
        permissions: { users: ['12345'] },
        user: { id: '' },
      }),
      contextFor(party),
    );
    expect(result).toMatchObject({
      outcome: 'invalid',
      fieldErrors: {
        'data.user.id': { message: 'must not be empty' },
        'data.permissions.users[0]': { message: expect.stringMatching(/UUID/) },
      },
    });
  });

  it('falls back to a default title when the news title is blank', async () => {
    const result = await source.map(
      envelope('news.published', { id: 'n1', newsTitle: ' \n ', permissions: { public: true } }),
      contextFor(party),
    );
    expect(result).toMatchObject({ payloads: [{ payload: { Data: { Title: 'News' } } }] });
  });

  it('ignores news nobody can be addressed for (not public, no users or groups)', async () => {
    const result = await source.map(
      envelope('news.published', { id: 'n1', newsTitle: 'Team only', permissions: { team: true } }),
      contextFor(party),
    );
    expect(result).toMatchObject({ outcome: 'ignored', reason: expect.stringContaining('n1') });
  });

  it('ignores a post that tags or mentions nobody', async () => {
    const result = await source.map(
      envelope('post.created', { id: 'p1', postText: 'Hello' }),
      contextFor(party),
    );
    expect(result).toMatchObject({ outcome: 'ignored', reason: 'post p1 tags or mentions nobody' });
  });

  it('sends event invitees and permitted users, titled with the start date, with Open event and Join online', async () => {
    const result = await source.map(
      envelope('event.created', {
        id: 'e1',
        title: 'Planning',
        startDateTime: '2026-04-01T08:05:00+02:00',
        permissions: { public: false, users: [anna.id] },
        userIds: [bram.id, anna.id],
        conferenceLink: 'https://meet.example/abc',
      }),
      contextFor(party),
    );
    expect(result).toMatchObject({
      outcome: 'mapped',
      payloads: [
        {
          payload: {
            Scope: { Kind: 1, Users: [{ Upn: anna.upn }, { Upn: bram.upn }] },
            Data: {
              Title: 'Planning – 1 Apr 2026, 06:05 UTC',
              Actions: [
                { Kind: 4, Title: 'Open event', Url: 'https://workdrive.demo.example/events/e1' },
                { Kind: 8, Title: 'Join online', Url: 'https://meet.example/abc' },
              ],
            },
          },
        },
      ],
    });
  });

  it('drops links that are not absolute http(s) URLs instead of failing', async () => {
    const noAppLinks: PartyConfig = { ...party, options: { ...party.options, appBaseUrl: undefined } };
    const result = await createSource(noAppLinks).map(
      task([bram.id], { link: 'javascript:alert(1)' }),
      contextFor(noAppLinks),
    );
    const data = batchData(result);
    expect(data.Url).toBeUndefined();
    expect(data.Actions).toBeUndefined();
    expect(validatePayload('batch', { Scope: { Kind: 0 }, Data: data }).ok).toBe(true);
  });

  it('keeps ids from the payload inside the app link path', async () => {
    const result = await source.map(task([bram.id], { id: '../../evil.example/?x=#' }), contextFor(party));
    const url = new URL(String(batchData(result).Url));
    expect(url.host).toBe('workdrive.demo.example');
    expect(url.pathname.startsWith('/tasks/')).toBe(true);
  });

  it('maps every sample event (the samples use the demo users, so all resolve)', async () => {
    for (const [event, makeBody] of Object.entries(sampleEvents.workdrive)) {
      const result = await source.map(makeBody(), contextFor(party));
      expect(result, event).toMatchObject({ outcome: 'mapped', event });
      if (result.outcome === 'mapped') expect(result.unresolvedRecipients, event).toBeUndefined();
    }
  });
});

describe('workdrive source: recipients', () => {
  it('maps to the users that resolve and reports the rest as unresolved', async () => {
    const result = await source.map(task([bram.id, STRANGER, anna.id]), contextFor(party));
    expect(result).toMatchObject({
      outcome: 'mapped',
      unresolvedRecipients: [STRANGER],
      payloads: [{ payload: { Scope: { Kind: 1, Users: [{ Upn: bram.upn }, { Upn: anna.upn }] } } }],
    });
  });

  it('answers invalid naming data.<field>[i] when no recipient resolves', async () => {
    const result = await source.map(task([STRANGER, OTHER_STRANGER]), contextFor(party));
    expect(result).toMatchObject({
      outcome: 'invalid',
      message: expect.stringContaining('none of the recipients'),
      fieldErrors: {
        'data.userIds[0]': { message: expect.stringContaining(STRANGER) },
        'data.userIds[1]': { message: expect.stringContaining('resolver is off') },
      },
    });
  });

  it('reports a group missing from options.groupMap while still sending to the mapped ones', async () => {
    const result = await source.map(
      envelope('news.published', {
        id: 'n1',
        newsTitle: 'Campaign',
        permissions: { groups: [UNKNOWN_GROUP, marketingGroupId.toUpperCase()] },
      }),
      contextFor(party),
    );
    expect(result).toMatchObject({
      outcome: 'mapped',
      unresolvedRecipients: [UNKNOWN_GROUP],
      payloads: [{ payload: { Scope: { Kind: 2, Groups: [{ Name: 'Marketing' }] } } }],
    });
  });

  it('answers invalid naming data.permissions.groups[i] when no group or user maps', async () => {
    const result = await source.map(
      envelope('news.published', {
        id: 'n1',
        newsTitle: 'Campaign',
        permissions: { groups: [UNKNOWN_GROUP] },
      }),
      contextFor(party),
    );
    expect(result).toMatchObject({
      outcome: 'invalid',
      fieldErrors: { 'data.permissions.groups[0]': { message: expect.stringContaining('options.groupMap') } },
    });
  });

  it('prefers an e-mail address in the event over options.users and the API', async () => {
    const api = fakeWorkDriveApi({});
    const withApi = withResolver();
    const result = await createSource(withApi).map(
      task([bram.id], { assignedUserIds: [{ id: bram.id, email: 'bram@elsewhere.example' }] }),
      contextFor(withApi, { fetch: api.fetch, secret: { ...TEST_SECRET, workdriveApiKey: 'wd-key' } }),
    );
    expect(result).toMatchObject({
      payloads: [{ payload: { Scope: { Users: [{ Upn: 'bram@elsewhere.example' }] } } }],
    });
    expect(api.requests).toHaveLength(0);
  });

  it('uses options.users before the API, and the API (X-API-KEY) for the rest', async () => {
    const api = fakeWorkDriveApi({ [STRANGER]: { email: 'stranger@demo.example' } });
    const withApi = withResolver();
    const result = await createSource(withApi).map(
      task([anna.id, STRANGER]),
      contextFor(withApi, { fetch: api.fetch, secret: { ...TEST_SECRET, workdriveApiKey: 'wd-key' } }),
    );
    expect(result).toMatchObject({
      outcome: 'mapped',
      payloads: [{ payload: { Scope: { Users: [{ Upn: anna.upn }, { Upn: 'stranger@demo.example' }] } } }],
    });
    expect(api.requests).toEqual([
      { url: `https://api.workdrive.demo.example/api/users/${STRANGER}`, apiKey: 'wd-key' },
    ]);
  });

  it('caches API answers per party: a second event for the same user makes no call', async () => {
    const api = fakeWorkDriveApi({ [STRANGER]: { email: 'stranger@demo.example' } });
    const withApi = withResolver();
    const perParty = createSource(withApi);
    const context = contextFor(withApi, {
      fetch: api.fetch,
      secret: { ...TEST_SECRET, workdriveApiKey: 'wd-key' },
    });
    await perParty.map(task([STRANGER]), context);
    const second = await perParty.map(task([STRANGER], { id: 'task-2' }), context);
    expect(second).toMatchObject({ outcome: 'mapped' });
    expect(api.requests).toHaveLength(1);
  });

  it('keeps the resolver off without a workdriveApiKey or without fetch', async () => {
    const api = fakeWorkDriveApi({ [STRANGER]: { email: 'stranger@demo.example' } });
    const withApi = withResolver();
    const noKey = await createSource(withApi).map(
      task([STRANGER]),
      contextFor(withApi, { fetch: api.fetch }),
    );
    const noFetch = await createSource(withApi).map(
      task([STRANGER]),
      contextFor(withApi, { secret: { ...TEST_SECRET, workdriveApiKey: 'wd-key' } }),
    );
    expect(noKey.outcome).toBe('invalid');
    expect(noFetch.outcome).toBe('invalid');
    expect(api.requests).toHaveLength(0);
  });

  it('fails the whole event as unavailable (retry later) when an API lookup fails, and logs only ids', async () => {
    const api = fakeWorkDriveApi({ [STRANGER]: 'network-error' });
    const withApi = withResolver();
    const { lines, logger } = recordingLogger();
    const result = createSource(withApi).map(
      task([bram.id, STRANGER], { title: 'Secret merger plan' }),
      contextFor(withApi, {
        fetch: api.fetch,
        secret: { ...TEST_SECRET, workdriveApiKey: 'wd-key' },
        logger,
      }),
    );
    await expect(result).rejects.toBeInstanceOf(SourceUnavailableError);
    expect(lines.map((line) => line[0])).toContain('WorkDrive user lookup failed');
    const logged = JSON.stringify(lines);
    expect(logged).toContain(STRANGER);
    expect(logged).not.toContain('wd-key');
    expect(logged).not.toContain('Secret merger plan');
  });
});

/** The Data of the first payload of a mapped result. */
function batchData(result: SourceResult): Record<string, unknown> {
  const payload = result.outcome === 'mapped' ? result.payloads[0]?.payload : undefined;
  if (payload === undefined) throw new Error(`expected a mapped payload: ${JSON.stringify(result)}`);
  return (payload as { Data: Record<string, unknown> }).Data;
}

function withResolver(): PartyConfig {
  return { ...party, options: { ...party.options, apiBaseUrl: 'https://api.workdrive.demo.example' } };
}
