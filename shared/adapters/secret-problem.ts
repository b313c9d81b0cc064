import type * as z from '../zod';
import { fieldPath } from '../zod-errors';

/** Says which fields of a secret value are wrong, and why, without quoting any value. */
export function describeSecretProblem(error: z.core.$ZodError): string {
  return `not the expected shape { workspace365ApiKey, webhookSecrets[] }: ${error.issues
    .map((issue) => `${fieldPath(issue.path) || '$'} ${issue.message}`)
    .join('; ')}`;
}
