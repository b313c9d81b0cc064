import * as z from 'zod';

/**
 * The `data` of WorkDrive events: the object shapes of reference 002 (News, Event, Task, Post,
 * user objects). Only the fields the mappers read are checked; everything else WorkDrive sends
 * (reactions, files, link previews, ...) passes through untouched.
 */

const EntityId = z
  .union([z.string().min(1), z.number().int()], { error: 'must be the id of the WorkDrive item' })
  .transform(String);

export const WorkDriveUserId = z.guid({ error: 'must be a WorkDrive user id (a UUID)' });

/** A user object as WorkDrive embeds it (author, mentions, tagged users, RSVPs). */
export const WorkDriveUser = z.looseObject({
  id: WorkDriveUserId,
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  email: z.email({ error: 'must be an e-mail address' }).nullish(),
});
export type WorkDriveUser = z.output<typeof WorkDriveUser>;

const IdList = (what: string) => z.array(z.string().min(1, { error: `must be a ${what} id` })).nullish();

/** Who may see a post, news item or event. */
export const WorkDrivePermissions = z.looseObject({
  public: z.boolean().nullish(),
  users: z.array(WorkDriveUserId).nullish(),
  groups: IdList('group'),
  locations: IdList('location'),
});
export type WorkDrivePermissions = z.output<typeof WorkDrivePermissions>;

export const WorkDriveNews = z.looseObject({
  id: EntityId,
  newsTitle: z.string({ error: 'newsTitle must be a string' }),
  permissions: WorkDrivePermissions,
  user: WorkDriveUser.nullish(),
  mentions: z.array(WorkDriveUser).nullish(),
  taggedUsers: z.array(WorkDriveUser).nullish(),
});
export type WorkDriveNews = z.output<typeof WorkDriveNews>;

export const WorkDriveEvent = z.looseObject({
  id: EntityId,
  title: z.string({ error: 'title must be a string' }),
  startDateTime: z.iso.datetime({ offset: true, error: 'startDateTime must be an ISO 8601 date-time' }),
  permissions: WorkDrivePermissions.nullish(),
  /** Meeting invitees. */
  userIds: z.array(WorkDriveUserId).nullish(),
  conferenceLink: z.string().nullish(),
  externalLink: z.array(z.looseObject({ title: z.string().nullish(), url: z.string().nullish() })).nullish(),
  creator: WorkDriveUser.nullish(),
  rsvpUsers: z.array(WorkDriveUser).nullish(),
});
export type WorkDriveEvent = z.output<typeof WorkDriveEvent>;

/** A Task plus the `userIds` it was assigned to ("Create and Assign a Task", "Assign a task to Users"). */
export const WorkDriveTaskAssigned = z.looseObject({
  id: EntityId,
  title: z.string({ error: 'title must be a string' }),
  dueDate: z.iso.datetime({ offset: true, error: 'dueDate must be an ISO 8601 date-time' }).nullish(),
  link: z.string().nullish(),
  userIds: z
    .array(WorkDriveUserId, { error: 'userIds must be a list of WorkDrive user ids' })
    .min(1, { error: 'at least one assignee is required' }),
  /** The assign response lists assignees as ids or as user objects with their e-mail. */
  assignedUserIds: z.array(z.union([WorkDriveUserId, WorkDriveUser])).nullish(),
});
export type WorkDriveTaskAssigned = z.output<typeof WorkDriveTaskAssigned>;

export const WorkDrivePost = z.looseObject({
  id: EntityId,
  user: WorkDriveUser.nullish(),
  taggedUserIds: z.array(WorkDriveUserId).nullish(),
  /** One id or a list (the reference shows both). */
  mention: z.union([WorkDriveUserId, z.array(WorkDriveUserId)]).nullish(),
  mentions: z.array(WorkDriveUser).nullish(),
  taggedUsers: z.array(WorkDriveUser).nullish(),
});
export type WorkDrivePost = z.output<typeof WorkDrivePost>;
