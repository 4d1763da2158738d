import { describe, expect, it } from 'vitest';
import {
  approvalStatusOf,
  approve,
  cancel,
  expire,
  markApplied,
  markFailed,
  proposeChange,
  reject,
  supersede,
} from '../../src/governance/transitions.js';
import type { Effect } from '../../src/governance/transition-result.js';
import {
  approveOpts,
  at,
  clinicalAdmin,
  engineer,
  functionsOf,
  ok,
  pending,
  person,
  proposal,
  securityAdmin,
  T0,
  WRITE_BACK,
  STAGING_MEDIUM,
} from './support.js';

const applyEffects = (effects: readonly Effect[] | undefined) => (effects ?? []).filter((e) => e.type === 'apply-setting');

describe('headline: an integration engineer enables EHR write-back in production', () => {
  it('self-approval refused, same-function approval kept pending, no MFA refused, MFA applies exactly once', () => {
    const change = pending();
    expect(change).toMatchObject({
      status: 'PENDING',
      risk: 'HIGH',
      ownerFunction: 'technical',
      baseVersion: 3,
      before: false,
      after: true,
    });
    expect(change.diff).toEqual([{ path: '', op: 'replace', before: false, after: true }]);
    expect(change.requirement).toEqual({ requiredApprovals: 2, distinctFunctions: true, ownerFunctionRequired: true, mfaRequired: true });
    expect(change.approverFunctions).toEqual(['technical', 'security']);
    expect(approvalStatusOf(change).summary).toBe('needs 2 more from: technical or security (each from a different function, with MFA)');

    const self = approve(change, engineer('eng-1'), approveOpts(1));
    expect(self).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'SELF_APPROVAL' } });

    const second = ok(approve(change, engineer('eng-2'), { ...approveOpts(2), comment: 'mappings reviewed' }));
    expect(second.status).toBe('PENDING');
    expect(second.approvals).toEqual([
      { sub: 'eng-2', roleUsed: 'integration-engineer', functions: ['technical'], mfa: true, comment: 'mappings reviewed', at: at(2) },
    ]);
    expect(approvalStatusOf(second)).toEqual({
      satisfied: false,
      remaining: 1,
      stillNeededFrom: ['security'],
      summary: 'needs 1 more from: security (with MFA)',
    });

    const third = approve(second, engineer('eng-3'), approveOpts(3));
    expect(third).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'SAME_FUNCTION' } });

    const noMfa = approve(second, securityAdmin('sec-1', { mfa: false }), approveOpts(4));
    expect(noMfa).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'MFA_REQUIRED' } });

    const done = approve(second, securityAdmin('sec-1'), approveOpts(5));
    const applied = ok(done);
    expect(applied).toMatchObject({ status: 'APPLIED', appliedVersion: 4, appliedAt: at(5), approvedAt: at(5) });
    expect(applyEffects(done.ok ? done.effects : [])).toEqual([
      {
        type: 'apply-setting',
        changeId: 'chg-1',
        tenant: 'acme',
        environment: 'PRODUCTION',
        key: WRITE_BACK,
        value: true,
        version: 4,
        idempotencyKey: 'chg-1:apply',
      },
    ]);
    // Exactly once: the applied change accepts no further approval.
    expect(approve(applied, securityAdmin('sec-2'), approveOpts(6))).toMatchObject({ ok: false, error: { reason: 'NOT_PENDING' } });
  });

  it('order does not matter: security first, then the owner function completes it', () => {
    const first = ok(approve(pending(), securityAdmin(), approveOpts(1)));
    expect(approvalStatusOf(first).stillNeededFrom).toEqual(['technical']);
    expect(approve(first, securityAdmin('sec-2'), approveOpts(2))).toMatchObject({ ok: false, error: { reason: 'SAME_FUNCTION' } });
    expect(ok(approve(first, engineer('eng-2'), approveOpts(3))).status).toBe('APPLIED');
  });
});

