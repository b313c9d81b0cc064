import { randomUUID } from 'node:crypto';
import type { PartySecret } from '../config/secret-value';
import { type AcceptEventDeps, acceptSourceEvent, type WouldSendRequest } from '../ingress/accept-event';
import type { RegisteredParty } from '../ingress/party-registry';
import { IngressRejection } from '../ingress/rejection';
import type { RelayLogger } from '../observability/logger';
import type { CheckpointStore } from '../ports/checkpoint-store';
import type { Clock } from '../ports/clock';
import { type SecretStore, SecretUnavailableError } from '../ports/secret-store';
import { credentialHeaders, pollersFor } from './party-pollers';
import { type PollFailureReason, PollStop } from './poll-stop';
import type { PolledEvent } from './resource-poller';
import { createSourceApi } from './source-api';

export type PartyPollDeps = {
  checkpoints: CheckpointStore;
  secrets: SecretStore;
  /** Towards the source API (and the WorkDrive user resolver). */
  fetch: typeof fetch;
  clock: Clock;
  logger: RelayLogger;
  /** The ingress pipeline's queue, dedup and metrics. */
  pipeline: Omit<AcceptEventDeps, 'clock' | 'logger' | 'fetch'>;
  /** Per source request. @default 10000 */
  requestTimeoutMs?: number;
};

export type PartyPollOptions = {
  /** Map and check, queue nothing, move no checkpoint. */
  dryRun?: boolean;
  /** Epoch ms after which no new page is started. */
  deadline?: number;
};

export type PolledEventOutcome = {
  id: string;
  event: string;
  resource: string;
  outcome: 'queued' | 'duplicate' | 'ignored' | 'invalid' | 'dry-run';
  /** Queue message ids (queued), or the requests that would be sent (dry-run). */
  ids?: string[];
  requests?: WouldSendRequest[];
  reason?: string;
  fields?: string[];
};

export type PartyPollReport = {
  partyId: string;
  status: 'completed' | 'failed';
  reason?: PollFailureReason;
  message?: string;
  retryAfterSeconds?: number;
  /** Resources polled for the first time: their starting point was recorded, nothing was queued. */
  started: string[];
  /** Events found (queued, duplicate, ignored, invalid or dry-run). */
  found: number;
  queued: number;
  events: PolledEventOutcome[];
};

/**
 * One poll of one party (docs/polling.md): for each resource, read pages from its checkpoint, send each
 * page's events through the ingress pipeline, then save the checkpoint. A failure stops the party with a
 * reason; what was committed stays committed and the next run resumes from there.
 */
export async function pollParty(
  party: RegisteredParty,
  deps: PartyPollDeps,
  options: PartyPollOptions = {},
): Promise<PartyPollReport> {
  const partyId = party.config.id;
  const poll = party.config.poll;
  const report: PartyPollReport = {
    partyId,
    status: 'completed',
    started: [],
    found: 0,
    queued: 0,
    events: [],
  };
  if (!poll)
    return fail(report, new PollStop('internal_error', `party ${partyId} has no poll configuration`));
  const correlationId = `poll-${randomUUID()}`;
  try {
    const secret = await readSecret(party, deps.secrets);
    const api = createSourceApi({
      baseUrl: poll.baseUrl,
      headers: credentialHeaders(party.config, secret),
      fetch: deps.fetch,
      ...(deps.requestTimeoutMs === undefined ? {} : { timeoutMs: deps.requestTimeoutMs }),
    });
    for (const poller of pollersFor(party.config)) {
      const stored = await readCheckpoint(deps.checkpoints, partyId, poller.resource);
      if (stored === undefined) report.started.push(poller.resource);
      await poller.poll(
        {
          api,
          poll,
          now: deps.clock.now(),
          warn: (message, fields) =>
            deps.logger.warn(message, { partyId, resource: poller.resource, ...fields }),
          outOfTime: () => options.deadline !== undefined && Date.now() >= options.deadline,
          commit: async (events, checkpoint) => {
            for (const event of events) {
              const outcome = await accept(
                party,
                secret,
                event,
                correlationId,
                deps,
                options.dryRun === true,
              );
              report.events.push({ ...outcome, resource: poller.resource });
              report.found += 1;
              if (outcome.outcome === 'queued') report.queued += 1;
            }
            if (!options.dryRun)
              await writeCheckpoint(deps.checkpoints, partyId, poller.resource, checkpoint);
          },
        },
        stored,
      );
      if (options.deadline !== undefined && Date.now() >= options.deadline) break;
    }
    return report;
  } catch (error) {
    return fail(report, error);
  }
}

async function accept(
  party: RegisteredParty,
  secret: PartySecret,
  event: PolledEvent,
  correlationId: string,
  deps: PartyPollDeps,
  dryRun: boolean,
): Promise<Omit<PolledEventOutcome, 'resource'>> {
  const base = { id: event.id, event: event.event };
  try {
    const outcome = await acceptSourceEvent(party, event, {
      secret,
      headers: {},
      correlationId,
      dryRun,
      eventIdFor: (sourceEventId) => sourceEventId ?? event.id,
      deps: { ...deps.pipeline, clock: deps.clock, logger: deps.logger, fetch: deps.fetch },
    });
    switch (outcome.outcome) {
      case 'queued':
        return { ...base, outcome: 'queued', ids: outcome.ids };
      case 'dry-run':
        return { ...base, outcome: 'dry-run', requests: outcome.requests };
      case 'ignored':
        return { ...base, outcome: 'ignored', reason: outcome.reason };
      case 'duplicate':
        return { ...base, outcome: 'duplicate' };
    }
  } catch (error) {
    if (error instanceof IngressRejection && error.status === 422) {
      // A source object the mapping cannot use would block the party forever if retried: logged and passed.
      const fields = error.fieldErrors ? Object.keys(error.fieldErrors) : [];
      deps.logger.warn('polled event skipped', {
        partyId: party.config.id,
        eventId: event.id,
        event: event.event,
        code: error.code,
        fields,
      });
      return { ...base, outcome: 'invalid', reason: error.code, fields };
    }
    if (error instanceof IngressRejection) {
      throw new PollStop('queue_unavailable', `${error.code}: ${error.message}`, undefined, { cause: error });
    }
    throw error;
  }
}

async function readSecret(party: RegisteredParty, secrets: SecretStore): Promise<PartySecret> {
  try {
    return await secrets.get(party.config.secretName);
  } catch (error) {
    if (error instanceof SecretUnavailableError) {
      throw new PollStop('secret_unavailable', error.message, undefined, { cause: error });
    }
    throw error;
  }
}

async function readCheckpoint(store: CheckpointStore, partyId: string, resource: string): Promise<unknown> {
  try {
    return await store.get(partyId, resource);
  } catch (error) {
    throw new PollStop('checkpoint_unavailable', `cannot read the checkpoint of ${resource}`, undefined, {
      cause: error,
    });
  }
}

async function writeCheckpoint(store: CheckpointStore, partyId: string, resource: string, value: unknown) {
  try {
    await store.put(partyId, resource, value);
  } catch (error) {
    throw new PollStop('checkpoint_unavailable', `cannot save the checkpoint of ${resource}`, undefined, {
      cause: error,
    });
  }
}

function fail(report: PartyPollReport, error: unknown): PartyPollReport {
  const stop =
    error instanceof PollStop
      ? error
      : new PollStop(
          'internal_error',
          error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error',
        );
  return {
    ...report,
    status: 'failed',
    reason: stop.reason,
    message: stop.message,
    ...(stop.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: stop.retryAfterSeconds }),
  };
}
