import * as z from 'zod';
import { fieldPath } from '../field-errors';
import type { ChaosOptions, SandboxEnvironmentConfig, ScriptedResponse } from './types';

/**
 * Checks what tests and the control endpoints hand the sandbox, so a typo in a script fails loudly
 * instead of silently scripting nothing.
 */

/** A mistake in what was given to the sandbox (a script entry, chaos options, an environment). */
export class SandboxInputError extends Error {
  override readonly name = 'SandboxInputError';
}

const times = z.union([z.number().int().min(1), z.literal(Number.POSITIVE_INFINITY)]).optional();
const filter = {
  times,
  environment: z.string().min(1).optional(),
  kind: z.enum(['activity', 'batch']).optional(),
};

const ScriptedResponseSchema = z.union([
  z.strictObject({
    status: z.number().int().min(200).max(599),
    headers: z.record(z.string(), z.string()).optional(),
    body: z.unknown().optional(),
    delayMs: z.number().int().min(0).max(600_000).optional(),
    ...filter,
  }),
  z.strictObject({ fault: z.enum(['timeout', 'reset']), ...filter }),
]);

const rate = z.number().min(0).max(1).optional();
const ChaosOptionsSchema = z
  .strictObject({
    error500Rate: rate,
    timeoutRate: rate,
    resetRate: rate,
    rate429: rate,
    retryAfterSeconds: z.number().int().min(0).optional(),
    hangMs: z.number().int().min(0).optional(),
    seed: z.number().int().optional(),
  })
  .nullable();

const SandboxUserSchema = z.strictObject({
  id: z.number().int().positive(),
  upn: z.string().min(1),
  displayName: z.string().optional(),
  groups: z.array(z.string().min(1)).optional(),
});

export const ApiKeysSchema = z.array(z.string().min(1));

const EnvironmentConfigSchema = z.strictObject({
  apiKeys: ApiKeysSchema,
  users: z.array(SandboxUserSchema).optional(),
});

export const EnvironmentNameSchema = z.string().regex(/^[A-Za-z0-9._~-]{1,128}$/);

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
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
