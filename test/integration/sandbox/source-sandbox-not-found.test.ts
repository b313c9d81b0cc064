import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HuddleSandbox, startHuddleSandbox } from '../../../devkit/huddle-sandbox';
import { startWorkDriveSandbox, type WorkDriveSandbox } from '../../../devkit/workdrive-sandbox';

/** Both source sandboxes answer an unknown object with 404 and its message, from the API and the control routes. */
describe('WorkDrive and Huddle sandboxes: unknown objects', () => {
  let workdrive: WorkDriveSandbox;
  let huddle: HuddleSandbox;
  beforeAll(async () => {
    workdrive = await startWorkDriveSandbox({ apiKeys: ['wd-key'] });
    huddle = await startHuddleSandbox({ accessTokens: ['hd-token'] });
  });
  afterAll(async () => {
    await workdrive.close();
    await huddle.close();
  });

  it('WorkDrive: assigning an unknown task is a 404 naming it (API and control route)', async () => {
    const api = await fetch(`${workdrive.url}/api/tasks/assign/nope`, {
      method: 'PATCH',
      headers: { 'x-api-key': 'wd-key', 'content-type': 'application/json' },
      body: JSON.stringify({ userIds: [] }),
    });
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({ message: 'no task nope' });
    const control = await fetch(`${workdrive.url}/_sandbox/tasks/nope/assign`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userIds: [] }),
    });
    expect(control.status).toBe(404);
    expect(await control.json()).toEqual({ message: 'no task nope' });
  });

  it('Huddle: the users of an unknown workspace are a 404 naming it (API and control route)', async () => {
    const api = await fetch(`${huddle.url}/workspaces/999/users`, {
      headers: { authorization: 'Bearer hd-token' },
    });
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({ message: 'no workspace 999' });
    const control = await fetch(`${huddle.url}/_sandbox/workspaces/999/managers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'x@example.com' }),
    });
    expect(control.status).toBe(404);
    expect(await control.json()).toEqual({ message: 'no workspace 999' });
  });
});
