import type { AuthFailureCode } from '../auth';
import type { FieldErrors } from '../workspace365/responses';

/** Machine-readable reasons a webhook is refused; also the `Reason` dimension of `WebhookRejected`. */
export type RejectionCode =
  | 'party_unknown'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'content_type_unsupported'
  | AuthFailureCode
  | 'body_not_utf8'
  | 'body_not_json'
  | 'body_too_deep'
  | 'source_invalid'
  | 'payload_invalid'
  | 'message_too_large'
  | 'secret_unavailable'
  | 'source_unavailable'
  | 'queue_unavailable'
  | 'internal_error';

/**
 * The status each code is answered with (docs/architecture.md §4): one table, so a code always means the
 * same status wherever in the pipeline it is raised.
 */
export const REJECTION_STATUS: Readonly<Record<RejectionCode, number>> = {
  body_not_utf8: 400,
  body_not_json: 400,
  body_too_deep: 400,
  signature_missing: 401,
  signature_invalid: 401,
  timestamp_invalid: 401,
  token_missing: 401,
  token_invalid: 401,
  credentials_missing: 401,
  credentials_invalid: 401,
  party_unknown: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  content_type_unsupported: 415,
  source_invalid: 422,
  payload_invalid: 422,
  message_too_large: 422,
  internal_error: 500,
  secret_unavailable: 503,
  source_unavailable: 503,
  queue_unavailable: 503,
};

export type IngressRejectionOptions = {
  /** Where a field is at fault: which one and why. */
  fieldErrors?: FieldErrors | undefined;
  /** Sent as `Retry-After`: when trying again makes sense (409, 503). */
  retryAfterSeconds?: number;
  cause?: unknown;
};

/**
 * A refusal with everything the sender needs: status (from the code), code, message and, where a field
 * is at fault, which one and why. Thrown by pipeline steps; the pipeline turns it into the W365 error shape.
 */
export class IngressRejection extends Error {
  override readonly name = 'IngressRejection';
  readonly status: number;
  readonly fieldErrors: FieldErrors | undefined;
  readonly headers: Record<string, string>;

  constructor(
    readonly code: RejectionCode,
    message: string,
    options: IngressRejectionOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = REJECTION_STATUS[code];
    this.fieldErrors = options.fieldErrors;
    this.headers = {
      ...(code === 'method_not_allowed' ? { allow: 'POST' } : {}),
      ...(options.retryAfterSeconds === undefined
        ? {}
        : { 'retry-after': String(options.retryAfterSeconds) }),
    };
  }
}

/** The Workspace 365 ApiErrorResponse shape plus our code (docs/architecture.md §4). */
export function errorBody(code: RejectionCode, message: string, fieldErrors?: FieldErrors) {
  return {
    globalError: { message, code },
    ...(fieldErrors && Object.keys(fieldErrors).length > 0 ? { fieldErrors } : {}),
  };
}
