import { ActionKind } from '../../workspace365/schemas';
import { activityData } from '../activity-data';
import { defineEvent } from '../event-mapping';
import { appLink } from '../links';
import { textOr } from '../text';
import { userBatch } from './audience';
import type { WorkDriveDeps } from './deps';
import { emailsInEvent, type RecipientRef, refsAt } from './recipients';
import { type WorkDrivePost, WorkDrivePost as WorkDrivePostSchema } from './schemas';

export const POST_STYLE = { icon: 'At Symbol', tag: 'Mentions', color: '#038387' };

/** `post.created` → a batch to the users the post tags or mentions: "<author> mentioned you". */
export const postCreated = defineEvent(WorkDrivePostSchema, (post, _envelope, deps: WorkDriveDeps) => {
  const link = appLink(deps.appBaseUrl, 'posts', post.id);
  const data = activityData(
    {
      title: `${authorName(post)} mentioned you`,
      fallbackTitle: 'You were mentioned',
      url: link,
      actions: [{ kind: ActionKind.Open, title: 'Open post', url: link }],
    },
    POST_STYLE,
  );
  return userBatch(
    mentionedUsers(post),
    data,
    emailsInEvent([post.user, ...(post.mentions ?? []), ...(post.taggedUsers ?? [])]),
    deps,
    `post ${post.id} tags or mentions nobody`,
  );
});

function authorName(post: WorkDrivePost): string {
  const name = [post.user?.firstName, post.user?.lastName].filter(Boolean).join(' ');
  return textOr(name, textOr(post.user?.email, 'Someone'));
}

/** Everyone the post addresses, from the request fields (ids) and the response fields (user objects). */
function mentionedUsers(post: WorkDrivePost): RecipientRef[] {
  const mention =
    typeof post.mention === 'string'
      ? [{ id: post.mention, path: 'data.mention' }]
      : refsAt('data.mention', post.mention);
  return [
    ...refsAt('data.taggedUserIds', post.taggedUserIds),
    ...mention,
    ...(post.mentions ?? []).map((user, index) => ({ id: user.id, path: `data.mentions[${index}].id` })),
    ...(post.taggedUsers ?? []).map((user, index) => ({
      id: user.id,
      path: `data.taggedUsers[${index}].id`,
    })),
  ];
}
