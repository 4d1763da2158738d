import { describe, expect, it } from 'vitest';
import { CHANGE_STATUSES, type ChangeRequest, type ChangeStatus } from '../../src/governance/change-request.js';
import type { TransitionResult } from '../../src/governance/transition-result.js';
import {
  approve, cancel, expire, markApplied, markFailed, proposeChange, reject, replace, supersede,
} from '../../src/governance/transitions.js';
import { approveOpts, at, engineer, functionsOf, ok, pending, proposal, securityAdmin, STAGING_MEDIUM } from './support.js';

// Every status x every transition: the resulting status, or the reason of the refusal. Inputs are deep-frozen, so
// a transition that mutated its input would throw: transitions are pure.

const TRANSITIONS = {
  approve: (c: ChangeRequest) => approve(c, securityAdmin(), approveOpts(5)),
  reject: (c: ChangeRequest) => reject(c, securityAdmin(), { now: at(5), reason: 'no', functionsOf }),
  cancel: (c: ChangeRequest) => cancel(c, engineer('eng-1'), { now: at(5) }),
  expire: (c: ChangeRequest) => expire(c, '2026-03-10T00:00:00.000Z'),
  supersede: (c: ChangeRequest) => supersede(c, 4, at(5)),
  // The same requester's newer proposal on the same target (open-proposals.ts).
  replace: (c: ChangeRequest) => replace(c, pending({ id: 'chg-newer', now: at(4) }), at(5)),
  markApplied: (c: ChangeRequest) => markApplied(c, { now: at(5) }),
  markFailed: (c: ChangeRequest) => markFailed(c, { reason: 'connector refused', now: at(5) }),
} as const satisfies Record<string, (c: ChangeRequest) => TransitionResult>;
type Transition = keyof typeof TRANSITIONS;

const ENDED = {
  approve: 'NOT_PENDING',
  reject: 'NOT_PENDING',
  cancel: 'NOT_PENDING',
  expire: 'NOT_PENDING',
  supersede: 'NOT_OPEN',
  replace: 'NOT_PENDING',
  markApplied: 'NOT_APPROVED',
  markFailed: 'NOT_OPEN',
} as const;

/** `→STATUS` for a transition that succeeds, `!REASON` for a refusal. */
const EXPECTED: Record<ChangeStatus, Record<Transition, string>> = {
  PENDING: {
    approve: '→PENDING',
    reject: '→REJECTED',
    cancel: '→CANCELLED',
    expire: '→EXPIRED',
    supersede: '→SUPERSEDED',
    replace: '→SUPERSEDED',
    markApplied: '!NOT_APPROVED',
    markFailed: '→FAILED',
  },
  APPROVED: {
    approve: '!NOT_PENDING',
    reject: '!NOT_PENDING',
    cancel: '!NOT_PENDING',
    expire: '!NOT_PENDING',
    supersede: '→SUPERSEDED',
    replace: '!NOT_PENDING',
    markApplied: '→APPLIED',
    markFailed: '→FAILED',
  },
  APPLIED: ended(),
  REJECTED: ended(),
  CANCELLED: ended(),
  EXPIRED: ended(),
  SUPERSEDED: ended(),
  FAILED: ended(),
};
function ended(): Record<Transition, string> {
  return Object.fromEntries(Object.entries(ENDED).map(([t, r]) => [t, `!${r}`])) as Record<Transition, string>;
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    Object.values(v).forEach(deepFreeze);
    Object.freeze(v);
  }
  return v;
}

function inStatus(status: ChangeStatus): ChangeRequest {
  const p = pending();
  const made: Record<ChangeStatus, () => ChangeRequest> = {
    PENDING: () => p,
    APPROVED: () => ok(proposeChange(proposal({ ...STAGING_MEDIUM, applyMode: 'outbox' }))),
    APPLIED: () => ok(proposeChange(proposal({ ...STAGING_MEDIUM }))),
    REJECTED: () => ok(reject(p, securityAdmin('sec-9'), { now: at(1), reason: 'no', functionsOf })),
    CANCELLED: () => ok(cancel(p, engineer('eng-1'), { now: at(1) })),
    EXPIRED: () => ok(expire(p, '2026-03-05T00:00:00.000Z')),
    SUPERSEDED: () => ok(supersede(p, 9, at(1))),
    FAILED: () => ok(markFailed(p, { reason: 'boom', now: at(1) })),
  };
  const c = made[status]();
  expect(c.status).toBe(status);
  return deepFreeze(c);
}

const outcome = (r: TransitionResult) => (r.ok ? `→${r.next.status}` : `!${r.error.reason}`);

describe('transition table', () => {
  for (const status of CHANGE_STATUSES) {
    for (const transition of Object.keys(TRANSITIONS) as Transition[]) {
      it(`${status} x ${transition} = ${EXPECTED[status][transition]}`, () => {
        expect(outcome(TRANSITIONS[transition](inStatus(status)))).toBe(EXPECTED[status][transition]);
      });
    }
  }

  it('covers every status and every transition', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...CHANGE_STATUSES].sort());
    expect(Object.keys(EXPECTED).length * Object.keys(TRANSITIONS).length).toBe(64);
  });

  it('refusals of an ended change carry no next state', () => {
    for (const status of CHANGE_STATUSES.filter((s) => s !== 'PENDING' && s !== 'APPROVED')) {
      for (const t of Object.values(TRANSITIONS)) {
        const r = t(inStatus(status));
        expect(r.ok || r.next === undefined).toBe(true);
      }
    }
  });
});
