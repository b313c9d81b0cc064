import { ActionKind } from '../../workspace365/schemas';
import { activityData } from '../activity-data';
import { defineEvent } from '../event-mapping';
import { appLink } from '../links';
import { audienceBatches } from './audience';
import type { WorkDriveDeps } from './deps';
import { emailsInEvent, refsAt } from './recipients';
import { WorkDriveNews } from './schemas';

export const NEWS_STYLE = { icon: 'Newspaper', tag: 'News', color: '#0f6cbd' };

/** `news.published` → a batch to everyone (public news), or to its groups and/or users. */
export const newsPublished = defineEvent(WorkDriveNews, (news, _envelope, deps: WorkDriveDeps) => {
  const link = appLink(deps.appBaseUrl, 'news', news.id);
  const data = activityData(
    {
      title: news.newsTitle,
      fallbackTitle: 'News',
      url: link,
      actions: [{ kind: ActionKind.Open, title: 'Read news', url: link }],
    },
    NEWS_STYLE,
  );
  const { permissions } = news;
  return audienceBatches(
    {
      everyone: permissions.public === true,
      groups: [
        ...refsAt('data.permissions.groups', permissions.groups),
        ...refsAt('data.permissions.locations', permissions.locations),
      ],
      users: refsAt('data.permissions.users', permissions.users),
    },
    data,
    emailsInEvent([news.user, ...(news.mentions ?? []), ...(news.taggedUsers ?? [])]),
    deps,
    `news ${news.id} is not public and names no users, groups or locations`,
  );
});
