import { MAX_ACTIONS, type PayloadKind } from '../../workspace365/schemas';
import { absoluteHttpUrl } from '../links';
import { shortenActionTitle, textOr } from '../text';

/**
 * Applies the rules every mapper follows to a template's output: long action titles are shortened
 * with "…", actions and links that are not absolute http(s) URLs are dropped, at most two actions are
 * kept, and a blank Title gets a default. Anything else is left for the Workspace 365 validation to
 * report. Keys are matched case-insensitively, as Workspace 365 does. `dropped` names what was removed
 * (`Url`, `Actions[0]`, `Data.Actions[2]`), so the sender is told instead of finding out in the feed.
 */
export function tidyPayload(
  kind: PayloadKind,
  item: Record<string, unknown>,
): { payload: Record<string, unknown>; dropped: string[] } {
  const activity = kind === 'batch' ? valueAt(item, 'data') : item;
  const dropped = isObject(activity) ? tidyActivity(activity) : [];
  return { payload: item, dropped: kind === 'batch' ? dropped.map((field) => `Data.${field}`) : dropped };
}

const DEFAULT_TITLE = 'Notification';

function tidyActivity(activity: Record<string, unknown>): string[] {
  const dropped: string[] = [];
  const urlKey = keyOf(activity, 'url');
  if (urlKey !== undefined && absoluteHttpUrl(activity[urlKey]) === undefined) {
    delete activity[urlKey];
    dropped.push('Url');
  }
  const titleKey = keyOf(activity, 'title');
  if (titleKey !== undefined && typeof activity[titleKey] === 'string') {
    activity[titleKey] = textOr(activity[titleKey], DEFAULT_TITLE);
  }
  const actionsKey = keyOf(activity, 'actions');
  const actions = actionsKey === undefined ? undefined : activity[actionsKey];
  if (actionsKey !== undefined && Array.isArray(actions)) {
    const tidied = tidyActions(actions);
    activity[actionsKey] = tidied.kept;
    dropped.push(...tidied.dropped.map((index) => `Actions[${index}]`));
  }
  return dropped;
}

/** Indexes in `dropped` are positions in the template's own list. */
function tidyActions(actions: readonly unknown[]): { kept: unknown[]; dropped: number[] } {
  const kept: unknown[] = [];
  const dropped: number[] = [];
  actions.forEach((action, index) => {
    if (!isObject(action)) {
      if (kept.length < MAX_ACTIONS) kept.push(action);
      else dropped.push(index);
      return;
    }
    if (kept.length === MAX_ACTIONS || absoluteHttpUrl(valueAt(action, 'url')) === undefined) {
      dropped.push(index);
      return;
    }
    const titleKey = keyOf(action, 'title');
    const title = titleKey === undefined ? undefined : action[titleKey];
    if (titleKey !== undefined && typeof title === 'string') action[titleKey] = shortenActionTitle(title);
    kept.push(action);
  });
  return { kept, dropped };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function keyOf(object: Record<string, unknown>, name: string): string | undefined {
  return Object.keys(object).find((key) => key.toLowerCase() === name);
}

function valueAt(object: Record<string, unknown>, name: string): unknown {
  const key = keyOf(object, name);
  return key === undefined ? undefined : object[key];
}
