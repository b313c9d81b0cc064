import type { WorkDriveSourceOptions } from '../../config/source-options';
import { envelopeSource } from '../event-mapping';
import type { SourceContext, WebhookSource } from '../source';
import type { WorkDriveDeps } from './deps';
import { eventCreated } from './event-created';
import { newsPublished } from './news-published';
import { postCreated } from './post-created';
import { configuredUsers } from './recipients';
import { taskAssigned } from './task-assigned';
import { WorkDriveUserDirectory, type WorkDriveUserDirectoryOptions } from './user-directory';

export const WORKDRIVE_EVENTS = {
  'news.published': newsPublished,
  'event.created': eventCreated,
  'task.assigned': taskAssigned,
  'post.created': postCreated,
};

export type WorkDriveSourceSettings = {
  /** Cache and timeout of the API resolver (tests shorten them). */
  directory?: Omit<WorkDriveUserDirectoryOptions, 'apiBaseUrl'>;
};

/**
 * The WorkDrive source. The user cache lives as long as the source (one per party, built at start-up),
 * so a warm function instance resolves a user from the API at most once per TTL.
 */
export function createWorkDriveSource(
  options: WorkDriveSourceOptions,
  settings: WorkDriveSourceSettings = {},
): WebhookSource {
  const users = configuredUsers(options.users);
  const groupNames = new Map(
    Object.entries(options.groupMap).map(([id, name]) => [id.toLowerCase(), name] as const),
  );
  const directory =
    options.apiBaseUrl === undefined
      ? undefined
      : new WorkDriveUserDirectory({ ...settings.directory, apiBaseUrl: options.apiBaseUrl });

  const depsFor = (context: SourceContext): WorkDriveDeps => {
    const apiKey = context.secret.workdriveApiKey;
    const lookupContext =
      apiKey !== undefined && context.fetch !== undefined
        ? { apiKey, fetch: context.fetch, now: context.now, logger: context.logger }
        : undefined;
    return {
      appBaseUrl: options.appBaseUrl,
      groupNames,
      recipients: { users, directory, lookupContext, logger: context.logger },
    };
  };
  return envelopeSource('workdrive', WORKDRIVE_EVENTS, depsFor);
}
