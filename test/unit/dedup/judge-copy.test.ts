import { describe, expect, it } from 'vitest';
import { EARLY_WAIT_SECONDS, judgeCopy, OWNER_GRACE_SECONDS } from '../../../shared/dedup/judge-copy';

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

  it('without an owner, waits briefly twice, then for the rest of the grace period: an orphan is looked at three times', () => {
    const wait = (ageSeconds: number, record?: Parameters<typeof judgeCopy>[0]) =>
      judgeCopy(record, { attempt: 'a', messageId: 'm', ageSeconds });
    expect(wait(0)).toEqual({ type: 'wait', seconds: EARLY_WAIT_SECONDS });
    expect(wait(EARLY_WAIT_SECONDS - 0.5, { abandoned: ['other'], delivered: [] })).toEqual({
      type: 'wait',
      seconds: EARLY_WAIT_SECONDS,
    });
    expect(wait(EARLY_WAIT_SECONDS + 0.5)).toEqual({
      type: 'wait',
      seconds: Math.ceil(OWNER_GRACE_SECONDS - EARLY_WAIT_SECONDS - 0.5),
    });
    expect(wait(OWNER_GRACE_SECONDS - 0.2)).toEqual({ type: 'wait', seconds: 1 });
    // A clock behind ingress's gives a negative age: still a short wait, not a claim.
    expect(wait(-50)).toEqual({ type: 'wait', seconds: EARLY_WAIT_SECONDS });
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
