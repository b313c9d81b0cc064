import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { demoParty } from '../../../devkit/fakes/demo';
import { sampleEvents } from '../../../devkit/samples';
import type { PartyConfig, PartyOf } from '../../../shared/config/relay-config';
import {
  compileTemplate,
  createSource as createSourceWith,
  loadSourceEngines,
  TemplateCompileError,
} from '../../../shared/sources';
import { createTemplateSource } from '../../../shared/sources/template/template-source';
import { validatePayload } from '../../../shared/workspace365/validate';
import { contextFor } from './support';

const demo = demoParty({ source: 'template' });
/** Sources built as the hosts build them, with JSONata loaded. */
const createSource = (party: PartyConfig) => createSourceWith(party, { jsonata });
const partyWith = (options: PartyOf<'template'>['options']): PartyConfig => ({ ...demo, options });
const map = (
  options: PartyOf<'template'>['options'],
  body: unknown,
  headers: Record<string, string> = {},
) => {
  const party = partyWith(options);
  return createSource(party).map(body, contextFor(party, { headers }));
};
const deal = (status: string) => ({
  status,
  deal: { id: 'D-7', name: 'Acme', url: 'https://crm.example/deals/D-7' },
  owner: { email: 'anna@demo.example' },
});
const ACTIVITY = "{ 'User': { 'Upn': 'a@demo.example' }, 'Title': 'Hello' }";

