import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../../devkit/workspace365-sandbox';
import { createWorkspace365Client } from '../../../shared/workspace365/client';

const KEY = 'feed-page-key';
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ environments: { demo: { apiKeys: [KEY] } } });
});
afterAll(() => sandbox.close());

const client = createWorkspace365Client();
const target = () => ({ baseUrl: sandbox.url, environment: 'demo' });

describe('GET /', () => {
  it("renders each user's feed with title, tag, colour, icon, actions as links and time; escaping HTML", async () => {
    await client.postActivity(target(), KEY, {
      User: { Upn: 'anna.devries@demo.example' },
      Title: 'Older activity',
    });
    const outcome = await client.postActivity(target(), KEY, {
      User: { Upn: 'anna.devries@demo.example' },
      Title: '<script>alert("x")</script> & more',
      Tag: 'Proposals',
      Icon: { Name: 'Phone' },
      Url: 'https://crm.example/deal/1?a=1&b=2',
      Color: { Kind: 1, Value: '#00ff00' },
      Actions: [
        { Kind: 1, Title: 'Accept proposal', Url: 'https://crm.example/accept' },
        { Kind: 2, Title: 'Decline', Url: 'https://crm.example/decline' },
      ],
    });
    expect(outcome.type).toBe('delivered');

    const response = await fetch(`${sandbox.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await response.text();

    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more');
    expect(html).toContain('Environment demo');
    expect(html).toContain('Anna de Vries');
    expect(html).toContain('<span class="tag">Proposals</span>');
    expect(html).toContain('icon Phone');
    expect(html).toContain('colour #00ff00');
    expect(html).toContain('href="https://crm.example/deal/1?a=1&amp;b=2"');
    expect(html).toContain(
      '<a href="https://crm.example/accept" rel="noopener noreferrer" target="_blank">Accept proposal (check)</a>',
    );
    expect(html).toContain('Decline (cancel)');
    expect(html).toMatch(/<time datetime="\d{4}-\d\d-\d\dT[^"]+">\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC<\/time>/);
    // Newest first.
    expect(html.indexOf('&amp; more')).toBeLessThan(html.indexOf('Older activity'));
    // Auto-refreshes, and loads nothing from elsewhere.
    expect(html).toMatch(/<meta http-equiv="refresh" content="\d+">/);
    expect(html).not.toMatch(/<(script|link|img)\b/);
  });

  it('shows users without activities as such', async () => {
    const html = await (await fetch(`${sandbox.url}/`)).text();
    expect(html).toContain('Daan Visser');
    expect(html).toContain('No activities yet.');
  });
});
