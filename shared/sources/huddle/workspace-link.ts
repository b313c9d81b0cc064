import { absoluteHttpUrl, appLink } from '../links';
import type { HuddleWorkspace } from './schemas';

/** The workspace id in an API link such as `https://api.huddle.net/workspaces/123` or `/workspaces/123/teams`. */
const WORKSPACE_ID_IN_LINK = /\/workspaces\/(\d+)(?:[/?#]|$)/;

/**
 * Where a reader opens the workspace: its `alternate` link when that is a web address, else
 * `{appBaseUrl}/workspace/{id}` with the id given or taken from the workspace's `self` link.
 * Undefined when neither is known: the activity is then sent without a link.
 */
export function workspaceUrl(workspace: HuddleWorkspace, appBaseUrl: string): string | undefined {
  const links = workspace.links ?? [];
  const alternate = absoluteHttpUrl(links.find((link) => link.rel === 'alternate')?.href);
  if (alternate !== undefined) return alternate;
  const self = links.find((link) => link.rel === 'self')?.href;
  const id = workspace.id ?? (self === undefined ? undefined : WORKSPACE_ID_IN_LINK.exec(self)?.[1]);
  return id === undefined ? undefined : appLink(appBaseUrl, 'workspace', id);
}
