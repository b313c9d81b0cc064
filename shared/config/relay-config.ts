import { JITTER_MODES } from '../retry/backoff';
import { formatDuration, MAX_RETRY_WINDOW_SECONDS, retryWindow } from '../retry/schedule';
import * as z from '../zod';
import { POLL_RESOURCES, PollConfig } from './poll-config';
import {
  HuddleSourceOptions,
  TemplateSourceOptions,
  WorkDriveSourceOptions,
  Workspace365SourceOptions,
} from './source-options';
import { isAllowedTargetBaseUrl } from './target-url';

/**
 * The party configuration (docs/architecture.md §3, fixed). One file read at start-up by every host and by the
 * CDK app at synth time. Unknown keys are rejected so a typo never silently becomes a default.
 */

export const SOURCES = ['workspace365', 'workdrive', 'huddle', 'template'] as const;
export type SourceName = (typeof SOURCES)[number];

export const AUTH_SCHEMES = ['standard-webhooks', 'hmac-sha256', 'token', 'basic'] as const;
export type AuthScheme = (typeof AUTH_SCHEMES)[number];

export const DEFAULT_SIGNATURE_HEADER = 'X-Signature-256';
export const DEFAULT_TOKEN_HEADER = 'Authorization';
export const DEFAULT_TIMESTAMP_TOLERANCE_SECONDS = 300;

const HeaderName = z
  .string()
  .check(z.regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, { error: 'must be a valid HTTP header name' }));

export const PartyAuthConfig = z.strictObject({
  scheme: z.enum(AUTH_SCHEMES, { error: `must be one of ${AUTH_SCHEMES.join(', ')}` }),
  /** Header carrying the signature (`hmac-sha256`) or the token (`token`). */
  header: z.optional(HeaderName),
  /** Accepted clock difference for timestamped schemes. @default 300 */
  toleranceSeconds: z.optional(z.number().check(z.int(), z.gte(1), z.lte(3600))),
});
export type PartyAuthConfig = z.output<typeof PartyAuthConfig>;

export const PartyTarget = z.strictObject({
  baseUrl: z.string().check(
    z.refine(isAllowedTargetBaseUrl, {
      error: 'must be an https URL (http is allowed only for 127.0.0.1/localhost)',
    }),
  ),
  environment: z.string().check(
    z.regex(/^[A-Za-z0-9._~-]{1,128}$/, {
      error: 'must be a Workspace 365 environment name (letters, digits, . _ ~ -)',
    }),
  ),
  /** Sent as Accept-Language so Workspace 365 answers errors in this language. */
  language: z.optional(z.string().check(z.minLength(2), z.maxLength(35))),
});
export type PartyTarget = z.output<typeof PartyTarget>;

const partyFields = {
  id: z.string().check(z.regex(/^[a-z0-9-]{1,64}$/, { error: 'must be 1-64 characters of a-z, 0-9 and -' })),
  auth: PartyAuthConfig,
  target: PartyTarget,
  secretName: z
    .string()
    .check(z.regex(/^[A-Za-z0-9/_+=.@-]{1,512}$/, { error: 'must be a Secrets Manager secret name' })),
  /** Poll the source's API on a schedule (WorkDrive, Huddle; docs/polling.md). @default not polled */
  poll: z.optional(PollConfig),
};

/**
 * One party, keyed by `source`: each variant carries its source's typed options, so the config is
 * parsed in one pass and nothing re-validates or rewrites it later (shared/sources takes it as it is).
 * `auth` stays required for a polled party too (the fixed contract): a party that is only polled keeps a
 * webhook secret nobody is given, so its URL refuses every request.
 */
export const PartyConfig = z
  .discriminatedUnion(
    'source',
    [
      // Absent options are validated as `{}`, so defaults apply and a required option is reported.
      z.strictObject({
        ...partyFields,
        source: z.literal('workspace365'),
        options: z.prefault(Workspace365SourceOptions, {}),
      }),
      z.strictObject({
        ...partyFields,
        source: z.literal('workdrive'),
        options: z.prefault(WorkDriveSourceOptions, {}),
      }),
      z.strictObject({
        ...partyFields,
        source: z.literal('huddle'),
        options: z.prefault(HuddleSourceOptions, {}),
      }),
      z.strictObject({
        ...partyFields,
        source: z.literal('template'),
        options: z.prefault(TemplateSourceOptions, {} as z.input<typeof TemplateSourceOptions>),
      }),
    ],
    { error: `must be one of ${SOURCES.join(', ')}` },
  )
  .check(
    z.superRefine((party, ctx) => {
      if (party.poll === undefined) return;
      if (!Object.hasOwn(POLL_RESOURCES, party.source)) {
        ctx.addIssue({
          code: 'custom',
          path: ['poll'],
          message: `source ${party.source} cannot be polled (only ${Object.keys(POLL_RESOURCES).join(', ')})`,
        });
        return;
      }
      const known: readonly string[] = POLL_RESOURCES[party.source as keyof typeof POLL_RESOURCES];
      party.poll.resources?.forEach((resource, index) => {
        if (!known.includes(resource)) {
          ctx.addIssue({
            code: 'custom',
            path: ['poll', 'resources', index],
            message: `must be one of ${known.join(', ')} for source ${party.source}`,
          });
        }
      });
    }),
  );