describe('proposeChange', () => {
  it('production LOW applies at once with version + 1', () => {
    const r = proposeChange(
      proposal({
        target: { type: 'setting', key: 'messaging.officeHours' },
        requester: person('ops-1', ['ops-manager']),
        current: { value: { timezone: 'UTC', weekly: [] }, version: 0 },
        newValue: { timezone: 'UTC', weekly: [{ day: 'mon', open: '09:00', close: '12:00' }] },
        reason: null,
      }),
    );
    expect(r.ok && r.next).toMatchObject({ status: 'APPLIED', appliedVersion: 1, approvedAt: null, reason: null });
    expect(r.ok && r.effects.map((e) => e.type)).toEqual(['apply-setting', 'audit', 'audit']);
  });

  it('staging MEDIUM applies at once; staging HIGH needs one approver other than the requester', () => {
    expect(ok(proposeChange(proposal({ ...STAGING_MEDIUM }))).status).toBe('APPLIED');
    const high = pending({
      environment: 'STAGING',
      target: { type: 'setting', key: 'messaging.emergencyEscalationRules' },
      requester: clinicalAdmin('clin-1'),
      current: { value: [], version: 0 },
      newValue: [{ keywords: ['chest pain'], action: 'page-on-call' }],
    });
    expect(high.requirement).toEqual({ requiredApprovals: 1, distinctFunctions: false, ownerFunctionRequired: false, mfaRequired: false });
    expect(approve(high, clinicalAdmin('clin-1'), approveOpts(1, 0))).toMatchObject({ ok: false, error: { reason: 'SELF_APPROVAL' } });
    expect(ok(approve(high, clinicalAdmin('clin-2', { mfa: false }), approveOpts(1, 0)))).toMatchObject({
      status: 'APPLIED',
      appliedVersion: 1,
    });
  });

  it('production MEDIUM needs one approver, without MFA', () => {
    const c = pending({
      target: { type: 'setting', key: 'billing.reminderCadenceDays' },
      requester: person('fin-1', ['billing-manager']),
      current: { value: [7, 14, 30], version: 2 },
      newValue: [7, 21],
    });
    expect(c.requirement.requiredApprovals).toBe(1);
    expect(ok(approve(c, person('ops-1', ['ops-manager'], { mfa: false }), approveOpts(1, 2))).status).toBe('APPLIED');
  });

  it('reason is required for MEDIUM and up, not for LOW; the ticket is recorded when given', () => {
    const r = proposeChange(proposal({ reason: '  ' }));
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'BAD_USER_INPUT',
        reason: 'REASON_REQUIRED',
        problems: [{ path: 'reason', message: 'is required for HIGH risk changes' }],
      },
    });
    expect(proposeChange(proposal({ ...STAGING_MEDIUM, reason: undefined }))).toMatchObject({
      ok: false,
      error: { reason: 'REASON_REQUIRED' },
    });
    expect(pending({ ticket: ' CHG-7 ' }).ticket).toBe('CHG-7');
    expect(pending({ ticket: undefined }).ticket).toBeNull();
  });

  it('a bad value is BAD_USER_INPUT naming the field', () => {
    const r = proposeChange(
      proposal({
        target: { type: 'setting', key: 'ai.safetyThreshold' },
        requester: clinicalAdmin(),
        current: { value: { threshold: 0.8 }, version: 1 },
        newValue: { threshold: 1.5 },
      }),
    );
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'BAD_USER_INPUT', reason: 'INVALID_VALUE', message: 'value.threshold: must be between 0 and 1' },
    });
  });

  it('a no-op change is BAD_USER_INPUT', () => {
    expect(proposeChange(proposal({ newValue: false }))).toMatchObject({
      ok: false,
      error: { code: 'BAD_USER_INPUT', reason: 'NO_CHANGE' },
    });
  });

  it('refuses an unknown setting, another tenant and a role that may not edit the setting', () => {
    expect(proposeChange(proposal({ target: { type: 'setting', key: 'integration.EHR.writeBackEnabled' } }))).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', reason: 'UNKNOWN_TARGET' },
    });
    expect(proposeChange(proposal({ requester: engineer('eng-1', { tenant: 'other' }) }))).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', reason: 'WRONG_TENANT' },
    });
    expect(proposeChange(proposal({ requester: person('ops-1', ['ops-manager']) }))).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', reason: 'NOT_AN_EDITOR' },
    });
    // Emergency escalation rules belong to clinical, not operations.
    const emergency = proposal({
      target: { type: 'setting', key: 'messaging.emergencyEscalationRules' },
      current: { value: [], version: 0 },
      newValue: [{ keywords: ['x'], action: 'page-on-call' }],
    });
    expect(proposeChange({ ...emergency, requester: person('ops-1', ['ops-manager']) })).toMatchObject({
      ok: false,
      error: { reason: 'NOT_AN_EDITOR' },
    });
    expect(ok(proposeChange({ ...emergency, requester: clinicalAdmin() }))).toMatchObject({
      status: 'PENDING',
      ownerFunction: 'clinical',
      category: 'messaging',
    });
  });

  it('an AI agent proposal always waits for a human of the owner function', () => {
    const agent = person('agent-1', ['ai-agent', 'ops-manager'], { kind: 'agent' });
    const c = pending({
      environment: 'STAGING',
      target: { type: 'setting', key: 'messaging.officeHours' },
      requester: agent,
      current: { value: { timezone: 'UTC', weekly: [] }, version: 0 },
      newValue: { timezone: 'Europe/Berlin', weekly: [] },
      reason: 'x',
    });
    expect(c.requirement).toMatchObject({ requiredApprovals: 1, ownerFunctionRequired: true });
    expect(approve(c, securityAdmin(), approveOpts(1, 0))).toMatchObject({ ok: false, error: { reason: 'FUNCTION_NOT_NEEDED' } });
    expect(ok(approve(c, person('ops-2', ['ops-manager']), approveOpts(1, 0))).status).toBe('APPLIED');
  });

  it('sets expiresAt from ttlMs or from the rules per environment', () => {
    expect(pending({ ttlMs: 60_000 }).expiresAt).toBe(at(1));
    expect(pending().expiresAt).toBe('2026-03-04T10:00:00.000Z');
    expect(proposeChange(proposal({ ttlMs: 0 }))).toMatchObject({ ok: false, error: { reason: 'INVALID_INPUT' } });
  });

  it('outbox changes wait in APPROVED with an outbox effect, then markApplied', () => {
    const r = proposeChange(proposal({ ...STAGING_MEDIUM, applyMode: 'outbox' }));
    expect(r.ok && r.next).toMatchObject({ status: 'APPROVED', approvedAt: T0 });
    const outbox = r.ok ? r.effects.find((e) => e.type === 'outbox') : undefined;
    expect(outbox).toMatchObject({
      type: 'outbox',
      idempotencyKey: 'chg-1:apply',
      apply: { type: 'apply-setting', version: 4, value: 'https://fhir.example.org/r4' },
    });
    expect(ok(markApplied(ok(r), { now: at(1) }))).toMatchObject({ status: 'APPLIED', appliedVersion: 4, appliedAt: at(1) });
    expect(ok(markFailed(ok(r), { reason: 'connector refused', now: at(1) }))).toMatchObject({
      status: 'FAILED',
      failure: { reason: 'connector refused', at: at(1) },
    });
  });
});

