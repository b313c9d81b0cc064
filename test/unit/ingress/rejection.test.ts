import { describe, expect, it } from 'vitest';
import { IngressRejection, REJECTION_STATUS, type RejectionCode } from '../../../shared/ingress/rejection';

describe('IngressRejection: the status comes from the code (docs/architecture.md §4)', () => {
  it('answers each family of codes with the status the design fixes', () => {
    const expected: Record<number, RejectionCode[]> = {
      400: ['body_not_utf8', 'body_not_json', 'body_too_deep'],
      401: [
        'signature_missing',
        'signature_invalid',
        'timestamp_invalid',
        'token_missing',
        'credentials_invalid',
      ],
      404: ['party_unknown'],
      405: ['method_not_allowed'],
      413: ['payload_too_large'],
      415: ['content_type_unsupported'],
      422: ['source_invalid', 'payload_invalid', 'message_too_large'],
      500: ['internal_error'],
      503: ['secret_unavailable', 'source_unavailable', 'queue_unavailable'],
    };
    for (const [status, codes] of Object.entries(expected))
      for (const code of codes) expect(new IngressRejection(code, 'm').status, code).toBe(Number(status));
    expect(new Set(Object.values(REJECTION_STATUS))).toEqual(new Set(Object.keys(expected).map(Number)));
  });

  it('carries field errors, Retry-After and the cause; 405 names the allowed method', () => {
    const cause = new Error('down');
    const rejection = new IngressRejection('queue_unavailable', 'retry later', {
      retryAfterSeconds: 5,
      cause,
    });
    expect(rejection.headers).toEqual({ 'retry-after': '5' });
    expect(rejection.cause).toBe(cause);
    const invalid = new IngressRejection('payload_invalid', 'bad', {
      fieldErrors: { Title: { message: 'x' } },
    });
    expect(invalid.fieldErrors).toEqual({ Title: { message: 'x' } });
    expect(invalid.headers).toEqual({});
    expect(new IngressRejection('method_not_allowed', 'POST only').headers).toEqual({ allow: 'POST' });
  });
});