export type PartyConfig = z.output<typeof PartyConfig>;
/** The party of one source, its options typed. */
export type PartyOf<S extends SourceName> = Extract<PartyConfig, { source: S }>;

/**
 * The default retry schedule: a delivery that keeps failing is retried for at least 24 hours (at most
 * about 49) before it is dead-lettered (README "Retry schedule"; a unit test holds the 24 h).
 */
export const DEFAULT_RETRY = { baseSeconds: 2, capSeconds: 3600, maxReceives: 60, jitter: 'equal' } as const;

export const RetryConfig = z
  .strictObject({
    /** First backoff ceiling in seconds. @default 2 */
    baseSeconds: z._default(z.number().check(z.positive(), z.lte(900)), DEFAULT_RETRY.baseSeconds),
    /** Largest backoff in seconds (SQS allows at most 12 h of visibility). @default 3600 */
    capSeconds: z._default(z.number().check(z.positive(), z.lte(43_200)), DEFAULT_RETRY.capSeconds),
    /** Attempts (receives) before a delivery is dead-lettered; also the SQS redrive policy. @default 60 */
    maxReceives: z._default(z.number().check(z.int(), z.gte(1), z.lte(1000)), DEFAULT_RETRY.maxReceives),
    /** `equal`: each wait is drawn from the upper half of its ceiling, so no retry comes early; `full`: 0 … ceiling. @default 'equal' */
    jitter: z._default(
      z.enum(JITTER_MODES, { error: `must be one of ${JITTER_MODES.join(', ')}` }),
      DEFAULT_RETRY.jitter,
    ),
  })
  .check(
    z.refine((retry) => retry.capSeconds >= retry.baseSeconds, {
      error: 'capSeconds must be at least baseSeconds',
      path: ['capSeconds'],
    }),
    z.superRefine((retry, ctx) => {
      if (retry.capSeconds < retry.baseSeconds) return;
      const latest = retryWindow(retry).latestSeconds;
      if (latest > MAX_RETRY_WINDOW_SECONDS) {
        ctx.addIssue({
          code: 'custom',
          path: ['maxReceives'],
          message: `the schedule may end as late as ${formatDuration(latest)} after the first attempt; at most ${formatDuration(MAX_RETRY_WINDOW_SECONDS)} fits the queue's retention (lower maxReceives or capSeconds)`,
        });
      }
    }),
  );
export type RetryConfig = z.output<typeof RetryConfig>;

/**
 * The circuit breaker per Workspace 365 environment (docs/outage.md). After `failureThreshold`
 * consecutive transient failures it opens: messages for that environment wait without spending their
 * retry budget, and one probe goes through every `cooldownSeconds`.
 */
export const DEFAULT_CIRCUIT_BREAKER = {
  enabled: true,
  failureThreshold: 5,
  cooldownSeconds: 60,
  pauseOnRetryAfter: true,
} as const;

export const CircuitBreakerConfig = z.strictObject({
  /** `false` turns the breaker off: every message is posted on its own schedule. @default true */
  enabled: z._default(z.boolean(), DEFAULT_CIRCUIT_BREAKER.enabled),
  /** Consecutive transient failures (5xx, 408, 429, timeouts, connection errors) seen by one worker that open it. @default 5 */
  failureThreshold: z._default(
    z.number().check(z.int(), z.gte(1), z.lte(1000)),
    DEFAULT_CIRCUIT_BREAKER.failureThreshold,
  ),
  /** Seconds between probes while it is open. @default 60 */
  cooldownSeconds: z._default(
    z.number().check(z.positive(), z.lte(900)),
    DEFAULT_CIRCUIT_BREAKER.cooldownSeconds,
  ),
  /** A 429/503 with `Retry-After` pauses the whole environment until then. @default true */
  pauseOnRetryAfter: z._default(z.boolean(), DEFAULT_CIRCUIT_BREAKER.pauseOnRetryAfter),
});
export type CircuitBreakerConfig = z.output<typeof CircuitBreakerConfig>;

export const RelayConfig = z
  .strictObject({
    parties: z.array(PartyConfig).check(z.minLength(1, { error: 'at least one party is required' })),
    retry: z._default(RetryConfig, { ...DEFAULT_RETRY }),
    circuitBreaker: z._default(CircuitBreakerConfig, { ...DEFAULT_CIRCUIT_BREAKER }),
  })
  .check(
    z.superRefine((config, ctx) => {
      const seen = new Set<string>();
      config.parties.forEach((party, index) => {
        if (seen.has(party.id)) {
          ctx.addIssue({
            code: 'custom',
            path: ['parties', index, 'id'],
            message: `duplicate party id "${party.id}"`,
          });
        }
        seen.add(party.id);
      });
    }),
  );
export type RelayConfig = z.output<typeof RelayConfig>;
export type RelayConfigInput = z.input<typeof RelayConfig>;