describe('approve: each rule has its own reason', () => {
  it('another tenant is refused before anything else', () => {
    expect(approve(pending(), securityAdmin('sec-1', { tenant: 'globex' }), approveOpts())).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', reason: 'WRONG_TENANT' },
    });
  });

  it('approve after reject is NOT_PENDING', () => {
    const rejected = ok(reject(pending(), securityAdmin(), { now: at(1), reason: 'not yet', functionsOf }));
    expect(approve(rejected, engineer('eng-2'), approveOpts(2))).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', reason: 'NOT_PENDING' },
    });
  });

  it('an expired change moves to EXPIRED and refuses the approval', () => {
    const r = approve(pending({ ttlMs: 60_000 }), engineer('eng-2'), approveOpts(1));
    expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT', reason: 'EXPIRED' }, next: { status: 'EXPIRED', expiredAt: at(1) } });
  });

  it('a stale base version moves to SUPERSEDED and never applies', () => {
    const half = ok(approve(pending(), engineer('eng-2'), approveOpts(1)));
    const r = approve(half, securityAdmin(), approveOpts(2, 4));
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', reason: 'STALE_BASE_VERSION' },
      next: { status: 'SUPERSEDED', superseded: { currentVersion: 4, at: at(2) } },
    });
    expect(applyEffects(r.ok ? [] : r.effects)).toEqual([]);
  });

  it('a replayed approval is ALREADY_APPROVED', () => {
    const half = ok(approve(pending(), engineer('eng-2'), approveOpts(1)));
    expect(approve(half, engineer('eng-2'), approveOpts(2))).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', reason: 'ALREADY_APPROVED' },
    });
  });

  it('an approver without a function that may approve the category is NOT_AN_APPROVER', () => {
    const c = pending();
    for (const roles of [['billing-manager'], ['auditor'], ['clinician'], []]) {
      expect(approve(c, person('x', roles), approveOpts())).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN', reason: 'NOT_AN_APPROVER' },
      });
    }
    expect(approve(c, securityAdmin('svc', { kind: 'service' }), approveOpts())).toMatchObject({
      ok: false,
      error: { reason: 'NOT_AN_APPROVER' },
    });
    expect(approve(c, securityAdmin(), { ...approveOpts(), canApprove: () => false })).toMatchObject({
      ok: false,
      error: { reason: 'NOT_AN_APPROVER' },
    });
  });

  it('a clinical high-risk change: owner clinical plus another function', () => {
    const c = pending({
      target: { type: 'setting', key: 'ai.promptTemplate.triage' },
      requester: clinicalAdmin('clin-1'),
      current: { value: { text: 'a', variables: [] }, version: 3 },
      newValue: { text: 'b', variables: [] },
    });
    expect(approvalStatusOf(c).stillNeededFrom).toEqual(['clinical', 'technical', 'security']);
    const one = ok(approve(c, person('sys-1', ['system-admin']), approveOpts(1)));
    expect(approvalStatusOf(one).summary).toBe('needs 1 more from: clinical (with MFA)');
    expect(approve(one, securityAdmin(), approveOpts(2))).toMatchObject({ ok: false, error: { reason: 'FUNCTION_NOT_NEEDED' } });
    expect(ok(approve(one, clinicalAdmin('clin-2'), approveOpts(3))).status).toBe('APPLIED');
  });
});

