import * as z from '../zod';
import { httpUrlField, integerField, requiredText, withCanonicalKeys } from './canonical';
import { isHtmlColor } from './html-color';

/**
 * The Workspace 365 Activity feed contract (reference 000, "Activity Feed" and "Schemas").
 * Inputs are accepted as the document shows them; outputs are canonical PascalCase with numbers.
 */

/** Maximum number of actions on one activity (documented). */
export const MAX_ACTIONS = 2;
/** Maximum length of an action title (documented; counted as Workspace 365 counts, in UTF-16 units). */
export const MAX_ACTION_TITLE_LENGTH = 32;

export const ActionKind = {
  Check: 1,
  Cancel: 2,
  Add: 3,
  Open: 4,
  Edit: 5,
  Manage: 6,
  Delete: 7,
  Forward: 8,
  Backward: 9,
} as const;

export const ColorKind = { Custom: 1, Primary: 2, Header: 3 } as const;
export const ScopeKind = { AllUsers: 0, Users: 1, Groups: 2 } as const;

const positiveId = (what: string) =>
  z.pipe(
    integerField(what),
    z.number().check(z.positive({ error: `${what} must be a positive whole number` })),
  );

export const UserLookup = withCanonicalKeys({
  Id: z.optional(positiveId('Id')),
  Upn: z.optional(requiredText('Upn')),
}).check(
  z.refine((user) => user.Id !== undefined || user.Upn !== undefined, {
    error: 'a user needs an Id or a Upn',
  }),
);
export type UserLookup = z.output<typeof UserLookup>;

export const GroupLookup = withCanonicalKeys({
  Id: z.optional(positiveId('Id')),
  Name: z.optional(requiredText('Name')),
}).check(
  z.refine((group) => group.Id !== undefined || group.Name !== undefined, {
    error: 'a group needs an Id or a Name',
  }),
);
export type GroupLookup = z.output<typeof GroupLookup>;

export const Icon = withCanonicalKeys({
  Name: z.optional(z.string({ error: 'Name must be a string' })),
});
export type Icon = z.output<typeof Icon>;

export const Color = withCanonicalKeys({
  Kind: z.pipe(
    integerField('Kind'),
    z.union([z.literal(1), z.literal(2), z.literal(3)], {
      error: 'Kind must be 1 (custom), 2 (primary) or 3 (header)',
    }),
  ),
  Value: z.optional(
    z
      .string({ error: 'Value must be a string' })
      .check(z.refine(isHtmlColor, { error: 'Value must be an HTML colour such as #00ff00 or "teal"' })),
  ),
}).check(
  z.superRefine((color, ctx) => {
    if (color.Kind === ColorKind.Custom && color.Value === undefined) {
      ctx.addIssue({ code: 'custom', path: ['Value'], message: 'Value is required when Kind is 1 (custom)' });
    }
  }),
);
export type Color = z.output<typeof Color>;

export const Action = withCanonicalKeys({
  Kind: z.pipe(
    integerField('Kind'),
    z
      .number()
      .check(
        z.gte(1, { error: 'Kind must be between 1 and 9' }),
        z.lte(9, { error: 'Kind must be between 1 and 9' }),
      ),
  ),
  Title: requiredText('Title').check(
    z.refine((title) => title.length <= MAX_ACTION_TITLE_LENGTH, {
      error: `Title must be at most ${MAX_ACTION_TITLE_LENGTH} characters`,
    }),
  ),
  Url: httpUrlField('Url'),
});
export type Action = z.output<typeof Action>;

const Actions = z
  .array(Action, { error: 'Actions must be a list' })
  .check(z.maxLength(MAX_ACTIONS, { error: `at most ${MAX_ACTIONS} actions are allowed` }));

/** The fields an activity shows, shared by Activity and ActivityWithoutUser. */
const activityFields = {
  Icon: z.optional(Icon),
  Title: requiredText('Title'),
  Url: z.optional(httpUrlField('Url')),
  Tag: z.optional(z.string({ error: 'Tag must be a string' })),
  Color: z.optional(Color),
  Actions: z.optional(Actions),
};

export const ActivityWithoutUser = withCanonicalKeys(activityFields);
export type ActivityWithoutUser = z.output<typeof ActivityWithoutUser>;

export const Activity = withCanonicalKeys({
  User: UserLookup,
  ...activityFields,
});
export type Activity = z.output<typeof Activity>;
export type ActivityInput = z.input<typeof Activity>;

export const Scope = withCanonicalKeys({
  Kind: z.pipe(
    integerField('Kind'),
    z.union([z.literal(0), z.literal(1), z.literal(2)], {
      error: 'Kind must be 0 (all users), 1 (users) or 2 (groups)',
    }),
  ),
  Users: z.optional(z.array(UserLookup, { error: 'Users must be a list' })),
  Groups: z.optional(z.array(GroupLookup, { error: 'Groups must be a list' })),
}).check(
  z.superRefine((scope, ctx) => {
    if (scope.Kind === ScopeKind.Users && (scope.Users?.length ?? 0) === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['Users'],
        message: 'at least one user is required when Kind is 1',
      });
    }
    if (scope.Kind === ScopeKind.Groups && (scope.Groups?.length ?? 0) === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['Groups'],
        message: 'at least one group is required when Kind is 2',
      });
    }
  }),
);
export type Scope = z.output<typeof Scope>;

export const BatchActivity = withCanonicalKeys({
  Scope: Scope,
  Data: ActivityWithoutUser,
});
export type BatchActivity = z.output<typeof BatchActivity>;
export type BatchActivityInput = z.input<typeof BatchActivity>;

/** Which Workspace 365 endpoint a payload is for; also the queue message `kind`. */
export type PayloadKind = 'activity' | 'batch';

export const ENDPOINT_PATH: Record<PayloadKind, string> = {
  activity: 'api/activities',
  batch: 'api/activities-batch',
};
