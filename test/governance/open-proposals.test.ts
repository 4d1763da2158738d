import { describe, expect, it } from 'vitest';
import { CHANGE_STATUSES, type ChangeRequest } from '../../src/governance/change-request.js';
import type { ChangeTarget } from '../../src/governance/change-target.js';
import { isOpenAt, openProposalRefusal, replaces } from '../../src/governance/open-proposals.js';
import { approve, replace } from '../../src/governance/transitions.js';
import { at, clinicalAdmin, engineer, functionsOf, ok, pending, securityAdmin } from './support.js';

// Issue 17 (memory): a requester's newer proposal replaces their own open one on the same target and environment;
// a cap bounds the rest. Pure decisions (src/governance/open-proposals.ts, transitions.ts `replace`).

/** One target of every kind a proposal can have (the Record fails to compile when a kind is added). */
const TARGETS: Record<ChangeTarget['type'], [ChangeTarget, ChangeTarget]> = {
  setting: [{ type: 'setting', key: 'ai.model' }, { type: 'setting', key: 'ai.guardrails' }],
  settings: [
    { type: 'settings', entries: [{ key: 'ai.model', baseVersion: 0 }, { key: 'ai.guardrails', baseVersion: 0 }] },
    { type: 'settings', entries: [{ key: 'ai.model', baseVersion: 0 }] },
  ],
  'emergency-resume': [{ type: 'emergency-resume', target: 'agent:triage' }, { type: 'emergency-resume', target: 'agent:scribe' }],
  'ehr-write': [{ type: 'ehr-write', draftId: 'draft-1' }, { type: 'ehr-write', draftId: 'draft-2' }],
  refund: [{ type: 'refund', refundId: 'refund-1' }, { type: 'refund', refundId: 'refund-2' }],
  assignment: [{ type: 'assignment', sub: 'dr-a' }, { type: 'assignment', sub: 'dr-b' }],
  'access-request': [{ type: 'access-request', sub: 'dr-a' }, { type: 'access-request', sub: 'dr-b' }],
  policy: [{ type: 'policy' }, { type: 'setting', key: 'policy' }],
};

const base = pending();
const on = (target: ChangeTarget, id: string, over: Partial<ChangeRequest> = {}): ChangeRequest =>
  ({ ...base, id, target, ...over }) as ChangeRequest;

describe.each(Object.entries(TARGETS))('a %s proposal', (_kind, [target, other]) => {
  it('replaces the same requester\'s open change on the same target and environment, and nothing else', () => {
    const old = on(target, 'old');
    const next = on(target, 'new');
    expect(replaces(next, old)).toBe(true);
    expect(replaces(next, next)).toBe(false);
    expect(replaces(next, on(target, 'x', { requester: { ...base.requester, sub: 'someone-else' } }))).toBe(false);
    expect(replaces(next, on(target, 'x', { environment: 'STAGING' }))).toBe(false);
    expect(replaces(next, on(target, 'x', { tenant: 'other' }))).toBe(false);
    expect(replaces(next, on(other, 'x'))).toBe(false);

    const replaced = ok(replace(old, next, at(5)));
    expect(replaced).toMatchObject({ status: 'SUPERSEDED', superseded: { replacedBy: 'new', at: at(5) } });
  });
});

describe('replace', () => {
  it('keeps the approvals given so far, records the requester as the actor, and ends the change for approvers', () => {
    const old = ok(approve(pending(), securityAdmin(), { now: at(1), currentVersion: 3, functionsOf }));
    expect(old.status).toBe('PENDING');
    const next = pending({ id: 'chg-2', now: at(2) });
    const result = replace(old, next, at(3));
    if (!result.ok) throw new Error(result.error.reason);
    expect(result.next.approvals).toHaveLength(1);
    expect(result.effects).toEqual([
      expect.objectContaining({
        type: 'audit',
        action: 'change.superseded',
        actor: engineer().sub,
        detail: expect.objectContaining({ replacedBy: 'chg-2' }),
      }),
    ]);
    const late = approve(result.next, clinicalAdmin(), { now: at(4), currentVersion: 3, functionsOf });
    expect(late).toMatchObject({ ok: false, error: { code: 'CONFLICT', reason: 'NOT_PENDING' } });
  });

  it('refuses a change that is no longer pending (NOT_PENDING) or that the new one does not replace (NOT_REPLACEABLE)', () => {
    const next = pending({ id: 'chg-2' });
    const done = ok(replace(pending(), next, at(1)));
    expect(replace(done, next, at(2))).toMatchObject({ ok: false, error: { code: 'CONFLICT', reason: 'NOT_PENDING' } });
    const other = pending({ requester: engineer('eng-2') });
    expect(replace(other, next, at(2))).toMatchObject({ ok: false, error: { code: 'CONFLICT', reason: 'NOT_REPLACEABLE' } });
  });
});

