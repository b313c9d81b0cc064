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
  | 'duplicate_in_progress'
  | 'secret_unavailable'
  | 'source_unavailable'
  | 'dedup_unavailable'
  | 'queue_unavailable'
  | 'internal_error';

/**
 * A refusal with everything the sender needs: status, code, message and, where a field is at fault,
 * which one and why. Thrown by pipeline steps; the pipeline turns it into the W365 error shape.
 */
export class IngressRejection extends Error {
  override readonly name = 'IngressRejection';
  constructor(
    readonly status: number,
    readonly code: RejectionCode,
    message: string,
    readonly fieldErrors?: FieldErrors,
    readonly headers: Record<string, string> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The Workspace 365 ApiErrorResponse shape plus our code (docs/architecture.md §4). */
export function errorBody(code: RejectionCode, message: string, fieldErrors?: FieldErrors) {
  return {
    globalError: { message, code },
    ...(fieldErrors && Object.keys(fieldErrors).length > 0 ? { fieldErrors } : {}),
  };
}
