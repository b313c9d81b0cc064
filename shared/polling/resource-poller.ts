import type { PollConfig } from '../config/poll-config';
import type { SourceApi } from './source-api';

/** A source event as a webhook would carry it (docs/architecture.md §5), built from an API object. */
export type PolledEvent = {
  /** Derived from the source object (`news:<id>`, `huddle:<workspace>:user:<id>:added`): the dedup key. */
  id: string;
  event: string;
  occurredAt: string;
  data: Record<string, unknown>;
};

export type PollContext = {
  api: SourceApi;
  poll: PollConfig;
  now: Date;
  /** Ids, counts and paths only; never a body or a credential. */
  warn(message: string, fields?: Record<string, unknown>): void;
  /** True once the run's time budget is spent: stop after the current page (the checkpoint resumes). */
  outOfTime(): boolean;
  /**
   * Hands over one page's events and the checkpoint that follows them. Resolves after every event is
   * queued and the checkpoint is saved; throws (and saves nothing) when queueing fails.
   */
  commit(events: readonly PolledEvent[], checkpoint: unknown): Promise<void>;
};

/** One thing a party polls (WorkDrive news, Huddle memberships, ...). */
export type ResourcePoller = {
  resource: string;
  /** Reads from `checkpoint` (undefined on the first run) on, committing page by page. */
  poll(context: PollContext, checkpoint: unknown): Promise<void>;
};