describe('reject, cancel, expire, supersede, markFailed', () => {
  it('reject needs a reason and a permitted approver other than the requester', () => {
    const c = pending();
    expect(reject(c, engineer('eng-1'), { now: at(1), reason: 'no', functionsOf })).toMatchObject({
      ok: false,
      error: { reason: 'SELF_REJECTION' },
    });
    expect(reject(c, person('fin', ['billing-manager']), { now: at(1), reason: 'no', functionsOf })).toMatchObject({
      ok: false,
      error: { reason: 'NOT_AN_APPROVER' },
    });
    expect(reject(c, securityAdmin(), { now: at(1), reason: ' ', functionsOf })).toMatchObject({
      ok: false,
      error: { code: 'BAD_USER_INPUT', reason: 'REASON_REQUIRED' },
    });
    const r = ok(
      reject(c, securityAdmin('sec-1', { mfa: false }), { now: at(1), reason: 'write-back mappings not reviewed', functionsOf }),
    );
    expect(r).toMatchObject({
      status: 'REJECTED',
      rejection: { sub: 'sec-1', functions: ['security'], reason: 'write-back mappings not reviewed', at: at(1) },
    });
  });

  it('any rejection ends it, even after an approval', () => {
    const half = ok(approve(pending(), engineer('eng-2'), approveOpts(1)));
    const r = ok(reject(half, securityAdmin(), { now: at(2), reason: 'no', functionsOf }));
    expect(r.status).toBe('REJECTED');
    expect(approve(r, securityAdmin('sec-2'), approveOpts(3))).toMatchObject({ ok: false, error: { reason: 'NOT_PENDING' } });
  });

  it('only the requester cancels', () => {
    const c = pending();
    expect(cancel(c, engineer('eng-2'), { now: at(1) })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', reason: 'NOT_REQUESTER' },
    });
    expect(cancel(c, engineer('eng-1', { tenant: 'globex' }), { now: at(1) })).toMatchObject({
      ok: false,
      error: { reason: 'WRONG_TENANT' },
    });
    expect(ok(cancel(c, engineer('eng-1'), { now: at(1) }))).toMatchObject({
      status: 'CANCELLED',
      cancellation: { sub: 'eng-1', at: at(1) },
    });
  });

  it('expire only after the time to live', () => {
    const c = pending({ ttlMs: 60_000 });
    expect(expire(c, at(0.5))).toMatchObject({ ok: false, error: { reason: 'NOT_EXPIRED' } });
    expect(ok(expire(c, at(1)))).toMatchObject({ status: 'EXPIRED', expiredAt: at(1) });
    expect(cancel(c, engineer('eng-1'), { now: at(2) })).toMatchObject({
      ok: false,
      error: { reason: 'EXPIRED' },
      next: { status: 'EXPIRED' },
    });
  });

  it('supersede only when the version moved', () => {
    expect(supersede(pending(), 3, at(1))).toMatchObject({ ok: false, error: { reason: 'NOT_STALE' } });
    expect(ok(supersede(pending(), 5, at(1)))).toMatchObject({ status: 'SUPERSEDED', superseded: { currentVersion: 5 } });
  });

  it('markFailed records the reason', () => {
    expect(markFailed(pending(), { reason: '', now: at(1) })).toMatchObject({ ok: false, error: { reason: 'REASON_REQUIRED' } });
    expect(ok(markFailed(pending(), { reason: 'store write failed', now: at(1) }))).toMatchObject({
      status: 'FAILED',
      failure: { reason: 'store write failed' },
    });
  });

  it('every transition audits', () => {
    const r = approve(pending(), engineer('eng-2'), approveOpts(1));
    expect(r.ok && r.effects).toEqual([
      {
        type: 'audit',
        action: 'change.approved',
        changeId: 'chg-1',
        tenant: 'acme',
        environment: 'PRODUCTION',
        actor: 'eng-2',
        at: at(1),
        detail: { roleUsed: 'integration-engineer', functions: ['technical'], remaining: 1, mfa: true },
      },
    ]);
  });
});
