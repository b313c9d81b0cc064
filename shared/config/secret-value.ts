import * as z from '../zod';

/**
 * The value of a party's secret (docs/architecture.md §3, fixed). Several webhook secrets are accepted at once so
 * a sender can rotate without downtime.
 */
export const PartySecret = z.strictObject({
  workspace365ApiKey: z.string().check(z.minLength(1, { error: 'must not be empty' })),
  webhookSecrets: z
    .array(z.string().check(z.minLength(1, { error: 'must not be empty' })))
    .check(z.minLength(1, { error: 'at least one webhook secret is required' })),
  /**
   * Optional WorkDrive API key (X-API-KEY): resolves WorkDrive user ids to e-mail addresses, and reads the
   * API of a polled WorkDrive party.
   */
  workdriveApiKey: z.optional(z.string().check(z.minLength(1))),
  /** Optional Huddle access token (`Authorization: Bearer …`) of a polled Huddle party. */
  huddleAccessToken: z.optional(z.string().check(z.minLength(1))),
});
export type PartySecret = z.output<typeof PartySecret>;
