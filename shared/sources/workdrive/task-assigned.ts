import { ActionKind } from '../../workspace365/schemas';
import { activityData } from '../activity-data';
import { formatUtcDate } from '../dates';
import { defineEvent } from '../event-mapping';
import { appLink } from '../links';
import { textOr } from '../text';
import { userBatch } from './audience';
import type { WorkDriveDeps } from './deps';
import { emailsInEvent, refsAt } from './recipients';
import { WorkDriveTaskAssigned } from './schemas';

export const TASK_STYLE = { icon: 'Clipboard Document Check', tag: 'Tasks', color: '#ca5010' };

/** `task.assigned` → a batch to the assignees (Scope Kind 1, one UserLookup each). */
export const taskAssigned = defineEvent(WorkDriveTaskAssigned, (task, _envelope, deps: WorkDriveDeps) => {
  const link = appLink(deps.appBaseUrl, 'tasks', task.id) ?? task.link ?? undefined;
  const due = task.dueDate ? ` (due ${formatUtcDate(task.dueDate)})` : '';
  const data = activityData(
    {
      title: `New task: ${textOr(task.title, 'Untitled task')}${due}`,
      fallbackTitle: 'New task',
      url: link,
      actions: [{ kind: ActionKind.Open, title: 'Open task', url: link }],
    },
    TASK_STYLE,
  );
  return userBatch(
    refsAt('data.userIds', task.userIds),
    data,
    emailsInEvent(task.assignedUserIds ?? []),
    deps,
    `task ${task.id} has no assignees`,
  );
});
