import { describe, expect, it } from 'vitest';
import { MAX_ACTION_TITLE_LENGTH, MAX_ACTIONS } from '../../../shared/workspace365/schemas';
import { acceptedActivity, action, activity, expectOnlyFieldError, fieldErrorsOf } from './support';

const URL_MESSAGE = 'Url must be an absolute http(s) URL';

describe('Activity: Title', () => {
  it('is accepted when given', () => {
    expect(acceptedActivity(activity({ Title: 'Proposal ready' })).Title).toBe('Proposal ready');
  });

  it('is required', () => {
    const { Title: _, ...withoutTitle } = activity();
    expectOnlyFieldError('activity', withoutTitle, 'Title', 'Title is required and must be a string');
  });

  it.each(['', '   ', '\t\n'])('must not be blank (%j)', (title) => {
    expectOnlyFieldError('activity', activity({ Title: title }), 'Title', 'Title must not be empty');
  });

  it('must be a string', () => {
    expectOnlyFieldError(
      'activity',
      activity({ Title: 42 }),
      'Title',
      'Title is required and must be a string',
    );
  });
});

describe('Activity: User (UserLookup)', () => {
  it('accepts a Upn alone', () => {
    expect(acceptedActivity(activity({ User: { Upn: 'anna@example.com' } })).User).toEqual({
      Upn: 'anna@example.com',
    });
  });

  it('accepts an Id alone, as a number or a string of digits', () => {
    expect(acceptedActivity(activity({ User: { Id: 7 } })).User).toEqual({ Id: 7 });
    expect(acceptedActivity(activity({ User: { Id: '7' } })).User).toEqual({ Id: 7 });
  });

  it('accepts Id and Upn together and keeps both (Workspace 365 then uses the Id)', () => {
    expect(acceptedActivity(activity({ User: { Id: 7, Upn: 'anna@example.com' } })).User).toEqual({
      Id: 7,
      Upn: 'anna@example.com',
    });
  });

  it('needs an Id or a Upn', () => {
    expectOnlyFieldError('activity', activity({ User: {} }), 'User', 'a user needs an Id or a Upn');
  });

  it('is required', () => {
    const { User: _, ...withoutUser } = activity();
    expectOnlyFieldError('activity', withoutUser, 'User', /^is required$/);
  });

  it.each([0, -1, '0'])('rejects an Id that is not positive (%j)', (id) => {
    expectOnlyFieldError(
      'activity',
      activity({ User: { Id: id } }),
      'User.Id',
      'Id must be a positive whole number',
    );
  });

  it.each([1.5, 'seven', '1.0', true])('rejects an Id that is not a whole number (%j)', (id) => {
    expectOnlyFieldError('activity', activity({ User: { Id: id } }), 'User.Id', 'Id must be a whole number');
  });

  it('rejects a blank Upn', () => {
    expectOnlyFieldError('activity', activity({ User: { Upn: ' ' } }), 'User.Upn', 'Upn must not be empty');
  });
});

