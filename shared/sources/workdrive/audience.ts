import type { FieldErrors } from '../../workspace365/responses';
import { type ActivityWithoutUser, type BatchActivity, ScopeKind } from '../../workspace365/schemas';
import type { MappingOutcome } from '../event-mapping';
import type { MappedPayload } from '../source';
import {
  type RecipientRef,
  type RecipientResolverDeps,
  resolveUsers,
  type UnresolvedRecipient,
  uniqueById,
} from './recipients';

/** Who a WorkDrive item is for, as the event names them. */
export type Audience = {
  everyone: boolean;
  /** Group (or location) ids, looked up in `options.groupMap`. */
  groups: readonly RecipientRef[];
  users: readonly RecipientRef[];
};

export type AudienceDeps = {
  /** `options.groupMap` by lower-cased id. */
  groupNames: ReadonlyMap<string, string>;
  recipients: RecipientResolverDeps;
};

/**
 * Batch activities for an audience. Workspace 365 scopes one batch to all users, to users or to
 * groups, so an audience of groups and users becomes two batches (a user in both gets both).
 */
export async function audienceBatches(
  audience: Audience,
  data: ActivityWithoutUser,
  knownEmails: ReadonlyMap<string, string>,
  deps: AudienceDeps,
  noAudienceReason: string,
): Promise<MappingOutcome> {
  if (audience.everyone) return outcomeOf([batch({ Kind: ScopeKind.AllUsers }, data)], [], noAudienceReason);

  const groupNames: string[] = [];
  const unresolved: UnresolvedRecipient[] = [];
  for (const ref of uniqueById(audience.groups)) {
    const name = deps.groupNames.get(ref.id.toLowerCase());
    if (name === undefined) unresolved.push({ ...ref, reason: 'the group is not in options.groupMap' });
    else if (!groupNames.includes(name)) groupNames.push(name);
  }
  const users = await resolveUsers(audience.users, knownEmails, deps.recipients);

  const payloads: MappedPayload[] = [];
  if (groupNames.length > 0) {
    payloads.push(batch({ Kind: ScopeKind.Groups, Groups: groupNames.map((Name) => ({ Name })) }, data));
  }
  if (users.upns.length > 0) {
    payloads.push(batch({ Kind: ScopeKind.Users, Users: users.upns.map((Upn) => ({ Upn })) }, data));
  }
  return outcomeOf(payloads, [...unresolved, ...users.unresolved], noAudienceReason);
}

/** One batch activity per resolved user set; see audienceBatches for the outcome rules. */
export async function userBatch(
  refs: readonly RecipientRef[],
  data: ActivityWithoutUser,
  knownEmails: ReadonlyMap<string, string>,
  deps: AudienceDeps,
  noAudienceReason: string,
): Promise<MappingOutcome> {
  return audienceBatches(
    { everyone: false, groups: [], users: refs },
    data,
    knownEmails,
    deps,
    noAudienceReason,
  );
}

function batch(scope: BatchActivity['Scope'], data: ActivityWithoutUser): MappedPayload {
  const payload: BatchActivity = { Scope: scope, Data: data };
  return { kind: 'batch', payload };
}

/**
 * Mapped when anyone could be addressed (the rest are reported as unresolved); invalid, naming
 * each field, when recipients were named but none resolved; ignored when nobody was named.
 */
function outcomeOf(
  payloads: MappedPayload[],
  unresolved: readonly UnresolvedRecipient[],
  noAudienceReason: string,
): MappingOutcome {
  if (payloads.length > 0) {
    return unresolved.length === 0
      ? { outcome: 'mapped', payloads }
      : { outcome: 'mapped', payloads, unresolvedRecipients: unresolved.map((ref) => ref.id) };
  }
  if (unresolved.length === 0) return { outcome: 'ignored', reason: noAudienceReason };
  const fieldErrors: FieldErrors = {};
  for (const ref of unresolved) {
    fieldErrors[ref.path] = {
      message: `${ref.id} cannot be resolved to a Workspace 365 recipient: ${ref.reason}`,
    };
  }
  return {
    outcome: 'invalid',
    message: 'none of the recipients could be resolved to Workspace 365 users or groups',
    fieldErrors,
  };
}
