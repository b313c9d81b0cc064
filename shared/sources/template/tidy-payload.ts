import { MAX_ACTIONS, type PayloadKind } from '../../workspace365/schemas';
import { absoluteHttpUrl } from '../links';
import { shortenActionTitle, textOr } from '../text';

/**
 * Applies the rules every mapper follows to a template's output: long action titles are shortened
 * with "…", actions and links that are not absolute http(s) URLs are dropped, at most two actions are
 * kept, and a blank Title gets a default. Anything else is left for the Workspace 365 validation to
 * report. Keys are matched case-insensitively, as Workspace 365 does.
 */
export function tidyPayload(kind: PayloadKind, item: Record<string, unknown>): Record<string, unknown> {
  const activity = kind === 'batch' ? valueAt(item, 'data') : item;
  if (isObject(activity)) tidyActivity(activity);
  return item;
}

const DEFAULT_TITLE = 'Notification';

function tidyActivity(activity: Record<string, unknown>): void {
  const urlKey = keyOf(activity, 'url');
  if (urlKey !== undefined && absoluteHttpUrl(activity[urlKey]) === undefined) delete activity[urlKey];
  const titleKey = keyOf(activity, 'title');
  if (titleKey !== undefined && typeof activity[titleKey] === 'string') {
    activity[titleKey] = textOr(activity[titleKey], DEFAULT_TITLE);
  }
  const actionsKey = keyOf(activity, 'actions');
  const actions = actionsKey === undefined ? undefined : activity[actionsKey];
  if (actionsKey !== undefined && Array.isArray(actions)) activity[actionsKey] = tidyActions(actions);
}

function tidyActions(actions: readonly unknown[]): unknown[] {
  const kept: unknown[] = [];
  for (const action of actions) {
    if (kept.length === MAX_ACTIONS) break;
    if (!isObject(action)) {
      kept.push(action);
      continue;
    }
    if (absoluteHttpUrl(valueAt(action, 'url')) === undefined) continue;
    const titleKey = keyOf(action, 'title');
    const title = titleKey === undefined ? undefined : action[titleKey];
    if (titleKey !== undefined && typeof title === 'string') action[titleKey] = shortenActionTitle(title);
    kept.push(action);
  }
  return kept;
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
