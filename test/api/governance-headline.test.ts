import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import {
  APPROVE,
  CHANGE_REQUEST,
  HISTORY,
  SET_WRITE_BACK,
  SETTING,
  UPDATE_SETTING,
  actors,
  ok,
  refused,
  type Change,
  type ChangeResult,
} from './governance-operations.js';

// The headline scenario of the issue, entirely through GraphQL over HTTP against the real gateway (in-memory store):
// enabling EHR write-back in production does not execute; it waits for two approvers of two functions, one of them
// the owner function, none of them the requester, each with MFA; then it applies exactly once, with its trail.

const KEY = 'integration.ehr.writeBackEnabled';

let h: Harness;
let t: Record<'eng1' | 'eng2' | 'eng3' | 'sec1' | 'sec2' | 'ca1' | 'ca2', string>;

beforeAll(async () => {
  h = await startHarness();
  t = await actors(h, {
    eng1: { roles: ['integration-engineer'], mfa: true },
    eng2: { roles: ['integration-engineer'], mfa: true },
    eng3: { roles: ['integration-engineer'], mfa: true },
    sec1: { roles: ['security-admin'], mfa: false },
    sec2: { roles: ['security-admin'], mfa: true },
    ca1: { roles: ['clinical-admin'], mfa: true },
    ca2: { roles: ['clinical-admin'] },
  });
});
afterAll(() => h.stop());

const changeAs = async (token: string, id: string) =>
  ok(await h.gql<{ changeRequest: Change }>(token, CHANGE_REQUEST, { id })).changeRequest;

