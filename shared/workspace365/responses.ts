import * as z from '../zod';

/** 200 body of POST /api/activities (reference 000): the created activity and its resolved user. */
export const ActivityCreated = z.looseObject({
  id: z.number().check(z.int()),
  user: z.optional(
    z.looseObject({
      id: z.optional(z.number().check(z.int())),
      upn: z.optional(z.string()),
    }),
  ),
});
export type ActivityCreated = z.output<typeof ActivityCreated>;

/** 200 body of POST /api/activities-batch: one entry per user the scope resolved to. */
export const BatchActivityCreated = z.array(ActivityCreated);
export type BatchActivityCreated = z.output<typeof BatchActivityCreated>;

const ErrorMessage = z.looseObject({
  message: z.string(),
  /** The relay adds a machine-readable code; Workspace 365 itself sends only `message`. */
  code: z.optional(z.string()),
});

/** The documented 400 body: `globalError` for errors not tied to a field, `fieldErrors` per field. */
export const ApiErrorResponse = z.looseObject({
  globalError: z.nullish(ErrorMessage),
  fieldErrors: z.nullish(z.record(z.string(), ErrorMessage)),
});
export type ApiErrorResponse = z.output<typeof ApiErrorResponse>;
export type FieldErrors = Record<string, { message: string }>;
