import * as z from '../zod';

/**
 * How a party is polled (sources that send no webhooks, docs/polling.md). Optional on a party: a party
 * may receive webhooks, be polled, or both. Credentials come from the party's secret, never from here.
 */

export const WORKDRIVE_POLL_RESOURCES = ['news', 'events', 'posts', 'tasks'] as const;
export type WorkDrivePollResource = (typeof WORKDRIVE_POLL_RESOURCES)[number];

export const HUDDLE_POLL_RESOURCES = ['workspaces', 'users', 'managers', 'teams'] as const;
export type HuddlePollResource = (typeof HUDDLE_POLL_RESOURCES)[number];

/** Sources that can be polled, with what each can poll. */
export const POLL_RESOURCES = {
  workdrive: WORKDRIVE_POLL_RESOURCES,
  huddle: HUDDLE_POLL_RESOURCES,
} as const;
export type PollSourceName = keyof typeof POLL_RESOURCES;

export const DEFAULT_POLL_INTERVAL_SECONDS = 60;
export const DEFAULT_POLL_PAGE_SIZE = 50;
export const DEFAULT_POLL_MAX_PAGES = 5;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** The source API is reached over https; plain http only for a loopback sandbox. */
export function isAllowedPollBaseUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

export const PollConfig = z.strictObject({
  /** The source API's base URL (WorkDrive: `https://<API_SERVER_ENDPOINT>`; Huddle: `https://api.huddle.net`). */
  baseUrl: z.string().check(
    z.refine(isAllowedPollBaseUrl, {
      error: 'must be an https URL (http is allowed only for 127.0.0.1/localhost)',
    }),
  ),
  /** What to poll; checked against the party's source. @default everything the source can poll */
  resources: z.optional(
    z
      .array(z.string().check(z.minLength(1)))
      .check(z.minLength(1, { error: 'at least one resource is required' })),
  ),
  /** Seconds between two polls of this party. @default 60 */
  intervalSeconds: z._default(
    z.number().check(z.int(), z.gte(1), z.lte(86_400)),
    DEFAULT_POLL_INTERVAL_SECONDS,
  ),
  /**
   * Where a WorkDrive cursor starts on the first run (a backfill). Huddle always starts by recording a
   * snapshot. @default the time of the first run: nothing older is sent
   */
  since: z.optional(z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' })),
  /** Items asked for per page. @default 50 */
  pageSize: z._default(z.number().check(z.int(), z.gte(1), z.lte(100)), DEFAULT_POLL_PAGE_SIZE),
  /** Pages read per resource and run; a run that stops here resumes from the checkpoint. @default 5 */
  maxPagesPerRun: z._default(z.number().check(z.int(), z.gte(1), z.lte(100)), DEFAULT_POLL_MAX_PAGES),
});
export type PollConfig = z.output<typeof PollConfig>;

/** The resources a party polls: its own list, or everything its source can poll. */
export function pollResources(source: PollSourceName, poll: PollConfig): readonly string[] {
  return poll.resources ?? POLL_RESOURCES[source];
}
