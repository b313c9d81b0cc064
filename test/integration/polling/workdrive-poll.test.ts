import { afterEach, describe, expect, it } from 'vitest';
import { WORKDRIVE_DEMO_USERS } from '../../../devkit/workdrive-sandbox';
import { MemoryCheckpointStore } from '../../../shared/adapters/memory-checkpoint-store';
import { MetricName } from '../../../shared/observability/metric-names';
import { startWorkDrivePollHarness } from '../../support/poll-harness';
import { waitFor } from '../../support/wait-for';

const [ANNA, BRAM] = WORKDRIVE_DEMO_USERS as [
  (typeof WORKDRIVE_DEMO_USERS)[0],
  (typeof WORKDRIVE_DEMO_USERS)[0],
];

type Harness = Awaited<ReturnType<typeof startWorkDrivePollHarness>>;
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** News for Anna only, so each item is one activity in her feed (the user id is resolved through the API). */
const newsForAnna = (h: Harness, title: string) =>
  h.source.publishNews({ newsTitle: title, public: false, userIds: [ANNA.id] });
const titlesFor = (h: Harness, upn: string) =>
  h.activitiesFor(upn).map((activity) => activity.activity.Title);

describe('polling WorkDrive', () => {
  it('queues nothing on the first run, then each item published between two polls exactly once', async () => {
    harness = await startWorkDrivePollHarness({ resources: ['news'] });
    newsForAnna(harness, 'Old news from before the relay');

    const first = await harness.poll();
    expect(first.party).toMatchObject({ status: 'completed', started: ['news'], queued: 0, found: 0 });

    newsForAnna(harness, 'Canteen opens Monday');
    newsForAnna(harness, 'New parking rules');
    const second = await harness.poll();
    expect(second.party).toMatchObject({ status: 'completed', queued: 2 });
    expect(second.party?.events.map((event) => event.id)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^news:/), expect.stringMatching(/^news:/)]),
    );

    const third = await harness.poll();
    expect(third.party).toMatchObject({ status: 'completed', queued: 0, found: 0 });

    const h = harness;
    await waitFor(() => titlesFor(h, ANNA.email).length >= 2, { what: 'two activities for Anna' });
    // The worker has nothing left in flight: what arrived is all that will arrive.
    await waitFor(async () => (await h.relay.count(h.relay.sqs.queueUrl)) === 0, { what: 'an empty queue' });
    expect(titlesFor(h, ANNA.email).sort()).toEqual(['Canteen opens Monday', 'New parking rules']);
    expect(harness.metrics.sum(MetricName.PollCompleted)).toBe(3);
    expect(harness.metrics.sum(MetricName.PollEventsFound)).toBe(2);
  });

  it('queues nothing twice when a poll is repeated after a crash between queueing and checkpointing', async () => {
    const store = new MemoryCheckpointStore();
    let failNextNewsPut = false;
    const crashing = {
      get: (partyId: string, resource: string) => store.get(partyId, resource),
      put: async (partyId: string, resource: string, value: unknown) => {
        if (resource === 'news' && failNextNewsPut) {
          failNextNewsPut = false;
          throw new Error('process died before the checkpoint was written');
        }
        await store.put(partyId, resource, value);
      },
    };
    harness = await startWorkDrivePollHarness({ resources: ['news'] }, { checkpoints: crashing });
    await harness.poll();
    newsForAnna(harness, 'Quarterly results');

    failNextNewsPut = true;
    const crashed = await harness.poll();
    expect(crashed.party).toMatchObject({ status: 'failed', reason: 'checkpoint_unavailable', queued: 1 });

    const repeated = await harness.poll();
    expect(repeated.party).toMatchObject({ status: 'completed', queued: 0, found: 1 });
    expect(repeated.party?.events[0]?.outcome).toBe('duplicate');

    const h = harness;
    await waitFor(() => titlesFor(h, ANNA.email).length >= 1, { what: "Anna's activity" });
    await waitFor(async () => (await h.relay.count(h.relay.sqs.queueUrl)) === 0, { what: 'an empty queue' });
    expect(titlesFor(h, ANNA.email)).toEqual(['Quarterly results']);
  });

  it('reads a backlog longer than one run over several runs, each item once, paging by time', async () => {
    harness = await startWorkDrivePollHarness({ resources: ['news'], pageSize: 2, maxPagesPerRun: 2 });
    await harness.poll();
    const titles = Array.from({ length: 7 }, (_, index) => `Backlog item ${index + 1}`);
    for (const title of titles) newsForAnna(harness, title);

    const queuedIds: string[] = [];
    for (let run = 0; run < 6; run++) {
      const { party } = await harness.poll();
      expect(party?.status).toBe('completed');
      queuedIds.push(
        ...(party?.events.filter((event) => event.outcome === 'queued').map((event) => event.id) ?? []),
      );
    }
    expect(queuedIds).toHaveLength(7);
    expect(new Set(queuedIds).size).toBe(7);

    const newsRequests = harness.source.requests().filter((request) => request.path === '/api/news');
    expect(newsRequests.every((request) => request.query.per_page === '2' && request.query.time)).toBe(true);
    // Later pages ask for items up to the oldest time of the page before.
    expect(new Set(newsRequests.map((request) => request.query.time)).size).toBeGreaterThan(2);

    const h = harness;
    await waitFor(() => titlesFor(h, ANNA.email).length >= 7, { what: 'seven activities' });
    await waitFor(async () => (await h.relay.count(h.relay.sqs.queueUrl)) === 0, { what: 'an empty queue' });
    expect(titlesFor(h, ANNA.email).sort()).toEqual([...titles].sort());
  });

  it('on a 429 stops with its Retry-After and is not polled again before it', async () => {
    harness = await startWorkDrivePollHarness({ resources: ['news'] });
    await harness.poll();
    newsForAnna(harness, 'Held back by a 429');
    harness.source.script({ status: 429, headers: { 'Retry-After': '120' } });

    const limited = await harness.poll();
    expect(limited.party).toMatchObject({ status: 'failed', reason: 'rate_limited', retryAfterSeconds: 120 });
    expect(harness.metrics.sum(MetricName.PollFailed, { Reason: 'rate_limited' })).toBe(1);

    const scheduled = await harness.poll({});
    expect(scheduled.report.skipped).toEqual([{ partyId: 'poll-test', why: 'not_due' }]);

    const later = await harness.poll();
    expect(later.party).toMatchObject({ status: 'completed', queued: 1 });
  });

  it('on a 500 keeps its checkpoint and finds the items on the next run', async () => {
    harness = await startWorkDrivePollHarness({ resources: ['news'] });
    await harness.poll();
    newsForAnna(harness, 'After the outage');
    harness.source.script({ status: 500 });

    const failed = await harness.poll();
    expect(failed.party).toMatchObject({ status: 'failed', reason: 'source_unavailable', queued: 0 });
    expect(harness.metrics.sum(MetricName.PollFailed, { Reason: 'source_unavailable' })).toBe(1);

    const next = await harness.poll();
    expect(next.party).toMatchObject({ status: 'completed', queued: 1 });
  });

  it('starts no party once the run is out of time; the next run polls it', async () => {
    harness = await startWorkDrivePollHarness({ resources: ['news'] });
    const late = await harness.poll({ force: true, deadline: Date.now() - 1 });
    expect(late.report).toEqual({ polled: [], skipped: [{ partyId: 'poll-test', why: 'out_of_time' }] });
    expect(harness.source.requests()).toEqual([]);
    expect((await harness.poll()).party?.status).toBe('completed');
  });

  it('reports a wrong API key as an auth failure', async () => {
    harness = await startWorkDrivePollHarness({ resources: ['news'] }, { credential: 'revoked-key' });
    const result = await harness.poll();
    expect(result.party).toMatchObject({ status: 'failed', reason: 'auth_failed' });
    expect(result.party?.message).not.toContain('revoked-key');
    expect(harness.metrics.sum(MetricName.PollFailed, { Reason: 'auth_failed' })).toBe(1);
    expect(harness.source.requests().map((request) => request.status)).toEqual([401]);
  });

  it('finds new events, posts that mention someone and task assignments', async () => {
    harness = await startWorkDrivePollHarness({ pageSize: 2 });
    const earlier = harness.source.createTask({ title: 'Already there' });
    harness.source.assignTask(earlier.id, [BRAM.id]);
    const first = await harness.poll();
    expect(first.party).toMatchObject({ queued: 0, started: ['news', 'events', 'posts', 'tasks'] });

    harness.source.createEvent({ title: 'Summer party', public: false });
    harness.source.createPost({ postText: 'Great work @Anna', mentionUserIds: [ANNA.id] });
    const task = harness.source.createTask({ title: 'Fill out timesheet' });
    harness.source.assignTask(task.id, [ANNA.id]);
    for (let index = 0; index < 3; index++) harness.source.createTask({ title: `Unassigned ${index}` });

    const second = await harness.poll();
    const byEvent = Object.fromEntries((second.party?.events ?? []).map((event) => [event.event, event]));
    expect(byEvent['post.created']?.outcome).toBe('queued');
    expect(byEvent['task.assigned']).toMatchObject({
      outcome: 'queued',
      id: `task:${task.id}:assigned:${ANNA.id}`,
    });
    // A private event with no audience is found and ignored by the mapping, like the same webhook.
    expect(byEvent['event.created']?.outcome).toBe('ignored');

    const h = harness;
    await waitFor(() => titlesFor(h, ANNA.email).length >= 2, { what: "Anna's activities" });
    expect(titlesFor(h, ANNA.email)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('New task: Fill out timesheet'),
        expect.stringContaining('mentioned you'),
      ]),
    );
    // Tasks are read page by page with cur_page.
    const pages = h.source
      .requests()
      .filter((request) => request.path === '/api/tasks')
      .map((request) => request.query.cur_page);
    expect(pages).toContain('2');
  });
});