describe('template source (demo party crm-demo)', () => {
  it('evaluates eventId, event and payload', async () => {
    const result = await createSource(demo).map(deal('won'), contextFor(demo));
    expect(result).toEqual({
      outcome: 'mapped',
      event: 'deal.won',
      eventId: 'D-7-won',
      payloads: [
        {
          kind: 'activity',
          payload: {
            User: { Upn: 'anna@demo.example' },
            Title: 'Deal won: Acme',
            Url: 'https://crm.example/deals/D-7',
            Tag: 'Sales',
            Color: { Kind: 1, Value: '#2e7d32' },
            Actions: [{ Kind: 4, Title: 'Open deal', Url: 'https://crm.example/deals/D-7' }],
          },
        },
      ],
    });
  });

  it('ignores what the filter rejects, keeping event and eventId', async () => {
    await expect(createSource(demo).map(deal('lost'), contextFor(demo))).resolves.toEqual({
      outcome: 'ignored',
      event: 'deal.lost',
      eventId: 'D-7-lost',
      reason: 'filtered out by the template',
    });
  });

  it('maps the sample body of every template event', async () => {
    for (const [event, makeBody] of Object.entries(sampleEvents.template)) {
      const result = await createSource(demo).map(makeBody(), contextFor(demo));
      expect(result).toMatchObject({ outcome: 'mapped', event });
    }
  });

  it('defaults event to the body’s `event` (else "webhook") and leaves eventId to the ingress', async () => {
    await expect(map({ payload: ACTIVITY }, { event: 'ticket.closed' })).resolves.toMatchObject({
      event: 'ticket.closed',
    });
    const result = await map({ payload: ACTIVITY }, { id: 1 });
    expect(result).toMatchObject({ outcome: 'mapped', event: 'webhook' });
    expect(result).not.toHaveProperty('eventId');
  });

  it('turns an array output into one payload per item, each with its own kind', async () => {
    const payload =
      "[{ 'User': { 'Upn': 'a@demo.example' }, 'Title': 'One' }, { 'Scope': { 'Kind': 0 }, 'Data': { 'Title': 'All' } }]";
    const result = await map({ payload }, {});
    expect(result).toMatchObject({
      outcome: 'mapped',
      payloads: [
        { kind: 'activity', payload: { Title: 'One' } },
        { kind: 'batch', payload: { Data: { Title: 'All' } } },
      ],
    });
  });

  it('maps a list in the body item by item', async () => {
    const payload = "items.{ 'User': { 'Upn': email }, 'Title': 'Hi ' & name }";
    const body = {
      items: [
        { email: 'a@demo.example', name: 'A' },
        { email: 'b@demo.example', name: 'B' },
      ],
    };
    const result = await map({ payload }, body);
    if (result.outcome !== 'mapped') throw new Error(JSON.stringify(result));
    expect(result.payloads.map((p) => (p.payload as { Title: string }).Title)).toEqual(['Hi A', 'Hi B']);
  });

  it('answers invalid naming the item index when an output item is not a Workspace 365 payload', async () => {
    const result = await map({ payload: `[${ACTIVITY}, 'text', { 'Title': 'no user' }]` }, {});
    expect(result).toMatchObject({ outcome: 'invalid' });
    if (result.outcome === 'invalid') {
      expect(Object.keys(result.fieldErrors)).toEqual(['template.payload[1]', 'template.payload[2]']);
      expect(result.fieldErrors['template.payload[2]']?.message).toContain('item 2');
    }
  });

  it('ignores an empty array output and rejects no output at all', async () => {
    await expect(map({ payload: '[]' }, {})).resolves.toMatchObject({ outcome: 'ignored' });
    await expect(map({ payload: 'missing.field' }, {})).resolves.toMatchObject({
      outcome: 'invalid',
      message: expect.stringContaining('gave no result'),
    });
  });

  it('binds $headers (lower-cased, credentials removed) and $now (ISO)', async () => {
    const payload =
      "{ 'User': { 'Upn': $headers.'x-user' }, 'Title': $now & '|' & $exists($headers.authorization) & '|' & $exists($headers.'x-signature-256') }";
    const result = await map(
      { payload },
      {},
      {
        'x-user': 'header-user@demo.example',
        authorization: 'Basic c2VjcmV0',
        'x-signature-256': 'sha256=abc',
      },
    );
    expect(result).toMatchObject({
      outcome: 'mapped',
      payloads: [
        {
          payload: {
            User: { Upn: 'header-user@demo.example' },
            Title: '2026-03-02T15:00:00.000Z|false|false',
          },
        },
      ],
    });
  });

  it('applies the mapper rules to the output: action titles shortened, bad links dropped, 2 actions at most', async () => {
    const payload = `{ 'User': { 'Upn': 'a@demo.example' }, 'Title': '  ', 'Url': 'not a url',
      'actions': [
        { 'Kind': 4, 'Title': 'Open the extremely detailed quarterly report 📊', 'Url': 'https://r.example/1' },
        { 'Kind': 4, 'Title': 'Broken', 'Url': '/relative' },
        { 'Kind': 1, 'Title': 'Approve', 'Url': 'https://r.example/2' },
        { 'Kind': 2, 'Title': 'Reject', 'Url': 'https://r.example/3' }
      ] }`;
    const result = await map({ payload }, {});
    if (result.outcome !== 'mapped') throw new Error(JSON.stringify(result));
    const activity = result.payloads[0]?.payload as Record<string, unknown>;
    expect(activity.Url).toBeUndefined();
    expect(activity.Title).toBe('Notification');
    expect(activity.actions).toEqual([
      { Kind: 4, Title: 'Open the extremely detailed qua…', Url: 'https://r.example/1' },
      { Kind: 1, Title: 'Approve', Url: 'https://r.example/2' },
    ]);
    expect(validatePayload('activity', activity).ok).toBe(true);
  });

  it('answers invalid with the JSONata message when an expression fails at run time', async () => {
    const result = await map({ payload: "$number('not a number: secret-value-from-body')" }, {});
    expect(result).toMatchObject({
      outcome: 'invalid',
      message: expect.stringMatching(/payload expression failed: .*D3030/),
      fieldErrors: { 'template.payload': expect.any(Object) },
    });
    expect(JSON.stringify(result)).not.toContain('secret-value-from-body');
  });

  it('rejects an eventId that is not a string or a number', async () => {
    await expect(map({ eventId: "{ 'a': 1 }", payload: ACTIVITY }, {})).resolves.toMatchObject({
      outcome: 'invalid',
      fieldErrors: { 'template.eventId': expect.any(Object) },
    });
  });

  it('stops a looping expression: unbounded recursion and an endless tail call', async () => {
    const recursion = '( $f := function($n) { $n + $f($n + 1) }; $f(0) )';
    await expect(map({ payload: recursion }, {})).resolves.toMatchObject({
      outcome: 'invalid',
      message: expect.stringContaining('D1011'),
    });
    const source = createTemplateSource(
      compileTemplate(
        jsonata,
        { payload: '( $loop := function($n) { $loop($n + 1) }; $loop(0) )' },
        { timeoutMs: 50, maxDepth: 500, maxSequence: 100_000 },
      ),
    );
    await expect(source.map({}, contextFor(demo))).resolves.toMatchObject({
      outcome: 'invalid',
      message: expect.stringContaining('D1012'),
    });
  });

  it('stops an expression that builds a huge sequence', async () => {
    await expect(map({ payload: '$count([1..5000000])' }, {})).resolves.toMatchObject({ outcome: 'invalid' });
  });
});

