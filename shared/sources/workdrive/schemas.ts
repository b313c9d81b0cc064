import * as z from '../../zod';

/**
 * The `data` of WorkDrive events: the object shapes of reference 002 (News, Event, Task, Post,
 * user objects). Only the fields the mappers read are checked; everything else WorkDrive sends
 * (reactions, files, link previews, ...) passes through untouched.
 */

const EntityId = z.pipe(
  z.union([z.string().check(z.minLength(1)), z.number().check(z.int())], {
    error: 'must be the id of the WorkDrive item',
  }),
  z.transform(String),
);

/** Ids the mapping resolves to recipients (`userIds`, `permissions.users`): reference 002 documents them as uuid. */
export const WorkDriveUserId = z.guid({ error: 'must be a WorkDrive user id (a UUID)' });

/**
 * A user object as WorkDrive embeds it (author, mentions, tagged users, RSVPs). Reference 002 types
 * its `id` as a string, and the mapping only uses it to pair the user with its e-mail, so any
 * non-empty string is accepted (a public news post never needs its author's id).
 */
export const WorkDriveUser = z.looseObject({
  id: z
    .string({ error: 'must be the user id (a string)' })
    .check(z.minLength(1, { error: 'must not be empty' })),
  firstName: z.nullish(z.string()),
  lastName: z.nullish(z.string()),
  email: z.nullish(z.email({ error: 'must be an e-mail address' })),
});
export type WorkDriveUser = z.output<typeof WorkDriveUser>;

const IdList = (what: string) =>
  z.nullish(z.array(z.string().check(z.minLength(1, { error: `must be a ${what} id` }))));

/** Who may see a post, news item or event. */
export const WorkDrivePermissions = z.looseObject({
  public: z.nullish(z.boolean()),
  users: z.nullish(z.array(WorkDriveUserId)),
  groups: IdList('group'),
  locations: IdList('location'),
});
export type WorkDrivePermissions = z.output<typeof WorkDrivePermissions>;

export const WorkDriveNews = z.looseObject({
  id: EntityId,
  newsTitle: z.string({ error: 'newsTitle must be a string' }),
  permissions: WorkDrivePermissions,
  user: z.nullish(WorkDriveUser),
  mentions: z.nullish(z.array(WorkDriveUser)),
  taggedUsers: z.nullish(z.array(WorkDriveUser)),
});
export type WorkDriveNews = z.output<typeof WorkDriveNews>;

export const WorkDriveEvent = z.looseObject({
  id: EntityId,
  title: z.string({ error: 'title must be a string' }),
  startDateTime: z.iso.datetime({ offset: true, error: 'startDateTime must be an ISO 8601 date-time' }),
  permissions: z.nullish(WorkDrivePermissions),
  /** Meeting invitees. */
  userIds: z.nullish(z.array(WorkDriveUserId)),
  conferenceLink: z.nullish(z.string()),
  externalLink: z.nullish(
    z.array(z.looseObject({ title: z.nullish(z.string()), url: z.nullish(z.string()) })),
  ),
  creator: z.nullish(WorkDriveUser),
  rsvpUsers: z.nullish(z.array(WorkDriveUser)),
});
export type WorkDriveEvent = z.output<typeof WorkDriveEvent>;

/** A Task plus the `userIds` it was assigned to ("Create and Assign a Task", "Assign a task to Users"). */
export const WorkDriveTaskAssigned = z.looseObject({
  id: EntityId,
  title: z.string({ error: 'title must be a string' }),
  dueDate: z.nullish(z.iso.datetime({ offset: true, error: 'dueDate must be an ISO 8601 date-time' })),
  link: z.nullish(z.string()),
  userIds: z
    .array(WorkDriveUserId, { error: 'userIds must be a list of WorkDrive user ids' })
    .check(z.minLength(1, { error: 'at least one assignee is required' })),
  /** The assign response lists assignees as ids or as user objects with their e-mail. */
  assignedUserIds: z.nullish(z.array(z.union([WorkDriveUserId, WorkDriveUser]))),
});
export type WorkDriveTaskAssigned = z.output<typeof WorkDriveTaskAssigned>;

export const WorkDrivePost = z.looseObject({
  id: EntityId,
  user: z.nullish(WorkDriveUser),
  taggedUserIds: z.nullish(z.array(WorkDriveUserId)),
  /** One id or a list (the reference shows both). */
  mention: z.nullish(z.union([WorkDriveUserId, z.array(WorkDriveUserId)])),
  mentions: z.nullish(z.array(WorkDriveUser)),
  taggedUsers: z.nullish(z.array(WorkDriveUser)),
});
export type WorkDrivePost = z.output<typeof WorkDrivePost>;
