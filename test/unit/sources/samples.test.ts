import { describe, expect, it } from 'vitest';
import { demoParty } from '../../../devkit/fakes/demo';
import { sampleEvents } from '../../../devkit/samples';
import { ALL_SOURCE_ENGINES } from '../../../devkit/source-engines';
import { SOURCES } from '../../../shared/config/relay-config';
import { createSource } from '../../../shared/sources';
import { validatePayload } from '../../../shared/workspace365/validate';
import { contextFor } from './support';

describe('sample events', () => {
  it.each(SOURCES)(
    'every %s sample maps with the demo party to payloads that pass validation',
    async (source) => {
      const party = demoParty({ source });
      const events = Object.entries(sampleEvents[source]);
      expect(events.length).toBeGreaterThan(0);
      for (const [event, makeBody] of events) {
        const result = await createSource(party, ALL_SOURCE_ENGINES).map(makeBody(), contextFor(party));
        if (result.outcome !== 'mapped') throw new Error(`${source} ${event}: ${JSON.stringify(result)}`);
        expect(result.event).toBe(event);
        expect(result.unresolvedRecipients).toBeUndefined();
        for (const { kind, payload } of result.payloads) expect(validatePayload(kind, payload).ok).toBe(true);
      }
    },
  );

  it('builds fresh ids on every call', () => {
    const sample = (source: 'workdrive' | 'template', event: string) => {
      const make = sampleEvents[source][event];
      if (make === undefined) throw new Error(`no ${source} sample for ${event}`);
      return make();
    };
    const first = sample('workdrive', 'task.assigned') as { id: string; data: { id: string } };
    const second = sample('workdrive', 'task.assigned') as { id: string; data: { id: string } };
    expect(first.id).not.toBe(second.id);
    expect(first.data.id).not.toBe(second.data.id);
    const deal = () => (sample('template', 'deal.won') as { deal: { id: string } }).deal.id;
    expect(deal()).not.toBe(deal());
  });
});
