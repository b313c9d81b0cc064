import * as z from '../../zod';

/**
 * The `data` of Huddle events: the object shapes of reference 004 (workspace, managers, workspace
 * users, teams). Only what the mappers read is checked; other fields pass through.
 */

export const HuddleLink = z.looseObject({ rel: z.string(), href: z.string() });

export const HuddleWorkspace = z.looseObject({
  /** Not in the API's workspace body (the id is in its `self` link), but accepted when the sender adds it. */
  id: z.nullish(
    z.pipe(z.union([z.string().check(z.minLength(1)), z.number().check(z.int())]), z.transform(String)),
  ),
  name: z.string({ error: 'name must be a string (the workspace name)' }),
  links: z.nullish(z.array(HuddleLink)),
});
export type HuddleWorkspace = z.output<typeof HuddleWorkspace>;

/** A workspace user or manager. */
export const HuddleUser = z.looseObject({
  name: z.nullish(z.string()),
  email: z.email({ error: 'email must be an e-mail address' }),
});
export type HuddleUser = z.output<typeof HuddleUser>;

export const HuddleTeam = z.looseObject({
  name: z.string({ error: 'name must be a string (the team name)' }),
});

export const HuddleUserAdded = z.looseObject({ workspace: HuddleWorkspace, user: HuddleUser });

export const HuddleManagersAdded = z.looseObject({
  workspace: HuddleWorkspace,
  managers: z
    .array(HuddleUser, { error: 'managers must be a list of users' })
    .check(z.minLength(1, { error: 'at least one manager is required' })),
});

export const HuddleWorkspaceCreated = z.looseObject({ workspace: HuddleWorkspace, createdBy: HuddleUser });

export const HuddleTeamInvitations = z.looseObject({
  workspace: HuddleWorkspace,
  team: HuddleTeam,
  users: z
    .array(HuddleUser, { error: 'users must be a list of users' })
    .check(z.minLength(1, { error: 'at least one invited user is required' })),
});
