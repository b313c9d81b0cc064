import { describe, expect, it } from 'vitest';
import { activityData, buildActions } from '../../../shared/sources/activity-data';
import { appLink } from '../../../shared/sources/links';
import { shortenActionTitle, shortenText, textOr } from '../../../shared/sources/text';
import { validatePayload } from '../../../shared/workspace365/validate';

const isLoneSurrogate = (text: string) =>
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

describe('action title shortening', () => {
  it('leaves a title of 32 UTF-16 units alone', () => {
    const title = 'x'.repeat(32);
    expect(shortenActionTitle(title)).toBe(title);
  });

  it('shortens a longer title to 31 units plus "…"', () => {
    const shortened = shortenActionTitle('Open the quarterly financial report now');
    expect(shortened).toBe('Open the quarterly financial re…');
    expect(shortened).toHaveLength(32);
  });

  it('never splits a surrogate pair (emoji at the cut)', () => {
    // 30 letters, then an emoji (2 units) straddling unit 31, then more text.
    const title = `${'a'.repeat(30)}😀 and more`;
    const shortened = shortenActionTitle(title);
    expect(shortened).toBe(`${'a'.repeat(30)}…`);
    expect(isLoneSurrogate(shortened)).toBe(false);
    expect(shortened.length).toBeLessThanOrEqual(32);
  });

  it('keeps whole emoji sequences (ZWJ families, flags) or drops them whole', () => {
    const family = '👨‍👩‍👧‍👦';
    const shortened = shortenActionTitle(`${'b'.repeat(25)}${family}${'c'.repeat(10)}`);
    expect(shortened).toBe(`${'b'.repeat(25)}…`);
    const flags = shortenActionTitle('🇳🇱'.repeat(10));
    expect(flags).toBe(`${'🇳🇱'.repeat(7)}…`);
    expect(flags.length).toBeLessThanOrEqual(32);
  });

  it('cuts a single over-long cluster between code points, never inside a pair', () => {
    const zalgo = `e${'\u0301'.repeat(40)}`;
    const shortened = shortenText(zalgo, 32);
    expect(shortened.length).toBeLessThanOrEqual(32);
    const astral = `🏳${'\u{E0067}'.repeat(20)}`; // one tag sequence of astral code points
    const cut = shortenText(astral, 32);
    expect(cut.length).toBeLessThanOrEqual(32);
    expect(isLoneSurrogate(cut)).toBe(false);
  });

  it('replaces a blank text with the fallback and flattens line breaks', () => {
    expect(textOr(' \n\t ', 'News')).toBe('News');
    expect(textOr(undefined, 'News')).toBe('News');
    expect(textOr('Two\nlines', 'News')).toBe('Two lines');
  });
});

describe('actions', () => {
  const spec = (title: string, url: string | undefined) => ({ kind: 4, title, url });

  it('keeps at most 2 actions, in order', () => {
    const actions = buildActions([
      spec('One', 'https://a.example/1'),
      spec('Two', 'https://a.example/2'),
      spec('Three', 'https://a.example/3'),
    ]);
    expect(actions.map((action) => action.Title)).toEqual(['One', 'Two']);
  });

  it('drops actions whose link is missing or not absolute http(s), then fills up from the rest', () => {
    const actions = buildActions([
      spec('Relative', '/tasks/1'),
      spec('Script', 'javascript:alert(1)'),
      spec('Missing', undefined),
      spec('Mail', 'mailto:a@example.com'),
      spec('Good', 'http://a.example/ok'),
    ]);
    expect(actions).toEqual([{ Kind: 4, Title: 'Good', Url: 'http://a.example/ok' }]);
  });

  it('shortens long action titles and the result passes Workspace 365 validation', () => {
    const data = activityData(
      {
        title: 'Title',
        fallbackTitle: 'x',
        actions: [spec(`${'🎉'.repeat(20)}`, 'https://a.example')],
      },
      { icon: 'Calendar', tag: 'Events', color: '#8764b8' },
    );
    expect(data.Actions?.[0]?.Title.length).toBeLessThanOrEqual(32);
    expect(validatePayload('batch', { Scope: { Kind: 0 }, Data: data }).ok).toBe(true);
  });
});

describe('app links', () => {
  it('joins the base and percent-encoded segments', () => {
    expect(appLink('https://app.example/base', 'tasks', 'a b/c')).toBe(
      'https://app.example/base/tasks/a%20b%2Fc',
    );
    expect(appLink('https://app.example/', 'tasks', '%2e%2e')).toBe('https://app.example/tasks/%252e%252e');
    expect(appLink('https://app.example/', 'tasks', '\ud800')).toBeUndefined();
  });

  it('gives no link without a base, or for an id that is empty or a dot segment', () => {
    expect(appLink(undefined, 'tasks', '1')).toBeUndefined();
    for (const id of ['', '.', '..']) expect(appLink('https://app.example/', 'tasks', id)).toBeUndefined();
  });
});
