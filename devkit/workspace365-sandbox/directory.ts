import type { FieldErrors } from '../../shared/workspace365/responses';
import { type GroupLookup, type Scope, ScopeKind, type UserLookup } from '../../shared/workspace365/schemas';
import type { SandboxUser } from './types';

/** The users an environment starts with when none are given: enough to try every Scope kind. */
export const DEFAULT_USERS: readonly SandboxUser[] = [
  {
    id: 1,
    upn: 'anna.devries@demo.example',
    displayName: 'Anna de Vries',
    groups: ['Marketing', 'Everyone'],
  },
  { id: 2, upn: 'bram.jansen@demo.example', displayName: 'Bram Jansen', groups: ['Sales', 'Everyone'] },
  {
    id: 3,
    upn: 'chloe.bakker@demo.example',
    displayName: 'Chloé Bakker',
    groups: ['Marketing', 'Sales', 'Everyone'],
  },
  { id: 4, upn: 'daan.visser@demo.example', displayName: 'Daan Visser', groups: ['Everyone'] },
  { id: 5, upn: 'eva.smit@demo.example', displayName: 'Eva Smit', groups: ['Sales', 'Everyone'] },
];

export type Resolution = { ok: true; users: SandboxUser[] } | { ok: false; fieldErrors: FieldErrors };

/**
 * One environment's users and groups. UPNs and group names match case-insensitively, as in Entra ID.
 * Group ids are 1, 2, … in order of first appearance in the user list.
 */
export class UserDirectory {
  private readonly users: SandboxUser[];

  constructor(users: readonly SandboxUser[] = DEFAULT_USERS) {
    this.users = users.map((user) => ({ ...user, groups: [...(user.groups ?? [])] }));
  }

  all(): SandboxUser[] {
    return [...this.users].sort((a, b) => a.id - b.id);
  }

  groups(): { id: number; name: string }[] {
    const names = new Map<string, string>();
    for (const user of this.users) {
      for (const group of user.groups ?? []) {
        if (!names.has(group.toLowerCase())) names.set(group.toLowerCase(), group);
      }
    }
    return [...names.values()].map((name, index) => ({ id: index + 1, name }));
  }

  byId(id: number): SandboxUser | undefined {
    return this.users.find((user) => user.id === id);
  }

  byUpn(upn: string): SandboxUser | undefined {
    const wanted = upn.toLowerCase();
    return this.users.find((user) => user.upn.toLowerCase() === wanted);
  }

  private create(upn: string): SandboxUser {
    const id = Math.max(0, ...this.users.map((user) => user.id)) + 1;
    const user: SandboxUser = { id, upn, groups: [] };
    this.users.push(user);
    return user;
  }

  /** The user of a single activity; an unknown Upn becomes a new user when `autoCreate` is on. */
  resolveActivityUser(lookup: UserLookup, autoCreate: boolean): Resolution {
    const found = this.find(lookup);
    if (found) return { ok: true, users: [found] };
    if (lookup.Id === undefined && lookup.Upn !== undefined && autoCreate) {
      return { ok: true, users: [this.create(lookup.Upn)] };
    }
    return {
      ok: false,
      fieldErrors: { [unknownUserField('User', lookup)]: { message: unknownUserMessage(lookup) } },
    };
  }

  /** The users a batch Scope reaches, each once, ordered by id. Every unknown user or group is reported. */
  resolveScope(scope: Scope): Resolution {
    if (scope.Kind === ScopeKind.AllUsers) return { ok: true, users: this.all() };
    const fieldErrors: FieldErrors = {};
    const reached = new Map<number, SandboxUser>();
    if (scope.Kind === ScopeKind.Users) {
      (scope.Users ?? []).forEach((lookup, index) => {
        const user = this.find(lookup);
        if (user) reached.set(user.id, user);
        else
          fieldErrors[unknownUserField(`Scope.Users[${index}]`, lookup)] = {
            message: unknownUserMessage(lookup),
          };
      });
    } else {
      (scope.Groups ?? []).forEach((lookup, index) => {
        const group = this.findGroup(lookup);
        if (!group) {
          fieldErrors[`Scope.Groups[${index}]`] = {
            message: 'no group with this Id or Name in the environment',
          };
          return;
        }
        for (const user of this.membersOf(group.name)) reached.set(user.id, user);
      });
    }
    if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
    return { ok: true, users: [...reached.values()].sort((a, b) => a.id - b.id) };
  }

  // The documented rule: when both are given, the Id is used.
  private find(lookup: UserLookup): SandboxUser | undefined {
    if (lookup.Id !== undefined) return this.byId(lookup.Id);
    return lookup.Upn === undefined ? undefined : this.byUpn(lookup.Upn);
  }

  private findGroup(lookup: GroupLookup): { id: number; name: string } | undefined {
    const groups = this.groups();
    if (lookup.Id !== undefined) return groups.find((group) => group.id === lookup.Id);
    const wanted = (lookup.Name ?? '').toLowerCase();
    return groups.find((group) => group.name.toLowerCase() === wanted);
  }

  private membersOf(groupName: string): SandboxUser[] {
    const wanted = groupName.toLowerCase();
    return this.users.filter((user) => (user.groups ?? []).some((group) => group.toLowerCase() === wanted));
  }
}

function unknownUserField(prefix: string, lookup: UserLookup): string {
  return lookup.Id !== undefined ? `${prefix}.Id` : `${prefix}.Upn`;
}

function unknownUserMessage(lookup: UserLookup): string {
  return lookup.Id !== undefined
    ? 'no user with this Id in the environment'
    : 'no user with this Upn in the environment';
}
