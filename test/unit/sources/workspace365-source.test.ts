import { describe, expect, it } from 'vitest';
import { demoParty } from '../../../devkit/fakes/demo';
import { createSource } from '../../../shared/sources';
import { contextFor } from './support';

const party = demoParty({ source: 'workspace365' });
const source = createSource(party);
const activity = { User: { Upn: 'anna@demo.example' }, Title: 'Hi' };
const batch = { Scope: { Kind: 0 }, Data: { Title: 'Hello all' } };

describe('workspace365 source', () => {
  it('passes a single Activity through as an activity, without an event id', async () => {
    await expect(source.map(activity, contextFor(party))).resolves.toEqual({
      outcome: 'mapped',
      event: 'activity',
      payloads: [{ kind: 'activity', payload: activity }],
    });
  });

  it('recognises a Batch Activity (keys in any case) as a batch', async () => {
    const lowerCase = { scope: { kind: 1, users: [{ upn: 'a@demo.example' }] }, data: { title: 'x' } };
    await expect(source.map(lowerCase, contextFor(party))).resolves.toEqual({
      outcome: 'mapped',
      event: 'batch',
      payloads: [{ kind: 'batch', payload: lowerCase }],
    });
  });

  it('turns a JSON array into one payload per item', async () => {
    const result = await source.map([activity, batch, activity], contextFor(party));
    expect(result).toEqual({
      outcome: 'mapped',
      event: 'mixed',
      payloads: [
        { kind: 'activity', payload: activity },
        { kind: 'batch', payload: batch },
        { kind: 'activity', payload: activity },
      ],
    });
    await expect(source.map([batch, batch], contextFor(party))).resolves.toMatchObject({ event: 'batch' });
  });

  it('answers invalid for a body that is neither, with a clear message', async () => {
    const result = await source.map({ Title: 'no user' }, contextFor(party));
    expect(result).toMatchObject({
      outcome: 'invalid',
      message: expect.stringMatching(/neither a Workspace 365 Activity .* nor a Batch Activity/),
      fieldErrors: { $: expect.any(Object) },
    });
  });

  it('names the unrecognisable items of an array by index', async () => {
    const result = await source.map([activity, 'text', { Foo: 1 }], contextFor(party));
    expect(result).toMatchObject({ outcome: 'invalid' });
    if (result.outcome === 'invalid') expect(Object.keys(result.fieldErrors)).toEqual(['[1]', '[2]']);
  });

  it('answers invalid for an empty array or a scalar', async () => {
    await expect(source.map([], contextFor(party))).resolves.toMatchObject({ outcome: 'invalid' });
    await expect(source.map(42, contextFor(party))).resolves.toMatchObject({ outcome: 'invalid' });
  });
});
