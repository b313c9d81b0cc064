import { afterEach, describe, expect, it } from 'vitest';
import { MetricName } from '../../../shared/observability/metric-names';
import { startHuddlePollHarness } from '../../support/poll-harness';
import { waitFor } from '../../support/wait-for';

type Harness = Awaited<ReturnType<typeof startHuddlePollHarness>>;
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

// People the Workspace 365 sandbox knows (a batch to an unknown user is refused there, as in Workspace 365).
const OWNER = { name: 'Anna de Vries', email: 'anna.devries@demo.example' };
const titles = (h: Harness, upn: string) => h.activitiesFor(upn).map((activity) => activity.activity.Title);

describe('polling Huddle', () => {
  it('records the first snapshot, then finds an added user, an added manager and a team member', async () => {
    harness = await startHuddlePollHarness();
    const { id } = harness.source.createWorkspace({ name: 'Bid team', createdBy: OWNER });
    harness.source.addUser(id, { name: 'Bram Jansen', email: 'bram.jansen@demo.example' });

    const first = await harness.poll();
    expect(first.party).toMatchObject({ status: 'completed', started: ['memberships'], found: 0, queued: 0 });

    harness.source.addUser(id, {
      name: 'Chloe Bakker',
      email: 'chloe.bakker@demo.example',
      teams: ['Legal'],
    });
    harness.source.makeManager(id, 'bram.jansen@demo.example');
    const second = await harness.poll();
    expect(second.party?.status).toBe('completed');
    const events = (second.party?.events ?? []).map((event) => [event.event, event.id, event.outcome]);
    expect(events).toEqual(
      expect.arrayContaining([
        [
          'workspace.user.added',
          expect.stringMatching(new RegExp(`^huddle:${id}:user:\\d+:added$`)),
          'queued',
        ],
        [
          'workspace.managers.added',
          expect.stringMatching(new RegExp(`^huddle:${id}:manager:\\d+:added$`)),
          'queued',
        ],
        [
          'team.invitations',
          expect.stringMatching(new RegExp(`^huddle:${id}:team:\\d+:user:\\d+:added$`)),
          'queued',
        ],
      ]),
    );
    expect(events).toHaveLength(3);

    const again = await harness.poll();
    expect(again.party).toMatchObject({ found: 0, queued: 0 });

    const h = harness;
    await waitFor(
      () =>
        titles(h, 'chloe.bakker@demo.example').length >= 2 &&
        titles(h, 'bram.jansen@demo.example').length >= 1,
      {
        what: 'the activities for Chloe and Bram',
      },
    );
    expect(titles(h, 'chloe.bakker@demo.example')).toEqual(
      expect.arrayContaining(['You were added to Bid team', expect.stringContaining('Legal')]),
    );
    expect(titles(h, 'bram.jansen@demo.example')).toEqual(['You are now a manager of Bid team']);
    // Users were read page by page (skip/pagesize), with the bearer token the sandbox checks.
    const userPages = h.source.requests().filter((request) => request.path === `/workspaces/${id}/users`);
    expect(userPages.every((request) => request.status === 200 && request.query.pagesize === '50')).toBe(
      true,
    );
  });

  it('reports a new workspace to its creator, and each member of it once', async () => {
    harness = await startHuddlePollHarness({ pageSize: 2 });
    await harness.poll();
    const { id } = harness.source.createWorkspace({ name: 'Tender 2027', createdBy: OWNER });
    for (const name of ['bram.jansen', 'daan.visser', 'eva.smit']) {
      harness.source.addUser(id, { name, email: `${name}@demo.example` });
    }

    const second = await harness.poll();
    const byType = (type: string) => (second.party?.events ?? []).filter((event) => event.event === type);
    expect(byType('workspace.created').map((event) => event.id)).toEqual([`huddle:${id}:created`]);
    // Four users over two pages of two; the creator is told once, as the creator.
    expect(byType('workspace.user.added')).toHaveLength(3);
    expect(byType('workspace.managers.added')).toHaveLength(0);

    const h = harness;
    await waitFor(() => titles(h, OWNER.email).length >= 1, { what: "the creator's activity" });
    expect(titles(h, OWNER.email)).toHaveLength(1);
  });

  it('skips a workspace too large to read in one run instead of comparing half of it', async () => {
    harness = await startHuddlePollHarness({ pageSize: 1, maxPagesPerRun: 2 });
    const { id } = harness.source.createWorkspace({ name: 'Crowded', createdBy: OWNER });
    await harness.poll();
    for (const name of ['bram.jansen', 'chloe.bakker'])
      harness.source.addUser(id, { name, email: `${name}@demo.example` });
    const second = await harness.poll();
    // Three users do not fit in two pages of one: nothing is invented from a partial list.
    expect(second.party).toMatchObject({ status: 'completed', found: 0, queued: 0 });
  });

  it('reports a bad token as an auth failure', async () => {
    harness = await startHuddlePollHarness({}, { credential: 'expired-token' });
    const denied = await harness.poll();
    expect(denied.party).toMatchObject({ status: 'failed', reason: 'auth_failed' });
    expect(harness.metrics.sum(MetricName.PollFailed, { Reason: 'auth_failed' })).toBe(1);
  });
});
