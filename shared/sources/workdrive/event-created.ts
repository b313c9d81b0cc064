import { ActionKind } from '../../workspace365/schemas';
import { activityData } from '../activity-data';
import { formatUtcDateTime } from '../dates';
import { defineEvent } from '../event-mapping';
import { absoluteHttpUrl, appLink } from '../links';
import { textOr } from '../text';
import { audienceBatches } from './audience';
import type { WorkDriveDeps } from './deps';
import { emailsInEvent, refsAt } from './recipients';
import { WorkDriveEvent } from './schemas';

export const EVENT_STYLE = { icon: 'Calendar', tag: 'Events', color: '#8764b8' };

/** `event.created` → a batch to the event's audience (everyone, groups, permitted users and invitees). */
export const eventCreated = defineEvent(WorkDriveEvent, (event, _envelope, deps: WorkDriveDeps) => {
  const externalLink = event.externalLink?.map((link) => absoluteHttpUrl(link.url)).find(Boolean);
  const link = appLink(deps.appBaseUrl, 'events', event.id) ?? externalLink;
  const data = activityData(
    {
      title: `${textOr(event.title, 'Event')} – ${formatUtcDateTime(event.startDateTime)}`,
      fallbackTitle: 'Event',
      url: link,
      actions: [
        { kind: ActionKind.Open, title: 'Open event', url: link },
        { kind: ActionKind.Forward, title: 'Join online', url: event.conferenceLink ?? undefined },
      ],
    },
    EVENT_STYLE,
  );
  const permissions = event.permissions ?? {};
  return audienceBatches(
    {
      everyone: permissions.public === true,
      groups: [
        ...refsAt('data.permissions.groups', permissions.groups),
        ...refsAt('data.permissions.locations', permissions.locations),
      ],
      users: [
        ...refsAt('data.permissions.users', permissions.users),
        ...refsAt('data.userIds', event.userIds),
      ],
    },
    data,
    emailsInEvent([event.creator, ...(event.rsvpUsers ?? [])]),
    deps,
    `event ${event.id} is not public and names no users, invitees, groups or locations`,
  );
});
