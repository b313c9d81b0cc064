import type { RelayLogger } from '../../observability/logger';
import { SourceUnavailableError } from '../source';
import type { UserLookupContext, WorkDriveUserDirectory } from './user-directory';

/** A WorkDrive user or group id named in an event, with where: `data.userIds[2]`. */
export type RecipientRef = { id: string; path: string };

export type UnresolvedRecipient = RecipientRef & { reason: string };

export type ResolvedUsers = { upns: string[]; unresolved: UnresolvedRecipient[] };

export type RecipientResolverDeps = {
  /** `options.users`: lower-cased WorkDrive user id → Workspace 365 UPN. */
  users: ReadonlyMap<string, string>;
  /** The API resolver; undefined when it is off (no apiBaseUrl, no workdriveApiKey or no fetch). */
  directory: WorkDriveUserDirectory | undefined;
  lookupContext: UserLookupContext | undefined;
  logger: RelayLogger;
};

/** How many WorkDrive API lookups one event may have open at once. */
const LOOKUP_CONCURRENCY = 8;

/** Refs of `ids` found at `path`, e.g. refsAt('data.userIds', ids) → data.userIds[0], ... */
export function refsAt(path: string, ids: readonly string[] | null | undefined): RecipientRef[] {
  return (ids ?? []).map((id, index) => ({ id, path: `${path}[${index}]` }));
}

/**
 * Turns WorkDrive user ids into Workspace 365 UPNs, in this order: an e-mail address the event
 * itself carries for that user, `options.users`, then the WorkDrive API. Each id is looked up once;
 * the UPNs come back in the order given, without duplicates. Nothing is dropped silently: what
 * cannot be resolved is returned with its path and the reason.
 */
export async function resolveUsers(
  refs: readonly RecipientRef[],
  knownEmails: ReadonlyMap<string, string>,
  deps: RecipientResolverDeps,
): Promise<ResolvedUsers> {
  const unique = uniqueById(refs);
  const outcomes = await mapWithConcurrency(unique, LOOKUP_CONCURRENCY, (ref) =>
    resolveOne(ref.id, knownEmails, deps),
  );
  const upns: string[] = [];
  const seen = new Set<string>();
  const unresolved: UnresolvedRecipient[] = [];
  unique.forEach((ref, index) => {
    const outcome = outcomes[index];
    if (outcome === undefined || 'reason' in outcome) {
      unresolved.push({ ...ref, reason: outcome?.reason ?? 'not resolved' });
      return;
    }
    const key = outcome.upn.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    upns.push(outcome.upn);
  });
  if (unresolved.length > 0) {
    deps.logger.info('WorkDrive recipients unresolved', {
      unresolved: unresolved.length,
      resolved: upns.length,
      userIds: unresolved.map((ref) => ref.id),
    });
  }
  return { upns, unresolved };
}

async function resolveOne(
  userId: string,
  knownEmails: ReadonlyMap<string, string>,
  deps: RecipientResolverDeps,
): Promise<{ upn: string } | { reason: string }> {
  const fromEvent = knownEmails.get(userId.toLowerCase());
  if (fromEvent !== undefined) return { upn: fromEvent };
  const configured = deps.users.get(userId.toLowerCase());
  if (configured !== undefined) return { upn: configured };
  if (deps.directory === undefined || deps.lookupContext === undefined) {
    return {
      reason: 'no e-mail address in the event, not in options.users, and the WorkDrive API resolver is off',
    };
  }
  const found = await deps.directory.lookup(userId, deps.lookupContext);
  if (found.status === 'found') return { upn: found.upn };
  if (found.status === 'failed') {
    // A lookup that failed may succeed later: the whole event is retried rather than sent to part of its audience.
    throw new SourceUnavailableError(`the WorkDrive API could not resolve a recipient (${found.reason})`);
  }
  return {
    reason: 'not in options.users and the WorkDrive API has no user with an e-mail address for this id',
  };
}

/** E-mail addresses the event carries for its users (author, mentions, RSVPs, ...), by lower-cased user id. */
export function emailsInEvent(
  users: ReadonlyArray<{ id: string; email?: string | null | undefined } | string | null | undefined>,
): Map<string, string> {
  const emails = new Map<string, string>();
  for (const user of users) {
    if (typeof user !== 'object' || user === null || !user.email) continue;
    const key = user.id.toLowerCase();
    if (!emails.has(key)) emails.set(key, user.email);
  }
  return emails;
}

export function uniqueById(refs: readonly RecipientRef[]): RecipientRef[] {
  const seen = new Set<string>();
  return refs.filter((ref) => {
    const key = ref.id.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** `options.users` keyed by lower-cased id (ids differ in case between WorkDrive APIs); blank UPNs are left out. */
export function configuredUsers(users: Readonly<Record<string, string>>): Map<string, string> {
  const map = new Map<string, string>();
  for (const [id, upn] of Object.entries(users)) {
    if (upn.trim() !== '') map.set(id.toLowerCase(), upn.trim());
  }
  return map;
}