describe('headline: EHR write-back in production', () => {
  let id = '';

  it('the integration engineer asks: PENDING_APPROVAL with the exact diff, the requirement and who may approve', async () => {
    const r = await h.gql<{ setWriteBack: ChangeResult }>(t.eng1, SET_WRITE_BACK, {
      connectorId: 'ehr', environment: 'PRODUCTION', enabled: true, reason: 'Go-live of note write-back', ticket: 'CHG-1042',
    });
    const result = ok(r).setWriteBack;
    expect(result.status).toBe('PENDING_APPROVAL');
    expect(result.version).toBeNull();
    // Nothing executed: the setting is still off, at version 0, with this change pending on it.
    expect(result.setting).toEqual({
      key: KEY,
      environment: 'PRODUCTION',
      value: false,
      version: 0,
      updatedBy: null,
      pendingChange: { id: result.changeRequest.id },
    });
    const c = result.changeRequest;
    id = c.id;
    expect(c).toMatchObject({
      status: 'PENDING',
      environment: 'PRODUCTION',
      category: 'INTEGRATION',
      ownerFunction: 'technical',
      risk: 'HIGH',
      target: `setting:${KEY}`,
      targetType: 'SETTING',
      key: KEY,
      stopTarget: null,
      origin: { type: 'DIRECT', toVersion: null, fromEnvironment: null, fromVersion: null },
      requester: { sub: 'eng1', roles: ['integration-engineer'], functions: ['technical'], kind: 'USER' },
      reason: 'Go-live of note write-back',
      ticket: 'CHG-1042',
      baseVersion: 0,
      before: false,
      after: true,
      diff: [{ path: '', op: 'REPLACE', before: false, after: true }],
      requirement: {
        requiredApprovals: 2,
        distinctFunctions: true,
        ownerFunctionRequired: true,
        mfaRequired: true,
        requiredFunction: null,
      },
      approverFunctions: ['technical', 'security'],
      approvals: [],
      approvalStatus: { satisfied: false, remaining: 2, stillNeededFrom: ['technical', 'security'] },
      appliedVersion: null,
      rejection: null,
    });
    expect(c.approvalStatus.summary).toBe('needs 2 more from: technical or security (each from a different function, with MFA)');
    // Production changes wait three days at most.
    expect(Date.parse(c.expiresAt as string) - Date.parse(c.createdAt as string)).toBe(3 * 24 * 60 * 60 * 1000);
  });

  it('the requester cannot approve: the API says so without trying, and approving is FORBIDDEN (SELF_APPROVAL)', async () => {
    const c = await changeAs(t.eng1, id);
    expect(c).toMatchObject({ viewerCanApprove: false, viewerCannotApproveCode: 'SELF_APPROVAL' });
    expect(c.viewerCannotApproveReason).toMatch(/someone else must approve/);
    refused(await h.gql(t.eng1, APPROVE, { id }), 'FORBIDDEN', 'SELF_APPROVAL');
    expect((await changeAs(t.eng2, id)).approvals).toEqual([]);
  });

  it('a second integration engineer approves: still PENDING, and the status says what is still needed', async () => {
    expect(await changeAs(t.eng2, id)).toMatchObject({
      viewerCanApprove: true,
      viewerCannotApproveCode: null,
      viewerCannotApproveReason: null,
    });
    const c = ok(await h.gql<{ approveChange: Change }>(t.eng2, APPROVE, { id, comment: 'Mappings reviewed' })).approveChange;
    expect(c.status).toBe('PENDING');
    expect(c.approvals).toMatchObject([
      { sub: 'eng2', roleUsed: 'integration-engineer', functions: ['technical'], mfa: true, comment: 'Mappings reviewed' },
    ]);
    expect(c.approvalStatus).toEqual({
      satisfied: false,
      remaining: 1,
      stillNeededFrom: ['security'],
      summary: 'needs 1 more from: security (with MFA)',
    });
    // Approving is idempotent for nobody: the same approver again is a conflict.
    refused(await h.gql(t.eng2, APPROVE, { id }), 'CONFLICT', 'ALREADY_APPROVED');
  });

  it('a third engineer would not count (technical has approved): SAME_FUNCTION, asked and tried', async () => {
    const c = await changeAs(t.eng3, id);
    expect(c).toMatchObject({ viewerCanApprove: false, viewerCannotApproveCode: 'SAME_FUNCTION' });
    expect(c.viewerCannotApproveReason).toContain('needs 1 more from: security');
    refused(await h.gql(t.eng3, APPROVE, { id }), 'FORBIDDEN', 'SAME_FUNCTION');
  });

  it('a security admin without MFA is FORBIDDEN (MFA_REQUIRED); the API says why before they try', async () => {
    const c = await changeAs(t.sec1, id);
    expect(c).toMatchObject({ viewerCanApprove: false, viewerCannotApproveCode: 'MFA_REQUIRED' });
    expect(c.viewerCannotApproveReason).toMatch(/MFA/);
    const e = refused(await h.gql(t.sec1, APPROVE, { id }), 'FORBIDDEN', 'MFA_REQUIRED');
    expect(e.message).toMatch(/MFA/);
  });

  it('with MFA the security admin completes it: APPLIED at version 1, once', async () => {
    expect((await changeAs(t.sec2, id)).viewerCanApprove).toBe(true);
    const c = ok(await h.gql<{ approveChange: Change }>(t.sec2, APPROVE, { id, comment: 'OK for go-live' })).approveChange;
    expect(c).toMatchObject({
      status: 'APPLIED',
      appliedVersion: 1,
      approvalStatus: { satisfied: true, remaining: 0, stillNeededFrom: [], summary: 'approved: 2 of 2' },
    });
    expect(c.approvedAt).toBeTruthy();
    expect(c.appliedAt).toBeTruthy();
    expect(c.viewerCanApprove).toBe(false);
    expect(c.viewerCannotApproveCode).toBe('NOT_PENDING');
  });

  it('the setting is on at version 1 in production only; history and change request keep the approval trail', async () => {
    const prod = ok(await h.gql<{ setting: Record<string, unknown> }>(t.sec2, SETTING, { key: KEY, environment: 'PRODUCTION' })).setting;
    expect(prod).toMatchObject({
      key: KEY,
      value: true,
      version: 1,
      updatedBy: 'eng1',
      risk: 'HIGH',
      category: 'INTEGRATION',
      pendingChange: null,
      pendingChanges: [],
    });
    const staging = ok(await h.gql<{ setting: Record<string, unknown> }>(t.sec2, SETTING, { key: KEY, environment: 'STAGING' })).setting;
    expect(staging).toMatchObject({ value: false, version: 0, risk: 'HIGH' });

    const history = ok(
      await h.gql<{ settingHistory: Record<string, unknown>[] }>(t.sec2, HISTORY, { key: KEY, environment: 'PRODUCTION' }),
    ).settingHistory;
    expect(history).toEqual([
      {
        key: KEY,
        environment: 'PRODUCTION',
        version: 1,
        value: true,
        changedBy: 'eng1',
        changeId: id,
        at: expect.any(String),
        reason: 'Go-live of note write-back',
      },
    ]);
    const trail = await changeAs(t.sec2, history[0]!.changeId as string);
    expect(trail.approvals.map((a) => [a.sub, a.roleUsed, a.functions, a.mfa])).toEqual([
      ['eng2', 'integration-engineer', ['technical'], true],
      ['sec2', 'security-admin', ['security'], true],
    ]);
    expect(trail.requester).toMatchObject({ sub: 'eng1' });
  });

  it('approving after apply is a CONFLICT (NOT_PENDING) and changes nothing', async () => {
    const other = await h.token({ sub: 'sec3', roles: ['security-admin'], mfa: true });
    refused(await h.gql(other, APPROVE, { id }), 'CONFLICT', 'NOT_PENDING');
    const prod = ok(await h.gql<{ setting: { version: number } }>(other, SETTING, { key: KEY, environment: 'PRODUCTION' })).setting;
    expect(prod.version).toBe(1);
    expect((await changeAs(other, id)).approvals).toHaveLength(2);
  });
});

