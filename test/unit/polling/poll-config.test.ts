import { describe, expect, it } from 'vitest';
import { type ConfigError, parseRelayConfig } from '../../../shared/config/load-config';
import { retryAfterSeconds } from '../../../shared/polling/source-api';

const party = (extra: Record<string, unknown>) => ({
  id: 'p',
  source: 'workdrive',
  auth: { scheme: 'token' },
  target: { baseUrl: 'https://acme.workspace365.net', environment: 'acme' },
  secretName: 'relay/p',
  ...extra,
});

function problems(raw: unknown): string[] {
  try {
    parseRelayConfig(raw);
    return [];
  } catch (error) {
    return [...(error as ConfigError).problems];
  }
}

describe('poll configuration', () => {
  it('defaults to every minute, from now, 50 per page, 5 pages per run', () => {
    const config = parseRelayConfig({
      parties: [party({ poll: { baseUrl: 'https://api.workdrive.example' } })],
    });
    expect(config.parties[0]?.poll).toEqual({
      baseUrl: 'https://api.workdrive.example',
      intervalSeconds: 60,
      pageSize: 50,
      maxPagesPerRun: 5,
    });
  });

  it('names each wrong key with its path and why', () => {
    expect(
      problems({
        parties: [
          party({
            poll: {
              baseUrl: 'http://api.workdrive.example',
              resources: ['news', 'workspaces'],
              since: 'yesterday',
              intervalSeconds: 0,
            },
          }),
          party({
            id: 'q',
            source: 'template',
            options: { payload: '$' },
            poll: { baseUrl: 'https://x.example' },
          }),
        ],
      }),
    ).toEqual(
      expect.arrayContaining([
        'parties[p].poll.baseUrl: must be an https URL (http is allowed only for 127.0.0.1/localhost)',
        'parties[p].poll.intervalSeconds: Too small: expected number to be >=1',
        'parties[p].poll.since: must be an ISO 8601 date-time',
      ]),
    );
    // Cross-field checks run once the shapes are right.
    expect(
      problems({ parties: [party({ poll: { baseUrl: 'https://x.example', resources: ['workspaces'] } })] }),
    ).toEqual([
      'parties[p].poll.resources[0]: must be one of news, events, posts, tasks for source workdrive',
    ]);
    expect(
      problems({ parties: [party({ source: 'workspace365', poll: { baseUrl: 'https://x.example' } })] }),
    ).toEqual(['parties[p].poll: source workspace365 cannot be polled (only workdrive, huddle)']);
  });

  it('reads Retry-After as seconds or an HTTP date, within 1 s and 1 h', () => {
    const now = Date.parse('2026-12-01T00:00:00Z');
    expect(retryAfterSeconds('120', now)).toBe(120);
    expect(retryAfterSeconds('Tue, 01 Dec 2026 00:02:00 GMT', now)).toBe(120);
    expect(retryAfterSeconds('0', now)).toBe(1);
    expect(retryAfterSeconds('999999', now)).toBe(3600);
    expect(retryAfterSeconds(null, now)).toBe(60);
    expect(retryAfterSeconds('soon', now)).toBe(60);
  });
});
