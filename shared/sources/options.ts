import * as z from 'zod';
import type { SourceName } from '../config/relay-config';

/**
 * Each source's `options` in the party config. Validated at start-up together with the rest of the
 * config, so a wrong option is reported with its path before any webhook arrives.
 */

const absoluteUrl = z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' });

export const Workspace365SourceOptions = z.strictObject({});

export const WorkDriveSourceOptions = z.strictObject({
  /** WorkDrive user UUID → Workspace 365 UPN, consulted before the API resolver. @default {} */
  users: z.record(z.string(), z.string().min(1)).default({}),
  /** WorkDrive group/department id → Workspace 365 group name. @default {} */
  groupMap: z.record(z.string(), z.string().min(1)).default({}),
  /** WorkDrive API base URL for the user resolver (with the secret's `workdriveApiKey`). @default none: resolver off */
  apiBaseUrl: absoluteUrl.optional(),
  /** Base URL of the WorkDrive web app, for "Open …" links. @default none: links from the payload only */
  appBaseUrl: absoluteUrl.optional(),
});
export type WorkDriveSourceOptions = z.output<typeof WorkDriveSourceOptions>;

export const HuddleSourceOptions = z.strictObject({
  /** Base URL of the Huddle web app, for "Open workspace" links. @default https://my.huddle.net */
  appBaseUrl: absoluteUrl.default('https://my.huddle.net'),
});
export type HuddleSourceOptions = z.output<typeof HuddleSourceOptions>;

export const TemplateSourceOptions = z.strictObject({
  /** JSONata expression giving the event id (dedup key). @default the DESIGN §4 fallbacks */
  eventId: z.string().min(1).optional(),
  /** JSONata expression giving the event type for logs and metrics. @default `event` or "webhook" */
  event: z.string().min(1).optional(),
  /** JSONata expression; a falsy result answers 202 ignored. @default every event is mapped */
  filter: z.string().min(1).optional(),
  /** JSONata expression producing one Activity / Batch Activity or an array of them. */
  payload: z.string().min(1, { error: 'a payload expression is required' }),
});
export type TemplateSourceOptions = z.output<typeof TemplateSourceOptions>;

export const SOURCE_OPTIONS: Record<SourceName, z.ZodType> = {
  workspace365: Workspace365SourceOptions,
  workdrive: WorkDriveSourceOptions,
  huddle: HuddleSourceOptions,
  template: TemplateSourceOptions,
};
