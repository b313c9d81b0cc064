import type { z } from 'zod';
import { fieldPath } from '../workspace365/field-errors';

/** Says which fields of a secret value are wrong, and why, without quoting any value. */
export function describeSecretProblem(error: z.ZodError): string {
  return `not the expected shape { workspace365ApiKey, webhookSecrets[] }: ${error.issues
    .map((issue) => `${fieldPath(issue.path) || '$'} ${issue.message}`)
    .join('; ')}`;
}