describe('Activity: Actions', () => {
  const actions = (count: number) =>
    Array.from({ length: count }, (_, index) => action({ Title: `Step ${index}` }));

  it(`accepts up to ${MAX_ACTIONS} actions`, () => {
    expect(acceptedActivity(activity({ Actions: actions(2) })).Actions).toHaveLength(2);
    expect(acceptedActivity(activity({ Actions: [] })).Actions).toEqual([]);
  });

  it(`rejects more than ${MAX_ACTIONS} actions`, () => {
    expectOnlyFieldError(
      'activity',
      activity({ Actions: actions(3) }),
      'Actions',
      'at most 2 actions are allowed',
    );
  });

  it('must be a list', () => {
    expectOnlyFieldError('activity', activity({ Actions: action() }), 'Actions', 'Actions must be a list');
  });

  describe('Title', () => {
    it(`accepts ${MAX_ACTION_TITLE_LENGTH} characters`, () => {
      const title = 'x'.repeat(32);
      expect(acceptedActivity(activity({ Actions: [action({ Title: title })] })).Actions?.[0]?.Title).toBe(
        title,
      );
    });

    it(`rejects ${MAX_ACTION_TITLE_LENGTH + 1} characters, at the right action`, () => {
      const body = activity({ Actions: [action(), action({ Title: 'x'.repeat(33) })] });
      expectOnlyFieldError('activity', body, 'Actions[1].Title', 'Title must be at most 32 characters');
    });

    it('counts UTF-16 code units, as Workspace 365 does (an emoji is two)', () => {
      expect(acceptedActivity(activity({ Actions: [action({ Title: '👍'.repeat(16) })] }))).toBeDefined();
      expectOnlyFieldError(
        'activity',
        activity({ Actions: [action({ Title: `${'👍'.repeat(16)}x` })] }),
        'Actions[0].Title',
        'Title must be at most 32 characters',
      );
    });

    it('is required and not blank', () => {
      const { Title: _, ...untitled } = action();
      expectOnlyFieldError(
        'activity',
        activity({ Actions: [untitled] }),
        'Actions[0].Title',
        'Title is required and must be a string',
      );
      expectOnlyFieldError(
        'activity',
        activity({ Actions: [action({ Title: ' ' })] }),
        'Actions[0].Title',
        'Title must not be empty',
      );
    });
  });

  describe('Kind', () => {
    it.each([1, 5, 9, '9'])('accepts %j and returns a number', (kind) => {
      expect(acceptedActivity(activity({ Actions: [action({ Kind: kind })] })).Actions?.[0]?.Kind).toBe(
        Number(kind),
      );
    });

    it.each([0, 10, '10', -1])('rejects %j as outside 1–9', (kind) => {
      expectOnlyFieldError(
        'activity',
        activity({ Actions: [action({ Kind: kind })] }),
        'Actions[0].Kind',
        'Kind must be between 1 and 9',
      );
    });

    it.each([2.5, 'open', null])('rejects %j as not a whole number', (kind) => {
      expectOnlyFieldError(
        'activity',
        activity({ Actions: [action({ Kind: kind })] }),
        'Actions[0].Kind',
        'Kind must be a whole number',
      );
    });

    it('is required', () => {
      const { Kind: _, ...kindless } = action();
      expectOnlyFieldError(
        'activity',
        activity({ Actions: [kindless] }),
        'Actions[0].Kind',
        'Kind must be a whole number',
      );
    });
  });

  describe('Url', () => {
    it.each(['https://example.com/a?b=c#d', 'http://127.0.0.1:8080/x'])(
      'accepts the absolute http(s) URL %s',
      (url) => {
        expect(acceptedActivity(activity({ Actions: [action({ Url: url })] })).Actions?.[0]?.Url).toBe(url);
      },
    );

    it('is required', () => {
      const { Url: _, ...urlless } = action();
      expectOnlyFieldError(
        'activity',
        activity({ Actions: [urlless] }),
        'Actions[0].Url',
        'Url must be a string holding an absolute http(s) URL',
      );
    });

    it.each([
      '/proposal/accept',
      'example.com/x',
      'ftp://example.com/x',
      'javascript:alert(1)',
      'mailto:a@example.com',
      '',
    ])('rejects %j', (url) => {
      expectOnlyFieldError(
        'activity',
        activity({ Actions: [action({ Url: url })] }),
        'Actions[0].Url',
        URL_MESSAGE,
      );
    });
  });
});

describe('Activity: Color', () => {
  it('accepts Kind 1 with an HTML colour', () => {
    expect(acceptedActivity(activity({ Color: { Kind: 1, Value: '#00ff00' } })).Color).toEqual({
      Kind: 1,
      Value: '#00ff00',
    });
  });

  it.each([2, 3])('accepts Kind %i without a Value', (kind) => {
    expect(acceptedActivity(activity({ Color: { Kind: kind } })).Color).toEqual({ Kind: kind });
  });

  it('requires Value when Kind is 1', () => {
    expectOnlyFieldError(
      'activity',
      activity({ Color: { Kind: 1 } }),
      'Color.Value',
      'Value is required when Kind is 1 (custom)',
    );
  });

  it.each([0, 4, '4'])('rejects Kind %j', (kind) => {
    expectOnlyFieldError(
      'activity',
      activity({ Color: { Kind: kind, Value: '#000' } }),
      'Color.Kind',
      'Kind must be 1 (custom), 2 (primary) or 3 (header)',
    );
  });

  it.each(['#abc', '#abcd', '#A0B1C2', '#a0b1c2d3', 'teal', 'RebeccaPurple'])(
    'accepts the HTML colour %s',
    (value) => {
      expect(acceptedActivity(activity({ Color: { Kind: 1, Value: value } })).Color?.Value).toBe(value);
    },
  );

  it.each(['00ff00', '#12345', '#ggg', 'not-a-colour', 'rgb(0,0,0)', ''])(
    'rejects %j as not an HTML colour',
    (value) => {
      expectOnlyFieldError(
        'activity',
        activity({ Color: { Kind: 1, Value: value } }),
        'Color.Value',
        'Value must be an HTML colour such as #00ff00 or "teal"',
      );
    },
  );
});

