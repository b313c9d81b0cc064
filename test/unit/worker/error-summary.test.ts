import { describe, expect, it } from 'vitest';
import { describeApiError } from '../../../shared/worker/error-summary';

describe('describeApiError', () => {
  it('joins the global error and the field errors', () => {
    expect(
      describeApiError(400, {
        globalError: { message: 'Validation failed' },
        fieldErrors: { 'Data.Title': { message: 'Title is required' } },
      }),
    ).toBe('Validation failed | Data.Title: Title is required');
    expect(describeApiError(422, {})).toBe('Workspace 365 answered 422');
  });
});
