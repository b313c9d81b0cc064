import * as z from '../zod';

/**
 * Each source's `options` in the party config (docs/architecture.md §3). Part of the party schema
 * (relay-config.ts), so options are validated and typed in the same single pass as the rest of the config,
 * and a wrong option is reported with its path before any webhook arrives.
 */

const absoluteUrl = z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' });

export const Workspace365SourceOptions = z.strictObject({});

export const WorkDriveSourceOptions = z.strictObject({
  /** WorkDrive user UUID → Workspace 365 UPN, consulted before the API resolver. @default {} */
  users: z._default(z.record(z.string(), z.string().check(z.minLength(1))), {}),
  /** WorkDrive group/department id → Workspace 365 group name. @default {} */
  groupMap: z._default(z.record(z.string(), z.string().check(z.minLength(1))), {}),
  /** WorkDrive API base URL for the user resolver (with the secret's `workdriveApiKey`). @default none: resolver off */
  apiBaseUrl: z.optional(absoluteUrl),
  /** Base URL of the WorkDrive web app, for "Open …" links. @default none: links from the payload only */
  appBaseUrl: z.optional(absoluteUrl),
});
export type WorkDriveSourceOptions = z.output<typeof WorkDriveSourceOptions>;

export const HuddleSourceOptions = z.strictObject({
  /** Base URL of the Huddle web app, for "Open workspace" links. @default https://my.huddle.net */
  appBaseUrl: z._default(absoluteUrl, 'https://my.huddle.net'),
});
export type HuddleSourceOptions = z.output<typeof HuddleSourceOptions>;

export const TemplateSourceOptions = z.strictObject({
  /** JSONata expression giving the event id (dedup key). @default the docs/architecture.md §4 fallbacks */
  eventId: z.optional(z.string().check(z.minLength(1))),
  /** JSONata expression giving the event type for logs and metrics. @default `event` or "webhook" */
  event: z.optional(z.string().check(z.minLength(1))),
  /** JSONata expression; a falsy result answers 202 ignored. @default every event is mapped */
  filter: z.optional(z.string().check(z.minLength(1))),
  /** JSONata expression producing one Activity / Batch Activity or an array of them. */
  payload: z.string().check(z.minLength(1, { error: 'a payload expression is required' })),
});
export type TemplateSourceOptions = z.output<typeof TemplateSourceOptions>;
