import {
  type Action,
  type ActivityWithoutUser,
  type Color,
  ColorKind,
  MAX_ACTIONS,
} from '../workspace365/schemas';
import { absoluteHttpUrl } from './links';
import { shortenActionTitle, textOr } from './text';

/** An action a mapper would like to offer; it is kept only when its link is an absolute http(s) URL. */
export type ActionSpec = { kind: number; title: string; url: string | undefined };

/**
 * The actions Workspace 365 will accept: links that are not absolute http(s) URLs are dropped,
 * long titles shortened with "…", at most MAX_ACTIONS kept (in the order given).
 */
export function buildActions(specs: readonly ActionSpec[]): Action[] {
  const actions: Action[] = [];
  for (const spec of specs) {
    const url = absoluteHttpUrl(spec.url);
    if (url === undefined) continue;
    actions.push({ Kind: spec.kind, Title: shortenActionTitle(textOr(spec.title, 'Open')), Url: url });
    if (actions.length === MAX_ACTIONS) break;
  }
  return actions;
}

export type ActivityStyle = {
  /** Workspace 365 icon name. */
  icon: string;
  /** Groups the activity in the feed. */
  tag: string;
  /** An HTML colour, sent as a custom colour (Kind 1). */
  color: string;
};

export type ActivityContent = {
  title: string | null | undefined;
  /** Used when `title` is blank: Workspace 365 requires a Title. */
  fallbackTitle: string;
  url?: string | undefined;
  actions?: readonly ActionSpec[];
};

/** The visible part of an activity (ActivityWithoutUser), with only the fields that have a value. */
export function activityData(content: ActivityContent, style: ActivityStyle): ActivityWithoutUser {
  const color: Color = { Kind: ColorKind.Custom, Value: style.color };
  const data: ActivityWithoutUser = {
    Icon: { Name: style.icon },
    Title: textOr(content.title, content.fallbackTitle),
    Tag: style.tag,
    Color: color,
  };
  const url = absoluteHttpUrl(content.url);
  if (url !== undefined) data.Url = url;
  const actions = buildActions(content.actions ?? []);
  if (actions.length > 0) data.Actions = actions;
  return data;
}
