import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoParty } from '../../../devkit/fakes/demo';
import { ALL_SOURCE_ENGINES } from '../../../devkit/source-engines';
import { SOURCES } from '../../../shared/config/relay-config';
import { createSource } from '../../../shared/sources';
import { validatePayload } from '../../../shared/workspace365/validate';
import { contextFor, FIXTURES_DIR } from './support';

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

const cases = SOURCES.flatMap((source) =>
  readdirSync(join(FIXTURES_DIR, source))
    .filter((file) => file.endsWith('.json') && !file.endsWith('.expected.json'))
    .map((file) => ({ source, event: file.replace(/\.json$/, ''), dir: join(FIXTURES_DIR, source) })),
);

describe('source fixtures (test/fixtures/sources/<source>/<event>.json)', () => {
  it('has a fixture for every mapped event type of every source', () => {
    const events = (source: string) => cases.filter((c) => c.source === source).map((c) => c.event);
    expect(events('workspace365').sort()).toEqual(['activity', 'batch']);
    expect(events('workdrive').sort()).toEqual([
      'event.created',
      'news.published',
      'post.created',
      'task.assigned',
    ]);
    expect(events('huddle').sort()).toEqual([
      'team.invitations',
      'workspace.created',
      'workspace.managers.added',
      'workspace.user.added',
    ]);
    expect(events('template')).toEqual(['deal.won']);
  });

  it.each(cases)(
    '$source $event maps to the expected Workspace 365 payloads, which pass validation',
    async ({ source, event, dir }) => {
      const party = demoParty({ source });
      const result = await createSource(party, ALL_SOURCE_ENGINES).map(
        readJson(join(dir, `${event}.json`)),
        contextFor(party),
      );
      expect(result).toEqual(readJson(join(dir, `${event}.expected.json`)));
      if (result.outcome !== 'mapped') throw new Error(`expected ${event} to be mapped`);
      for (const { kind, payload } of result.payloads) {
        expect(validatePayload(kind, payload)).toMatchObject({ ok: true, kind });
      }
    },
  );
});
