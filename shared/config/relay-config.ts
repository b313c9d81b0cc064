import * as z from '../zod';
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
};

/**
 * One party, keyed by `source`: each variant carries its source's typed options, so the config is
 * parsed in one pass and nothing re-validates or rewrites it later (shared/sources takes it as it is).
 */
export const PartyConfig = z.discriminatedUnion(
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
);
export type PartyConfig = z.output<typeof PartyConfig>;
/** The party of one source, its options typed. */
export type PartyOf<S extends SourceName> = Extract<PartyConfig, { source: S }>;

export const RetryConfig = z
  .strictObject({
    /** First backoff ceiling in seconds. @default 2 */
    baseSeconds: z._default(z.number().check(z.positive(), z.lte(900)), 2),
    /** Largest backoff in seconds (SQS allows at most 12 h of visibility). @default 900 */
    capSeconds: z._default(z.number().check(z.positive(), z.lte(43_200)), 900),
    /** Receives before SQS moves a message to the DLQ. @default 10 */
    maxReceives: z._default(z.number().check(z.int(), z.gte(1), z.lte(1000)), 10),
  })
  .check(
    z.refine((retry) => retry.capSeconds >= retry.baseSeconds, {
      error: 'capSeconds must be at least baseSeconds',
      path: ['capSeconds'],
    }),
  );
export type RetryConfig = z.output<typeof RetryConfig>;

export const RelayConfig = z
  .strictObject({
    parties: z.array(PartyConfig).check(z.minLength(1, { error: 'at least one party is required' })),
    retry: z._default(RetryConfig, { baseSeconds: 2, capSeconds: 900, maxReceives: 10 }),
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
