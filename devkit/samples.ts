import { randomUUID } from 'node:crypto';
import type { SourceName } from '../shared/config/relay-config';

/**
 * One realistic body per mapped event type and source, for tests, the `send-sample` CLI and the
 * benchmark. Built from the reference documents' object shapes, with the users and groups of the demo
 * config (relay.config.example.json) so every recipient resolves. Fresh ids on every call.
 */

/** `options.users` / `groupMap` of the demo party `workdrive-demo`. */
export const DEMO_WORKDRIVE = {
  anna: {
    id: '0b7c2f0e-6a1e-4f43-9d0a-6c1f4f7c2a11',
    upn: 'anna.devries@demo.example',
    firstName: 'Anna',
    lastName: 'de Vries',
  },
  bram: {
    id: '5e2d8a3b-1c4f-4b7e-8f0a-2d3c4b5a6f22',
    upn: 'bram.jansen@demo.example',
    firstName: 'Bram',
    lastName: 'Jansen',
  },
  marketingGroupId: 'd1a6f8c2-0000-4000-8000-000000000001',
} as const;

const { anna, bram, marketingGroupId } = DEMO_WORKDRIVE;

const envelope = (event: string, data: Record<string, unknown>) => ({
  id: `evt_${randomUUID()}`,
  event,
  occurredAt: new Date().toISOString(),
  data,
});

/** A WorkDrive user object as embedded in posts, news and events (reference 002). */
const workDriveUser = (user: typeof anna | typeof bram, withEmail: boolean) => ({
  id: user.id,
  firstName: user.firstName,
  lastName: user.lastName,
  picture: {},
  color: '#5b8def',
  online: true,
  availability: 1,
  designation: {},
  department: {},
  availabilityStatusText: 'Available',
  ...(withEmail ? { email: user.upn } : {}),
});

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

const huddleWorkspace = () => {
  const id = String(Math.floor(10_000_000 + Math.random() * 89_999_999));
  const self = `https://api.huddle.net/workspaces/${id}`;
  return {
    links: [
      { rel: 'self', href: self },
      { rel: 'parent', href: 'https://api.huddle.net/accounts/456' },
      { rel: 'leave', href: `${self}/leave` },
      { rel: 'teams', href: `${self}/teams` },
      { rel: 'managers', href: `${self}/managers` },
    ],
    name: 'Project Atlas',
    description: 'Tender documents and planning',
    createdDate: new Date().toISOString(),
  };
};

const huddleUser = (name: string, email: string) => ({
  name,
  email,
  links: [
    { rel: 'self', href: 'https://api.huddle.net/users/999' },
    { rel: 'avatar', href: 'https://api.huddle.net/users/999/avatar' },
  ],
});

export const sampleEvents: Record<SourceName, Record<string, () => unknown>> = {
  workspace365: {
    activity: () => ({
      User: { Upn: anna.upn },
      Icon: { Name: 'Phone' },
      Title: 'Call back Jan about the proposal',
      // A Workspace 365 body has no event id; a fresh link makes every sample a new event (not a duplicate).
      Url: `https://crm.demo.example/calls/${randomUUID()}`,
      Tag: 'Proposals',
      Color: { Kind: 1, Value: '#00ff00' },
      Actions: [{ Kind: 1, Title: 'Accept proposal', Url: 'https://crm.demo.example/proposal/accept' }],
    }),
    batch: () => ({
      Scope: { Kind: 0 },
      Data: {
        Title: 'The intranet is down for maintenance tonight from 22:00',
        Url: `https://status.demo.example/incidents/${randomUUID()}`,
        Tag: 'IT',
        Icon: { Name: 'Computer Desktop' },
        Color: { Kind: 2 },
      },
    }),
  },
  workdrive: {
    'news.published': () =>
      envelope('news.published', {
        id: randomUUID(),
        postedAt: new Date().toISOString(),
        commentsCount: 0,
        newsTitle: 'New brand guidelines are live',
        category: 'Featured',
        tags: ['#brand'],
        permissions: {
          public: false,
          groups: [marketingGroupId],
          users: [bram.id],
          friends: false,
          onlyMe: false,
          team: false,
        },
        user: workDriveUser(anna, true),
        mentions: [],
        taggedUsers: [],
        reactions: [],
      }),
    'event.created': () =>
      envelope('event.created', {
        id: randomUUID(),
        createdAt: new Date().toISOString(),
        createdBy: anna.id,
        title: 'Quarterly town hall',
        description: 'Results, plans and Q&A',
        externalLink: [{ title: 'Agenda', url: 'https://intranet.demo.example/town-hall' }],
        isExternalEvent: false,
        conferenceLink: 'https://meet.demo.example/town-hall',
        location: 'Main hall',
        startDateTime: inDays(7),
        endDateTime: inDays(7.05),
        isVirtual: true,
        permissions: { public: false, friends: false, onlyMe: false, team: false, users: [anna.id] },
        userIds: [bram.id],
        tags: ['town-hall'],
        creator: workDriveUser(anna, true),
        rsvpUsers: [],
      }),
    'task.assigned': () =>
      envelope('task.assigned', {
        id: randomUUID(),
        title: 'Fill out timesheet',
        content: 'Fill time sheet at end of day',
        task_type: 'Article',
        time: 1,
        link: 'https://workdrive.demo.example/timesheets',
        dueDate: inDays(2),
        dueDays: 2,
        createdAt: new Date().toISOString(),
        userIds: [anna.id, bram.id],
      }),
    'post.created': () =>
      envelope('post.created', {
        id: randomUUID(),
        postText: 'Great work on the launch, @Bram!',
        postedAt: new Date().toISOString(),
        commentsCount: 0,
        user: workDriveUser(anna, true),
        tags: ['#launch'],
        taggedUserIds: [bram.id],
        mentions: [workDriveUser(bram, false)],
        taggedUsers: [],
        links: [],
        reactions: [],
      }),
  },
  huddle: {
    'workspace.user.added': () =>
      envelope('workspace.user.added', {
        workspace: huddleWorkspace(),
        user: {
          ...huddleUser('Bram Jansen', bram.upn),
          lastLogin: new Date().toISOString(),
          workspaceManager: false,
        },
      }),
    'workspace.managers.added': () =>
      envelope('workspace.managers.added', {
        workspace: huddleWorkspace(),
        managers: [huddleUser('Anna de Vries', anna.upn), huddleUser('Bram Jansen', bram.upn)],
      }),
    'workspace.created': () =>
      envelope('workspace.created', {
        workspace: huddleWorkspace(),
        createdBy: huddleUser('Anna de Vries', anna.upn),
      }),
    'team.invitations': () =>
      envelope('team.invitations', {
        workspace: huddleWorkspace(),
        team: {
          name: 'Bid team',
          description: 'Writes the tender',
          links: [{ rel: 'self', href: 'https://api.huddle.net/workspaces/123/teams/12' }],
        },
        users: [huddleUser('Anna de Vries', anna.upn), huddleUser('Bram Jansen', bram.upn)],
      }),
  },
  template: {
    /** Fits the demo party `crm-demo`: eventId `deal.id & '-' & status`, filter `status = 'won'`. */
    'deal.won': () => {
      const dealId = `D-${randomUUID().slice(0, 8)}`;
      return {
        status: 'won',
        deal: {
          id: dealId,
          name: 'Acme Corp renewal',
          amount: 48_000,
          currency: 'EUR',
          url: `https://crm.demo.example/deals/${dealId}`,
        },
        owner: { name: 'Anna de Vries', email: anna.upn },
        occurredAt: new Date().toISOString(),
      };
    },
  },
};
