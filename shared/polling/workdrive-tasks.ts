import * as z from '../zod';
import { idPart } from './ids';
import { PollStop } from './poll-stop';
import type { PollContext, PolledEvent, ResourcePoller } from './resource-poller';

/**
 * WorkDrive task assignments (reference 002: `GET /api/tasks`, paged with `cur_page`/`per_page`). The
 * list is not ordered by change, so assignments are found by comparing each task's assignees
 * (`assignedUserIds`, ids or user objects as the assign call answers) with the last snapshot. A full
 * pass may span several runs (`nextPage`); the first pass only records.
 */
export type TasksCheckpoint = {
  /** False until one full pass has been recorded: nothing is queued before. */
  initialized: boolean;
  nextPage: number;
  /** Task id → assignee ids. */
  assignees: Record<string, string[]>;
};

const TasksCheckpointSchema = z.object({
  initialized: z.boolean(),
  nextPage: z.number().check(z.int(), z.gte(1)),
  assignees: z.record(z.string(), z.array(z.string())),
});

const Assignee = z.union([
  z.string().check(z.minLength(1)),
  z.looseObject({ id: z.string().check(z.minLength(1)) }),
]);
const Task = z.looseObject({
  id: z.pipe(z.union([z.string().check(z.minLength(1)), z.number()]), z.transform(String)),
  title: z.optional(z.string()),
  assignedUserIds: z.nullish(z.array(Assignee)),
});
type Task = z.output<typeof Task>;

const Meta = z.looseObject({ nextPage: z.nullish(z.number()), curPage: z.nullish(z.number()) });

export const workDriveTasksPoller: ResourcePoller = {
  resource: 'tasks',
  async poll(context, stored) {
    const parsed = TasksCheckpointSchema.safeParse(stored);
    let checkpoint: TasksCheckpoint = parsed.success
      ? parsed.data
      : { initialized: false, nextPage: 1, assignees: {} };
    for (let read = 0; read < context.poll.maxPagesPerRun; read++) {
      const { tasks, hasMore } = await readPage(context, checkpoint.nextPage);
      const events: PolledEvent[] = [];
      const assignees = { ...checkpoint.assignees };
      for (const { task, raw } of tasks) {
        const ids = assigneeIds(task);
        const before = new Set(checkpoint.assignees[task.id] ?? []);
        const added = ids.filter((id) => !before.has(id));
        if (checkpoint.initialized && added.length > 0)
          events.push(assignedEvent(task, raw, added, context.now));
        assignees[task.id] = ids;
      }
      checkpoint = {
        initialized: checkpoint.initialized || !hasMore,
        nextPage: hasMore ? checkpoint.nextPage + 1 : 1,
        assignees,
      };
      await context.commit(events, checkpoint);
      if (!hasMore || context.outOfTime()) return;
    }
  },
};

async function readPage(context: PollContext, page: number) {
  const body = (await context.api.get('/api/tasks', {
    cur_page: page,
    per_page: context.poll.pageSize,
    sort_direction: 'DESC',
  })) as Record<string, unknown> | null;
  if (!Array.isArray(body?.tasks)) {
    throw new PollStop('bad_response', 'GET /api/tasks answered without a "tasks" list');
  }
  const tasks: { task: Task; raw: Record<string, unknown> }[] = [];
  for (const raw of body.tasks) {
    const parsed = Task.safeParse(raw);
    if (parsed.success) tasks.push({ task: parsed.data, raw: raw as Record<string, unknown> });
  }
  const meta = Meta.safeParse(body.meta);
  const nextPage = meta.success ? meta.data.nextPage : undefined;
  const hasMore = typeof nextPage === 'number' ? nextPage > page : body.tasks.length >= context.poll.pageSize;
  return { tasks, hasMore };
}

function assigneeIds(task: Task): string[] {
  const ids = (task.assignedUserIds ?? []).map((entry) => (typeof entry === 'string' ? entry : entry.id));
  return [...new Set(ids)].sort();
}

/** The `task.assigned` envelope data: the task, the newly assigned ids and their user objects if listed. */
function assignedEvent(task: Task, raw: Record<string, unknown>, added: string[], now: Date): PolledEvent {
  const addedSet = new Set(added);
  const users = (task.assignedUserIds ?? []).filter(
    (entry) => typeof entry !== 'string' && addedSet.has(entry.id),
  );
  return {
    id: `task:${idPart(task.id)}:assigned:${idPart(added.join(','))}`,
    event: 'task.assigned',
    occurredAt: now.toISOString(),
    data: { ...raw, userIds: added, assignedUserIds: users },
  };
}