describe('template source: what tidying drops is named', () => {
  it('names each dropped link and action by its path in the output, items and batches included', async () => {
    const payload = `[
      { 'User': { 'Upn': 'a@demo.example' }, 'Title': 'One', 'Url': 'not a url' },
      { 'Scope': { 'Kind': 0 }, 'Data': { 'Title': 'Two', 'Actions': [
        { 'Kind': 4, 'Title': 'a', 'Url': 'https://a.example' },
        { 'Kind': 4, 'Title': 'b', 'Url': 'ftp://b.example' },
        { 'Kind': 4, 'Title': 'c', 'Url': 'https://c.example' },
        { 'Kind': 4, 'Title': 'd', 'Url': 'https://d.example' }
      ] } }
    ]`;
    const result = await map({ payload }, {});
    expect(result).toMatchObject({
      outcome: 'mapped',
      dropped: ['[0].Url', '[1].Data.Actions[1]', '[1].Data.Actions[3]'],
    });
  });

  it('says nothing when nothing was dropped', async () => {
    const result = await createSource(demo).map(deal('won'), contextFor(demo));
    expect(result).not.toHaveProperty('dropped');
  });
});

describe('compileTemplate', () => {
  it('throws TemplateCompileError naming the option and the JSONata problem', () => {
    let caught: unknown;
    try {
      compileTemplate(jsonata, { payload: ACTIVITY, filter: "status = 'won" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TemplateCompileError);
    expect(caught).toMatchObject({ option: 'filter' });
    expect((caught as Error).message).toMatch(
      /^options\.filter is not a valid JSONata expression: .+\(code S\d+/,
    );
    expect((caught as Error).cause).toBeDefined();
  });

  it("reports every broken option at once and keeps JSONata's expected token", () => {
    let caught: TemplateCompileError | undefined;
    try {
      compileTemplate(jsonata, { payload: '{ "a": ', filter: "status = 'won", eventId: 'deal.ids[0' });
    } catch (error) {
      caught = error as TemplateCompileError;
    }
    expect(caught?.problems).toEqual([
      expect.stringMatching(
        /^options\.eventId is not a valid JSONata expression: Expected "\]" before end of expression/,
      ),
      expect.stringMatching(/^options\.filter is not a valid JSONata expression: /),
      expect.stringMatching(/^options\.payload is not a valid JSONata expression: /),
    ]);
  });

  it('is what createSource runs, so a broken template fails at start-up', () => {
    expect(() => createSource(partyWith({ payload: '{ "a": ' }))).toThrow(
      /options\.payload is not a valid JSONata/,
    );
  });
});

describe('JSONata on demand', () => {
  it('is loaded only for a party set with a template party', async () => {
    const others = (['workspace365', 'workdrive', 'huddle'] as const).map((source) => demoParty({ source }));
    expect(await loadSourceEngines(others)).toEqual({});
    expect(await loadSourceEngines([...others, demo])).toEqual({ jsonata });
  });

  it('a template party without it fails at start-up, saying what to load', () => {
    expect(() => createSourceWith(demo)).toThrow(
      `party ${demo.id} is a template party: load JSONata first (loadSourceEngines) and pass it to its source`,
    );
  });
});
