import { describe, expect, it } from 'vitest';
import { correlationIdFor } from '../../../shared/ingress/correlation-id';

describe('correlationIdFor', () => {
  it("takes the sender's X-Correlation-Id when it is a plain token", () => {
    expect(correlationIdFor('corr-1:a.b', 'JmUUghnpoAMEVjQ=')).toBe('corr-1:a.b');
  });

  it("else API Gateway's request id, = padding included, so the access line and the trace share it", () => {
    expect(correlationIdFor(undefined, 'JmUUghnpoAMEVjQ=')).toBe('JmUUghnpoAMEVjQ=');
    expect(correlationIdFor('has spaces', 'JmUUghnpoAMEVjQ=')).toBe('JmUUghnpoAMEVjQ=');
  });

  it('else a new UUID (nothing usable given)', () => {
    expect(correlationIdFor('a"b', undefined)).toMatch(/^[0-9a-f-]{36}$/);
    expect(correlationIdFor(undefined, 'x'.repeat(129))).toMatch(/^[0-9a-f-]{36}$/);
  });
});