describe('an APPROVED change (decided, its effect maybe under way in the outbox)', () => {
  it('is not replaced, and still counts as open for the cap', () => {
    const approved = { ...pending(), status: 'APPROVED', approvedAt: at(1) } as ChangeRequest;
    const next = pending({ id: 'chg-2', now: at(2) });
    expect(replaces(next, approved)).toBe(false);
    expect(replace(approved, next, at(3))).toMatchObject({ ok: false, error: { reason: 'NOT_PENDING' } });
    expect(openProposalRefusal(next, [approved], 1)).toMatchObject({ reason: 'TOO_MANY_OPEN_PROPOSALS' });
  });
});

describe('the cap on open proposals per requester', () => {
  const own = (n: number) => Array.from({ length: n }, (_, i) => on({ type: 'setting', key: `k${i}` }, `open-${i}`));
  const next = on({ type: 'setting', key: 'ai.model' }, 'new');

  it('refuses the (max+1)th open change with CONFLICT TOO_MANY_OPEN_PROPOSALS, saying how many and how to withdraw', () => {
    expect(openProposalRefusal(next, own(2), 3)).toBeNull();
    const refused = openProposalRefusal(next, own(3), 3);
    expect(refused).toMatchObject({ code: 'CONFLICT', reason: 'TOO_MANY_OPEN_PROPOSALS' });
    expect(refused?.message).toMatch(/you have 3 open proposals \(at most 3 per requester\).*cancelChange/);
  });

  it('does not count what the new change replaces, others\' changes, or finished ones; never refuses a change that applied', () => {
    const replaced = on({ type: 'setting', key: 'ai.model' }, 'old');
    expect(openProposalRefusal(next, [...own(2), replaced], 3)).toBeNull();
    const others = own(3).map((c) => ({ ...c, requester: { ...c.requester, sub: 'someone-else' } }));
    expect(openProposalRefusal(next, others, 3)).toBeNull();
    const finished = own(3).map((c) => ({ ...c, status: 'CANCELLED', cancellation: { sub: c.requester.sub, at: at(1) } }) as ChangeRequest);
    expect(openProposalRefusal(next, finished, 3)).toBeNull();
    const applied = { ...next, status: 'APPLIED', approvedAt: null, appliedVersion: 1, appliedAt: at(1) } as ChangeRequest;
    expect(openProposalRefusal(applied, own(5), 3)).toBeNull();
    // Approved at once (no approver needed), its effect handed to the outbox: nothing waits for anyone.
    const auto = { ...next, status: 'APPROVED', approvedAt: at(1) } as ChangeRequest;
    expect(openProposalRefusal(auto, own(5), 3)).toBeNull();
  });
});

describe('isOpenAt: open work at a time (expiry is lazy: a PENDING change past expiresAt is expired, not open)', () => {
  it.each(CHANGE_STATUSES)('%s before, at and after its expiresAt', (status) => {
    const change = on(TARGETS.setting[0], 'c', { status, expiresAt: '2026-12-02T06:00:00.000Z' });
    const t = Date.parse(change.expiresAt);
    expect(isOpenAt(change, t - 1)).toBe(status === 'PENDING' || status === 'APPROVED');
    // An APPROVED change waits in the outbox: its time to live no longer applies.
    for (const now of [t, t + 1]) expect(isOpenAt(change, now)).toBe(status === 'APPROVED');
  });
});