describe('the same rules in staging', () => {
  it('write-back in staging needs one approver other than the requester (HIGH in staging too)', async () => {
    const r = ok(
      await h.gql<{ setWriteBack: ChangeResult }>(t.eng1, SET_WRITE_BACK, {
        connectorId: 'ehr',
        environment: 'STAGING',
        enabled: true,
        reason: 'Test write-back',
      }),
    ).setWriteBack;
    expect(r.status).toBe('PENDING_APPROVAL');
    expect(r.changeRequest).toMatchObject({ risk: 'HIGH', requirement: { requiredApprovals: 1, mfaRequired: false } });
    refused(await h.gql(t.eng1, APPROVE, { id: r.changeRequest.id }), 'FORBIDDEN', 'SELF_APPROVAL');
    const done = ok(await h.gql<{ approveChange: Change }>(t.eng2, APPROVE, { id: r.changeRequest.id })).approveChange;
    expect(done).toMatchObject({ status: 'APPLIED', appliedVersion: 1 });
    expect(done.approvals).toHaveLength(1);
  });

  it('a HIGH change in staging needs exactly one approver other than the requester, MFA not required', async () => {
    const value = { level: 'act-with-approval', allowedActions: ['create-task'] };
    const r = ok(
      await h.gql<{ updateSetting: ChangeResult }>(t.ca1, UPDATE_SETTING, {
        input: { key: 'ai.agentAutonomy', environment: 'STAGING', value, reason: 'Pilot tasks' },
      }),
    ).updateSetting;
    expect(r.status).toBe('PENDING_APPROVAL');
    const c = r.changeRequest;
    expect(c).toMatchObject({
      risk: 'HIGH',
      category: 'AI_BEHAVIOR',
      requirement: { requiredApprovals: 1, distinctFunctions: false, ownerFunctionRequired: false, mfaRequired: false },
    });
    expect(c.approvalStatus.summary).toBe('needs 1 more from: clinical or technical or security');
    refused(await h.gql(t.ca1, APPROVE, { id: c.id }), 'FORBIDDEN', 'SELF_APPROVAL');
    const done = ok(await h.gql<{ approveChange: Change }>(t.ca2, APPROVE, { id: c.id })).approveChange;
    expect(done).toMatchObject({ status: 'APPLIED', appliedVersion: 1, approvals: [{ sub: 'ca2', mfa: false }] });
    const s = ok(
      await h.gql<{ setting: { value: unknown; version: number } }>(t.ca2, SETTING, { key: 'ai.agentAutonomy', environment: 'STAGING' }),
    ).setting;
    expect(s).toMatchObject({ value, version: 1 });
  });
});
