import { describe, expect, it } from 'vitest';
import { judgeCopy, OWNER_GRACE_SECONDS } from '../../../shared/dedup/judge-copy';

describe('judgeCopy: which queued copy of an event is posted (docs/cost.md, "One write per webhook")', () => {
  it("posts the owner's copy and drops every other attempt's", () => {
    expect(
      judgeCopy(
        { owner: 'a', abandoned: [], delivered: [] },
        { attempt: 'a', messageId: 'm', ageSeconds: 0 },
      ),
    ).toEqual({ type: 'deliver' });
    expect(
      judgeCopy(
        { owner: 'a', abandoned: [], delivered: [] },
        { attempt: 'b', messageId: 'm', ageSeconds: 0 },
      ),
    ).toEqual({ type: 'not_owner' });
    // An owner decides even for an attempt that was also given up: the owner's copies are the ones posted.
    expect(
      judgeCopy(
        { owner: 'a', abandoned: ['b'], delivered: [] },
        { attempt: 'b', messageId: 'm', ageSeconds: 999 },
      ),
    ).toEqual({
      type: 'not_owner',
    });
  });

  it('drops the copies of an attempt that was given up, however old', () => {
    expect(
      judgeCopy({ abandoned: ['a'], delivered: [] }, { attempt: 'a', messageId: 'm', ageSeconds: 0 }),
    ).toEqual({ type: 'abandoned' });
    expect(
      judgeCopy(
        { abandoned: ['a'], delivered: [] },
        { attempt: 'a', messageId: 'm', ageSeconds: OWNER_GRACE_SECONDS * 10 },
      ),
    ).toEqual({
      type: 'abandoned',
    });
  });

  it('without an owner, waits briefly at first and longer as the copy ages, never past the grace period', () => {
    expect(judgeCopy(undefined, { attempt: 'a', messageId: 'm', ageSeconds: 0 })).toEqual({
      type: 'wait',
      seconds: 1,
    });
    expect(judgeCopy(undefined, { attempt: 'a', messageId: 'm', ageSeconds: 4.2 })).toEqual({
      type: 'wait',
      seconds: 5,
    });
    expect(
      judgeCopy({ abandoned: ['other'], delivered: [] }, { attempt: 'a', messageId: 'm', ageSeconds: 30 }),
    ).toEqual({
      type: 'wait',
      seconds: 30,
    });
    expect(
      judgeCopy(undefined, { attempt: 'a', messageId: 'm', ageSeconds: OWNER_GRACE_SECONDS - 10 }),
    ).toEqual({ type: 'wait', seconds: 10 });
    // A clock behind ingress's gives a negative age: still a short wait, not a claim.
    expect(judgeCopy(undefined, { attempt: 'a', messageId: 'm', ageSeconds: -50 })).toEqual({
      type: 'wait',
      seconds: 1,
    });
  });

  it('does not post again a message recorded as delivered (its prompt delete failed)', () => {
    expect(
      judgeCopy(
        { owner: 'a', abandoned: [], delivered: ['m'] },
        { attempt: 'a', messageId: 'm', ageSeconds: 5 },
      ),
    ).toEqual({
      type: 'already_delivered',
    });
    expect(
      judgeCopy(
        { owner: 'a', abandoned: [], delivered: ['other'] },
        { attempt: 'a', messageId: 'm', ageSeconds: 5 },
      ),
    ).toEqual({
      type: 'deliver',
    });
  });

  it('claims once no attempt that is still running can claim any more', () => {
    expect(judgeCopy(undefined, { attempt: 'a', messageId: 'm', ageSeconds: OWNER_GRACE_SECONDS })).toEqual({
      type: 'claim',
    });
    expect(
      judgeCopy(
        { abandoned: ['b'], delivered: [] },
        { attempt: 'a', messageId: 'm', ageSeconds: OWNER_GRACE_SECONDS + 1 },
      ),
    ).toEqual({
      type: 'claim',
    });
  });
});
