import { pollResources } from '../config/poll-config';
import type { PartyConfig } from '../config/relay-config';
import type { PartySecret } from '../config/secret-value';
import { huddleMembershipsPoller } from './huddle-memberships';
import { PollStop } from './poll-stop';
import type { ResourcePoller } from './resource-poller';
import { WORKDRIVE_FEEDS, workDriveFeedPoller } from './workdrive-feed';
import { workDriveTasksPoller } from './workdrive-tasks';

/** What a polled party reads, and how it authenticates (the credential comes from its secret). */
export function pollersFor(party: PartyConfig): ResourcePoller[] {
  if (!party.poll) return [];
  const resources = pollResources(party.source as 'workdrive' | 'huddle', party.poll);
  if (party.source === 'huddle') return [huddleMembershipsPoller(resources)];
  return resources.map((resource) =>
    resource === 'tasks'
      ? workDriveTasksPoller
      : workDriveFeedPoller(WORKDRIVE_FEEDS[resource as keyof typeof WORKDRIVE_FEEDS]),
  );
}

/** WorkDrive: `X-API-KEY` (reference 002); Huddle: `Authorization: Bearer` (reference 004). */
export function credentialHeaders(party: PartyConfig, secret: PartySecret): Record<string, string> {
  if (party.source === 'workdrive') {
    if (!secret.workdriveApiKey) {
      throw new PollStop('credentials_missing', `the secret of party ${party.id} has no workdriveApiKey`);
    }
    return { 'x-api-key': secret.workdriveApiKey };
  }
  if (party.source === 'huddle') {
    if (!secret.huddleAccessToken) {
      throw new PollStop('credentials_missing', `the secret of party ${party.id} has no huddleAccessToken`);
    }
    return {
      authorization: `Bearer ${secret.huddleAccessToken}`,
      accept: 'application/vnd.huddle.data+json, application/json',
    };
  }
  throw new PollStop('credentials_missing', `source ${party.source} cannot be polled`);
}
