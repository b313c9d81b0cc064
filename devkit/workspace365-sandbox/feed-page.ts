import { ActionKind } from '../../shared/workspace365/schemas';
import type { RecordedActivity, SandboxUser } from './types';

export type FeedView = {
  environments: { name: string; users: SandboxUser[]; activities: RecordedActivity[] }[];
  refreshSeconds: number;
};

/** No scripts, no external assets: the page only needs inline styles. */
export const FEED_PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

const ACTION_NAMES = new Map<number, string>(
  Object.entries(ActionKind).map(([name, kind]) => [kind, name.toLowerCase()]),
);
const THEME_COLORS: Record<number, { label: string; css: string }> = {
  2: { label: 'primary', css: '#0f6cbd' },
  3: { label: 'header', css: '#242424' },
};

/** Everything that reaches the page comes from requests, so every value is escaped. */
export function escapeHtml(value: unknown): string {
  return String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Each user's activity feed per environment, newest first, the way a person trying the relay wants to see it. */
export function renderFeedPage(view: FeedView): string {
  const environments =
    view.environments.length === 0
      ? '<p class="empty">No environments configured.</p>'
      : view.environments.map(renderEnvironment).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${escapeHtml(view.refreshSeconds)}">
<title>Workspace 365 sandbox — activity feeds</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0 auto; max-width: 1100px; padding: 1rem; color: #222; background: #f5f5f5; }
  h1 { font-size: 1.3rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
  .users { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 1rem; }
  .user { background: #fff; border-radius: 8px; padding: .75rem; box-shadow: 0 1px 2px #0002; }
  .user h3 { font-size: 1rem; margin: 0 0 .5rem; } .upn, .meta, .empty { color: #666; font-size: .85rem; }
  ol { list-style: none; margin: 0; padding: 0; }
  .activity { border-left: 4px solid #bbb; padding: .4rem .6rem; margin: .4rem 0; background: #fafafa; }
  .title { font-weight: 600; } .tag { background: #e8e8e8; border-radius: 4px; padding: 0 .3rem; }
  .actions a { margin-right: .6rem; }
</style>
</head>
<body>
<h1>Workspace 365 sandbox</h1>
<p class="meta">Activity feeds as the sandbox received them; refreshes every ${escapeHtml(view.refreshSeconds)} s.</p>
${environments}
</body>
</html>
`;
}

function renderEnvironment(environment: FeedView['environments'][number]): string {
  const byUser = new Map<number, RecordedActivity[]>();
  for (const activity of environment.activities) {
    const list = byUser.get(activity.user.id) ?? [];
    list.push(activity);
    byUser.set(activity.user.id, list);
  }
  const users = environment.users
    .map((user) =>
      renderUser(
        user,
        (byUser.get(user.id) ?? []).sort((a, b) => b.id - a.id),
      ),
    )
    .join('\n');
  return `<section class="environment">
<h2>Environment ${escapeHtml(environment.name)}</h2>
<div class="users">
${users}
</div>
</section>`;
}

function renderUser(user: SandboxUser, activities: RecordedActivity[]): string {
  const name = user.displayName ?? user.upn;
  const feed =
    activities.length === 0
      ? '<p class="empty">No activities yet.</p>'
      : `<ol>\n${activities.map(renderActivity).join('\n')}\n</ol>`;
  return `<article class="user">
<h3>${escapeHtml(name)} <span class="upn">${escapeHtml(user.upn)}</span></h3>
${feed}
</article>`;
}

function renderActivity(recorded: RecordedActivity): string {
  const { activity } = recorded;
  const color = colorOf(activity.Color);
  const details = activity.Url ? ` · ${link(activity.Url, 'View details')}` : '';
  const tag = `<span class="tag">${escapeHtml(activity.Tag ?? 'Other')}</span>`;
  const icon = activity.Icon?.Name ? ` · icon ${escapeHtml(activity.Icon.Name)}` : '';
  const actions = (activity.Actions ?? [])
    .map((action) => link(action.Url, `${action.Title} (${ACTION_NAMES.get(action.Kind) ?? action.Kind})`))
    .join('');
  return `<li class="activity" style="border-left-color: ${escapeHtml(color.css)}">
<div class="title">${escapeHtml(activity.Title)}</div>
<div class="meta">${tag}${icon} · colour ${escapeHtml(color.label)} · <time datetime="${escapeHtml(recorded.receivedAt)}">${escapeHtml(formatTime(recorded.receivedAt))}</time> · #${recorded.id}${details}</div>
${actions ? `<div class="actions">${actions}</div>` : ''}
</li>`;
}

function link(url: string, text: string): string {
  return `<a href="${escapeHtml(url)}" rel="noopener noreferrer" target="_blank">${escapeHtml(text)}</a>`;
}

function colorOf(color: RecordedActivity['activity']['Color']): { label: string; css: string } {
  if (!color) return { label: 'default', css: '#bbbbbb' };
  if (color.Kind === 1 && color.Value) return { label: color.Value, css: color.Value };
  return THEME_COLORS[color.Kind] ?? { label: 'default', css: '#bbbbbb' };
}

function formatTime(iso: string): string {
  return `${iso.slice(0, 19).replace('T', ' ')} UTC`;
}