describe('Activity: Url', () => {
  it('accepts an absolute https URL', () => {
    expect(acceptedActivity(activity({ Url: 'https://example.com/details' })).Url).toBe(
      'https://example.com/details',
    );
  });

  it.each(['details', '//example.com/x', 'ftp://example.com', 'file:///etc/passwd'])('rejects %j', (url) => {
    expectOnlyFieldError('activity', activity({ Url: url }), 'Url', URL_MESSAGE);
  });

  it('rejects a non-string Url', () => {
    expectOnlyFieldError(
      'activity',
      activity({ Url: 7 }),
      'Url',
      'Url must be a string holding an absolute http(s) URL',
    );
  });
});

describe('unknown fields', () => {
  it.each([
    ['at the top', { Foo: 1 }, 'Foo'],
    ['in User', { User: { Upn: 'a@example.com', Email: 'a@example.com' } }, 'User.Email'],
    ['in Icon', { Icon: { Name: 'Phone', Size: 2 } }, 'Icon.Size'],
    ['in Color', { Color: { Kind: 2, Alpha: 1 } }, 'Color.Alpha'],
    ['in an action', { Actions: [action(), action({ Target: '_blank' })] }, 'Actions[1].Target'],
  ])('are rejected with their path (%s)', (_, fields, path) => {
    expectOnlyFieldError('activity', activity(fields), path, 'is not a known field');
  });

  it('are each reported', () => {
    const fieldErrors = fieldErrorsOf(
      'activity',
      activity({ Foo: 1, Bar: 2, User: { Upn: 'a@example.com', X: 1 } }),
    );
    expect(Object.keys(fieldErrors).sort()).toEqual(['Bar', 'Foo', 'User.X']);
  });
});

describe('__proto__ and constructor keys', () => {
  // JSON.parse makes "__proto__" an own key, exactly as a webhook body arrives.
  const parsed = (json: string) => JSON.parse(json) as unknown;

  it('rejects a top-level __proto__ key with its path, and pollutes nothing', () => {
    const body = parsed('{"User":{"Upn":"a@example.com"},"Title":"t","__proto__":{"polluted":"yes","Id":1}}');
    expectOnlyFieldError('activity', body, '__proto__', 'is not a known field');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('rejects a nested __proto__ key and never inherits a User Id from it', () => {
    const body = parsed('{"User":{"__proto__":{"Id":1}},"Title":"t"}');
    expect(fieldErrorsOf('activity', body)).toEqual({
      'User.__proto__': { message: 'is not a known field' },
      // The Id under __proto__ was not picked up as the user's Id.
      User: { message: 'a user needs an Id or a Upn' },
    });
    expect(Object.prototype).not.toHaveProperty('Id');
  });

  it('rejects constructor and prototype keys with their paths', () => {
    const body = parsed(
      '{"User":{"Upn":"a@example.com"},"Title":"t","constructor":{"prototype":{"polluted":"yes"}}}',
    );
    expectOnlyFieldError('activity', body, 'constructor', 'is not a known field');
    const nested = parsed('{"User":{"Upn":"a@example.com","prototype":{}},"Title":"t"}');
    expectOnlyFieldError('activity', nested, 'User.prototype', 'is not a known field');
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});

describe('a key given twice in different casing', () => {
  it.each([
    [
      'at the top',
      { User: { Upn: 'a@example.com' }, Title: 'one', title: 'two' },
      'Title',
      'is given twice (as "Title" and "title")',
    ],
    [
      'in User',
      { User: { Upn: 'a@example.com', UPN: 'b@example.com' }, Title: 't' },
      'User.Upn',
      'is given twice (as "Upn" and "UPN")',
    ],
    [
      'in an action',
      activity({ Actions: [{ ...action(), kind: 2 }] }),
      'Actions[0].Kind',
      'is given twice (as "Kind" and "kind")',
    ],
  ])('is reported %s, naming both spellings', (_, body, path, message) => {
    expectOnlyFieldError('activity', body, path, message);
  });
});
