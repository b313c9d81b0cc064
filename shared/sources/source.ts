import type { PartyConfig } from '../config/relay-config';
import type { PartySecret } from '../config/secret-value';
import type { RelayLogger } from '../observability/logger';
import type { FieldErrors } from '../workspace365/responses';
import type { PayloadKind } from '../workspace365/schemas';

/** What a source sees of one request besides the body. */
export type SourceContext = {
  /** The party; `party.options` is already validated by options.ts. */
  party: PartyConfig;
  /** The party's secret (`workdriveApiKey` for the WorkDrive user resolver). */
  secret: PartySecret;
  /** Request headers, names lower-cased. */
  headers: Readonly<Record<string, string | undefined>>;
  now: Date;
  /** For the WorkDrive user resolver; absent → resolver off. */
  fetch?: typeof fetch;
  /** Ids and counts only, never bodies. */
  logger: RelayLogger;
};

/** A Workspace 365 request body and its endpoint; NOT yet validated (the ingress runs validatePayload). */
export type MappedPayload = { kind: PayloadKind; payload: unknown };

export type SourceResult =
  | {
      outcome: 'mapped';
      event: string;
      eventId?: string;
      payloads: MappedPayload[];
      /** Recipients (WorkDrive user/group ids) that could not be mapped; the rest were. */
      unresolvedRecipients?: string[];
      /**
       * Fields of the output dropped because Workspace 365 would refuse them (links that are not
       * absolute http(s) URLs, actions over the limit): `Url`, `Actions[0]`, `[1].Data.Url`.
       */
      dropped?: string[];
    }
  /** Answered 202 `{ accepted: 0, ignored: reason }`. */
  | { outcome: 'ignored'; event: string; eventId?: string; reason: string }
  /** Answered 422; field paths are relative to the request body, e.g. `data.newsTitle`. */
  | { outcome: 'invalid'; message: string; fieldErrors: FieldErrors };

export interface WebhookSource {
  map(body: unknown, context: SourceContext): Promise<SourceResult>;
}

/**
 * The source could not finish mapping for a reason that will pass (the WorkDrive API is down).
 * The ingress answers 503 so the sender retries later: nothing is queued for part of the recipients.
 */
export class SourceUnavailableError extends Error {
  override readonly name = 'SourceUnavailableError';
}
