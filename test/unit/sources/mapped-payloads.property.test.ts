import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { demoParty } from '../../../devkit/fakes/demo';
import { DEMO_WORKDRIVE } from '../../../devkit/samples';
import type { PartyConfig } from '../../../shared/config/relay-config';
import { createSource } from '../../../shared/sources';
import type { SourceResult } from '../../../shared/sources/source';
import { validatePayload } from '../../../shared/workspace365/validate';
import { contextFor, envelope } from './support';

/**
 * For any valid WorkDrive or Huddle event whose recipients can be resolved, the source maps it (or
 * ignores it when it addresses nobody) and every payload passes the Workspace 365 rules.
 */

const { anna, bram, marketingGroupId } = DEMO_WORKDRIVE;

// Any text, including emoji, combining marks, lone surrogates, blanks and line breaks.
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.constantFrom('', '   ', '\n\t', '👨‍👩‍👧‍👦'.repeat(10)),
);
const anyLink = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.string({ maxLength: 30 }),
  fc.constantFrom('javascript:alert(1)', '/relative/path', 'mailto:a@b.example', 'string'),
);
const entityId = fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 40 }), fc.integer());
const isoDate = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString());
const email = fc.stringMatching(/^[A-Za-z0-9_+-]{1,12}@(?:[a-z0-9][a-z0-9-]{0,10}\.){1,3}[a-z]{2,6}$/);

/** A user the demo party's options.users knows. */
const configuredUser = fc.constantFrom(anna.id, bram.id);
/** A user unknown to the config, but the event carries the e-mail address. */
const userWithEmail = fc.record({ id: fc.uuid(), email, firstName: anyText, lastName: anyText });

const workdriveParty = (appBaseUrl: string | undefined): PartyConfig => {
  const party = demoParty({ source: 'workdrive' });
  return { ...party, options: { ...party.options, appBaseUrl } };
};
const appBaseUrl = fc.constantFrom(undefined, 'https://workdrive.demo.example', 'http://localhost:8080/app/');

function assertValidMapping(result: SourceResult, allowIgnored: boolean): void {
  if (result.outcome === 'invalid')
    throw new Error(`unexpected invalid: ${JSON.stringify(result.fieldErrors)}`);
  if (result.outcome === 'ignored') {
    expect(allowIgnored).toBe(true);
    return;
  }
  expect(result.payloads.length).toBeGreaterThan(0);
  expect(result.unresolvedRecipients).toBeUndefined();
  for (const { kind, payload } of result.payloads) {
    const validated = validatePayload(kind, payload);
    if (!validated.ok) throw new Error(`${kind} rejected: ${JSON.stringify(validated.fieldErrors)}`);
  }
}

const permissions = fc.record(
  {
    public: fc.boolean(),
    users: fc.array(configuredUser, { maxLength: 3 }),
    groups: fc.array(fc.constant(marketingGroupId), { maxLength: 2 }),
    friends: fc.boolean(),
  },
  { requiredKeys: [] },
);

describe('mapped payloads always pass the Workspace 365 rules (property)', () => {
  it('workdrive news.published', async () => {
    await fc.assert(
      fc.asyncProperty(
        appBaseUrl,
        fc.record({
          id: entityId,
          newsTitle: anyText,
          permissions,
          mentions: fc.array(userWithEmail, { maxLength: 2 }),
        }),
        async (base, news) => {
          const party = workdriveParty(base);
          assertValidMapping(
            await createSource(party).map(envelope('news.published', news), contextFor(party)),
            true,
          );
        },
      ),
    );
  });

  it('workdrive event.created', async () => {
    await fc.assert(
      fc.asyncProperty(
        appBaseUrl,
        fc.record({
          id: entityId,
          title: anyText,
          startDateTime: isoDate,
          permissions,
          userIds: fc.array(configuredUser, { maxLength: 3 }),
          conferenceLink: anyLink,
          externalLink: fc.array(fc.record({ title: anyText, url: anyLink }), { maxLength: 2 }),
        }),
        async (base, event) => {
          const party = workdriveParty(base);
          assertValidMapping(
            await createSource(party).map(envelope('event.created', event), contextFor(party)),
            true,
          );
        },
      ),
    );
  });

  it('workdrive task.assigned', async () => {
    await fc.assert(
      fc.asyncProperty(
        appBaseUrl,
        entityId,
        anyText,
        fc.option(isoDate, { nil: undefined }),
        anyLink,
        fc.array(configuredUser, { maxLength: 2 }),
        fc.array(userWithEmail, { maxLength: 3 }),
        async (base, id, title, dueDate, link, known, withEmail) => {
          fc.pre(known.length + withEmail.length > 0);
          const task = {
            id,
            title,
            dueDate,
            link,
            userIds: [...known, ...withEmail.map((user) => user.id)],
            assignedUserIds: withEmail,
          };
          const party = workdriveParty(base);
          assertValidMapping(
            await createSource(party).map(envelope('task.assigned', task), contextFor(party)),
            false,
          );
        },
      ),
    );
  });

  it('workdrive post.created', async () => {
    await fc.assert(
      fc.asyncProperty(
        appBaseUrl,
        fc.record({
          id: entityId,
          postText: anyText,
          user: fc.option(userWithEmail, { nil: undefined }),
          taggedUserIds: fc.array(configuredUser, { maxLength: 2 }),
          mention: fc.option(configuredUser, { nil: undefined }),
          mentions: fc.array(userWithEmail, { maxLength: 2 }),
        }),
        async (base, post) => {
          const party = workdriveParty(base);
          assertValidMapping(
            await createSource(party).map(envelope('post.created', post), contextFor(party)),
            true,
          );
        },
      ),
    );
  });

  const huddleUser = fc.record({ name: anyText, email });
  const huddleWorkspace = fc.record(
    {
      id: fc.oneof(fc.integer({ min: 1 }), fc.string({ minLength: 1, maxLength: 20 })),
      name: anyText,
      links: fc.array(
        fc.record({ rel: fc.constantFrom('self', 'alternate', 'parent', 'teams'), href: anyLink }),
        {
          maxLength: 4,
        },
      ),
    },
    { requiredKeys: ['name'] },
  );
  const huddleEvents = fc.oneof(
    fc.record({
      event: fc.constant('workspace.user.added'),
      data: fc.record({ workspace: huddleWorkspace, user: huddleUser }),
    }),
    fc.record({
      event: fc.constant('workspace.managers.added'),
      data: fc.record({
        workspace: huddleWorkspace,
        managers: fc.array(huddleUser, { minLength: 1, maxLength: 4 }),
      }),
    }),
    fc.record({
      event: fc.constant('workspace.created'),
      data: fc.record({ workspace: huddleWorkspace, createdBy: huddleUser }),
    }),
    fc.record({
      event: fc.constant('team.invitations'),
      data: fc.record({
        workspace: huddleWorkspace,
        team: fc.record({ name: anyText }),
        users: fc.array(huddleUser, { minLength: 1, maxLength: 4 }),
      }),
    }),
  );

  it('every huddle event', async () => {
    const party = demoParty({ source: 'huddle' });
    const source = createSource(party);
    await fc.assert(
      fc.asyncProperty(huddleEvents, async ({ event, data }) => {
        const result = await source.map(envelope(event, data), contextFor(party));
        expect(result).toMatchObject({ event });
        assertValidMapping(result, false);
      }),
      { numRuns: 300 },
    );
  });
});
