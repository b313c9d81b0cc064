import * as z from '../../shared/zod';
import { fieldPath } from '../../shared/zod-errors';
import type { ChaosOptions, SandboxEnvironmentConfig, ScriptedResponse } from './types';

/**
 * Checks what tests and the control endpoints hand the sandbox, so a typo in a script fails loudly
 * instead of silently scripting nothing.
 */

/** A mistake in what was given to the sandbox (a script entry, chaos options, an environment). */
export class SandboxInputError extends Error {
  override readonly name = 'SandboxInputError';
}

const times = z.optional(z.union([z.number().check(z.int(), z.gte(1)), z.literal(Number.POSITIVE_INFINITY)]));
const filter = {
  times,
  environment: z.optional(z.string().check(z.minLength(1))),
  kind: z.optional(z.enum(['activity', 'batch'])),
};

const ScriptedResponseSchema = z.union([
  z.strictObject({
    status: z.number().check(z.int(), z.gte(200), z.lte(599)),
    headers: z.optional(z.record(z.string(), z.string())),
    body: z.optional(z.unknown()),
    delayMs: z.optional(z.number().check(z.int(), z.gte(0), z.lte(600_000))),
    ...filter,
  }),
  z.strictObject({ fault: z.enum(['timeout', 'reset']), ...filter }),
]);

const rate = z.optional(z.number().check(z.gte(0), z.lte(1)));
const ChaosOptionsSchema = z.nullable(
  z.strictObject({
    error500Rate: rate,
    timeoutRate: rate,
    resetRate: rate,
    rate429: rate,
    retryAfterSeconds: z.optional(z.number().check(z.int(), z.gte(0))),
    hangMs: z.optional(z.number().check(z.int(), z.gte(0))),
    seed: z.optional(z.number().check(z.int())),
  }),
);

const SandboxUserSchema = z.strictObject({
  id: z.number().check(z.int(), z.positive()),
  upn: z.string().check(z.minLength(1)),
  displayName: z.optional(z.string()),
  groups: z.optional(z.array(z.string().check(z.minLength(1)))),
});

export const ApiKeysSchema = z.array(z.string().check(z.minLength(1)));

const EnvironmentConfigSchema = z.strictObject({
  apiKeys: ApiKeysSchema,
  users: z.optional(z.array(SandboxUserSchema)),
});

export const EnvironmentNameSchema = z.string().check(z.regex(/^[A-Za-z0-9._~-]{1,128}$/));

function parse<T>(schema: z.ZodMiniType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${fieldPath(issue.path) || '$'}: ${issue.message}`);
  throw new SandboxInputError(`invalid ${what}: ${problems.join('; ')}`);
}

export const parseScript = (value: unknown): ScriptedResponse[] =>
  parse(z.array(ScriptedResponseSchema), value, 'script') as ScriptedResponse[];

export const parseChaosOptions = (value: unknown): ChaosOptions | null =>
  parse(ChaosOptionsSchema, value, 'chaos options');

export const parseEnvironmentConfig = (value: unknown): SandboxEnvironmentConfig =>
  parse(EnvironmentConfigSchema, value, 'environment');

export const parseApiKeys = (value: unknown): string[] => parse(ApiKeysSchema, value, 'API keys');

export function parseEnvironmentName(value: string): string {
  return parse(EnvironmentNameSchema, value, 'environment name');
}

/** A path segment, decoded; a malformed escape is the caller's mistake, not a server error. */
export function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch (error) {
    throw new SandboxInputError('the path has a malformed %-escape', { cause: error });
  }
}
