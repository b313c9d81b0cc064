import { describe, expect, it } from 'vitest';
import { validatePayload } from '../../../shared/workspace365/validate';
import { acceptedBatch, action, batch, expectOnlyFieldError, fieldErrorsOf } from './support';

describe('Batch Activity: Scope', () => {
  it('accepts Kind 0 (all users) with no users or groups', () => {
    expect(acceptedBatch(batch({ Kind: 0 })).Scope).toEqual({ Kind: 0 });
  });

  it('accepts Kind 1 with at least one user', () => {
    expect(
      acceptedBatch(batch({ Kind: 1, Users: [{ Upn: 'anna@example.com' }, { Id: '3' }] })).Scope,
    ).toEqual({
      Kind: 1,
      Users: [{ Upn: 'anna@example.com' }, { Id: 3 }],
    });
  });

  it.each([
    ['no Users', { Kind: 1 }],
    ['an empty Users list', { Kind: 1, Users: [] }],
    ['only groups', { Kind: 1, Groups: [{ Name: 'Sales' }] }],
  ])('rejects Kind 1 with %s', (_, scope) => {
    expectOnlyFieldError(
      'batch',
      batch(scope),
      'Scope.Users',
      'at least one user is required when Kind is 1',
    );
  });

  it('accepts Kind 2 with at least one group', () => {
    expect(acceptedBatch(batch({ Kind: '2', Groups: [{ Name: 'Sales' }] })).Scope).toEqual({
      Kind: 2,
      Groups: [{ Name: 'Sales' }],
    });
  });

  it.each([
    ['no Groups', { Kind: 2 }],
    ['an empty Groups list', { Kind: 2, Groups: [] }],
    ['only users', { Kind: 2, Users: [{ Id: 1 }] }],
  ])('rejects Kind 2 with %s', (_, scope) => {
    expectOnlyFieldError(
      'batch',
      batch(scope),
      'Scope.Groups',
      'at least one group is required when Kind is 2',
    );
  });

  it.each([3, -1, '3', 1.5])('rejects Kind %j', (kind) => {
    const message =
      kind === 1.5 ? 'Kind must be a whole number' : 'Kind must be 0 (all users), 1 (users) or 2 (groups)';
    expectOnlyFieldError('batch', batch({ Kind: kind }), 'Scope.Kind', message);
  });

  it('checks each user in the scope, at its index', () => {
    expectOnlyFieldError(
      'batch',
      batch({ Kind: 1, Users: [{ Id: 1 }, {}] }),
      'Scope.Users[1]',
      'a user needs an Id or a Upn',
    );
  });

  it('is required', () => {
    expectOnlyFieldError('batch', { Data: { Title: 't' } }, 'Scope', /^is required$/);
  });
});

describe('Batch Activity: GroupLookup', () => {
  it.each([
    ['an Id', { Id: 4 }, { Id: 4 }],
    ['a Name', { Name: 'Sales' }, { Name: 'Sales' }],
    ['both (Workspace 365 uses the Id)', { id: '4', name: 'Sales' }, { Id: 4, Name: 'Sales' }],
  ])('accepts %s', (_, group, canonical) => {
    expect(acceptedBatch(batch({ Kind: 2, Groups: [group] })).Scope.Groups).toEqual([canonical]);
  });

  it('needs an Id or a Name, reported at its index', () => {
    expectOnlyFieldError(
      'batch',
      batch({ Kind: 2, Groups: [{ Name: 'Sales' }, {}] }),
      'Scope.Groups[1]',
      'a group needs an Id or a Name',
    );
  });

  it('rejects a blank Name and a non-positive Id', () => {
    expectOnlyFieldError(
      'batch',
      batch({ Kind: 2, Groups: [{ Name: '' }] }),
      'Scope.Groups[0].Name',
      'Name must not be empty',
    );
    expectOnlyFieldError(
      'batch',
      batch({ Kind: 2, Groups: [{ Id: 0 }] }),
      'Scope.Groups[0].Id',
      'Id must be a positive whole number',
    );
  });
});

describe('Batch Activity: Data (ActivityWithoutUser)', () => {
  it('is required', () => {
    expectOnlyFieldError('batch', { Scope: { Kind: 0 } }, 'Data', /^is required$/);
  });

  it('applies the activity rules under Data', () => {
    expectOnlyFieldError(
      'batch',
      batch({ Kind: 0 }, { Title: ' ' }),
      'Data.Title',
      'Title must not be empty',
    );
    expectOnlyFieldError(
      'batch',
      batch({ Kind: 0 }, { Actions: [action(), action(), action()] }),
      'Data.Actions',
      'at most 2 actions are allowed',
    );
    expectOnlyFieldError(
      'batch',
      batch({ Kind: 0 }, { Actions: [action({ Title: 'x'.repeat(33) })] }),
      'Data.Actions[0].Title',
      'Title must be at most 32 characters',
    );
    expectOnlyFieldError(
      'batch',
      batch({ Kind: 0 }, { Color: { Kind: 1 } }),
      'Data.Color.Value',
      'Value is required when Kind is 1 (custom)',
    );
    expectOnlyFieldError(
      'batch',
      batch({ Kind: 0 }, { Url: 'ftp://x' }),
      'Data.Url',
      'Url must be an absolute http(s) URL',
    );
  });

  it('has no User: a User under Data is an unknown field', () => {
    expectOnlyFieldError(
      'batch',
      batch({ Kind: 0 }, { User: { Id: 1 } }),
      'Data.User',
      'is not a known field',
    );
  });

  it('reports an unknown field beside Scope and Data', () => {
    expectOnlyFieldError('batch', { ...batch(), Users: [] }, 'Users', 'is not a known field');
  });
});

describe('validatePayload field prefix', () => {
  it('prefixes every field path (used for a list of payloads or an envelope)', () => {
    const result = validatePayload('batch', { Scope: { Kind: 9 }, Data: {} }, 'payloads[2]');
    expect(result).toEqual({
      ok: false,
      fieldErrors: {
        'payloads[2].Scope.Kind': { message: 'Kind must be 0 (all users), 1 (users) or 2 (groups)' },
        'payloads[2].Data.Title': { message: 'Title is required and must be a string' },
      },
    });
  });

  it('names the whole body "$" when it is not an object', () => {
    expect(Object.keys(fieldErrorsOf('batch', []))).toEqual(['$']);
    expect(Object.keys(fieldErrorsOf('activity', null))).toEqual(['$']);
    expect(Object.keys(fieldErrorsOf('activity', 'a string'))).toEqual(['$']);
  });

  it('checks a body against the endpoint it is sent to', () => {
    expect(validatePayload('activity', batch()).ok).toBe(false);
    expect(validatePayload('batch', { User: { Id: 1 }, Title: 't' }).ok).toBe(false);
  });
});
