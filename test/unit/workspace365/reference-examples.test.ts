import { describe, expect, it } from 'vitest';
import { acceptedActivity, acceptedBatch } from './support';

/**
 * The examples of reference 000 ("Activity Feed" and "Schemas"), as the document prints them: string
 * kinds, lower-case `id`/`upn`/`name`. The document's e-mail addresses are obfuscated in the copy, so
 * real-looking ones stand in.
 */

describe('the reference document examples', () => {
  it('accepts the POST /api/activities example (string Kinds) and returns it canonical', () => {
    const example = JSON.parse(`{
      "User": { "Upn": "user@workspace365instance.url" },
      "Icon": { "Name": "Phone" },
      "Title": "Test activity",
      "Url": "https://workspace365instance.url",
      "Tag": "Proposals", "Color": { "Kind": "1", "Value": "#00ff00" },
      "Actions": [
        { "Kind": "1", "Title": "Accept proposal", "Url": "https://workspace365instance.url/proposal/accept" }
      ]
    }`);
    expect(acceptedActivity(example)).toEqual({
      User: { Upn: 'user@workspace365instance.url' },
      Icon: { Name: 'Phone' },
      Title: 'Test activity',
      Url: 'https://workspace365instance.url',
      Tag: 'Proposals',
      Color: { Kind: 1, Value: '#00ff00' },
      Actions: [
        { Kind: 1, Title: 'Accept proposal', Url: 'https://workspace365instance.url/proposal/accept' },
      ],
    });
  });

  it('accepts the POST /api/activities-batch example (its missing comma after "Kind": 1 restored)', () => {
    const example = JSON.parse(`{
      "Scope": { "Kind": 0 },
      "Data": {
        "Title": "test", "Url": "https://workspace365instance.url",
        "Tag": "Proposals", "Icon": { "Name": "Phone" }, "Color": { "Kind": 1, "Value": "#00ff00" },
        "Actions": [
          { "Kind": 1, "Title": "Accept Proposal", "Url": "https://workspace365instance.url/proposal/accept" }
        ]
      }
    }`);
    expect(acceptedBatch(example)).toEqual({
      Scope: { Kind: 0 },
      Data: {
        Title: 'test',
        Url: 'https://workspace365instance.url',
        Tag: 'Proposals',
        Icon: { Name: 'Phone' },
        Color: { Kind: 1, Value: '#00ff00' },
        Actions: [
          { Kind: 1, Title: 'Accept Proposal', Url: 'https://workspace365instance.url/proposal/accept' },
        ],
      },
    });
  });

  it('accepts the User schema example (lower-case id and upn) and returns PascalCase', () => {
    const example = JSON.parse('{ "User": { "id": 1, "upn": "user@example.com" }, "Title": "t" }');
    expect(acceptedActivity(example).User).toEqual({ Id: 1, Upn: 'user@example.com' });
  });

  it('accepts the UserLookup and GroupLookup examples in a scope and returns PascalCase', () => {
    const users = JSON.parse(
      `{ "Scope": { "Kind": 1, "Users": [{ "id": 1, "upn": "user@example.com" }] }, "Data": { "Title": "t" } }`,
    );
    expect(acceptedBatch(users).Scope).toEqual({ Kind: 1, Users: [{ Id: 1, Upn: 'user@example.com' }] });
    const groups = JSON.parse(
      `{ "Scope": { "Kind": 2, "Groups": [{ "id": 1, "name": "test-group" }] }, "Data": { "Title": "t" } }`,
    );
    expect(acceptedBatch(groups).Scope).toEqual({ Kind: 2, Groups: [{ Id: 1, Name: 'test-group' }] });
  });

  it('accepts the Color, Action and Icon schema examples', () => {
    const activity = acceptedActivity({
      User: { Id: 1 },
      Title: 't',
      Icon: { Name: 'my icon' },
      Color: { Kind: '1', Value: '#00ff00' },
      Actions: [
        { Kind: 1, Title: 'Accept proposal', Url: 'https://workspace365instance.url/propasal/accept' },
      ],
    });
    expect(activity.Color).toEqual({ Kind: 1, Value: '#00ff00' });
    expect(activity.Actions?.[0]?.Kind).toBe(1);
    expect(activity.Icon).toEqual({ Name: 'my icon' });
  });

  it('returns an all-lower-case body with canonical PascalCase keys and number kinds', () => {
    const canonical = acceptedBatch({
      scope: { kind: '1', users: [{ upn: 'a@example.com' }] },
      data: {
        title: 't',
        tag: 'x',
        icon: { name: 'Phone' },
        color: { kind: '3' },
        actions: [{ kind: '8', title: 'Next', url: 'https://e.com' }],
      },
    });
    expect(canonical).toEqual({
      Scope: { Kind: 1, Users: [{ Upn: 'a@example.com' }] },
      Data: {
        Title: 't',
        Tag: 'x',
        Icon: { Name: 'Phone' },
        Color: { Kind: 3 },
        Actions: [{ Kind: 8, Title: 'Next', Url: 'https://e.com' }],
      },
    });
  });
});
