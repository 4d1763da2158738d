import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { APPROVE, UPDATE_SETTING, actors, ok, refused, type Change, type ChangeResult } from './governance-operations.js';

// Issue 13 item 9, over HTTP: an approved STAGING-only assignment adds a role in STAGING and takes nothing away; a
// role the store assigns counts even when the IdP's token does not carry it, where the assignment says, and
// `explain` answers what the action then does.

const DENNIS = '0ac13d55-d566-450a-aea0-f6a71f1ad73b';
const ASSIGN = `mutation ($input: AssignRoleInput!) { assignRole(input: $input) { status changeRequest { id status } } }`;
const EXPLAIN = `query ($a: String!, $e: Environment) { explain(action: $a, environment: $e) { decision } }`;

let h: Harness;
let t: Record<'sec1' | 'sec2' | 'bm' | 'eng', string>;

beforeAll(async () => {
  h = await startHarness();
  t = await actors(h, {
    sec1: { roles: ['security-admin'], mfa: true },
    sec2: { roles: ['security-admin'], mfa: true },
    bm: { roles: ['billing-manager'], mfa: true },
    eng: { roles: ['integration-engineer'], mfa: true },
  });
});
afterAll(() => h.stop());

async function assign(assignee: string, role: string, approvers: string[]): Promise<void> {
  const r = ok(await h.gql<{ assignRole: { status: string; changeRequest: Change } }>(t.sec1, ASSIGN, {
    input: { assignee, assignedRole: role, environments: ['STAGING'], reason: 'staging rota' },
  })).assignRole;
  let status = r.changeRequest.status;
  for (const approver of approvers) {
    if (status === 'APPLIED') break;
    status = ok(await h.gql<{ approveChange: Change }>(approver, APPROVE, { id: r.changeRequest.id })).approveChange.status;
  }
  expect(status).toBe('APPLIED');
}

describe('an assignment adds, never locks out', () => {
  it('a nurse with an approved STAGING-only billing-manager assignment keeps her nurse role and her reads', async () => {
    await assign('nina', 'billing-manager', [t.sec2, t.bm]);
    const nina = await h.token({ sub: 'nina', roles: ['nurse'], departments: ['cardiology'] });
    expect(ok(await h.gql<{ me: { roles: string[] } }>(nina, '{ me { roles } }')).me.roles).toEqual(['nurse']);
    const r = ok(
      await h.gql<{ patient: { medications: unknown[] } | null }>(nina, `query ($id: ID!) { patient(id: $id) { medications { id } } }`, {
        id: DENNIS,
      }),
    );
    expect(r.patient).not.toBeNull();
    // The billing role counts where it was assigned: STAGING billing settings, not PRODUCTION ones.
    const staging = ok(
      await h.gql<{ updateSetting: ChangeResult }>(nina, UPDATE_SETTING, {
        input: { key: 'billing.reminderCadenceDays', environment: 'STAGING', value: [5, 10], reason: 'try' },
      }),
    );
    expect(staging.updateSetting.status).toBe('APPLIED');
    refused(
      await h.gql(nina, UPDATE_SETTING, {
        input: { key: 'billing.reminderCadenceDays', environment: 'PRODUCTION', value: [5, 10], reason: 'try' },
      }),
      'FORBIDDEN',
      'ROLE_NOT_IN_ENVIRONMENT',
    );
  });

  it('a STAGING-only integration-engineer assignment works on STAGING settings for a token without the role, and explain ' +
    'agrees', async () => {
    await assign('ian', 'integration-engineer', [t.sec2, t.eng]);
    const ian = await h.token({ sub: 'ian', roles: ['support'], mfa: true });
    const action = 'setting:update:integration.ehr.scopes';
    expect(ok(await h.gql<{ explain: { decision: string } }>(ian, EXPLAIN, { a: action, e: 'STAGING' })).explain.decision).not.toBe('DENY');
    const done = ok(await h.gql<{ updateSetting: ChangeResult }>(ian, UPDATE_SETTING, {
      input: { key: 'integration.ehr.scopes', environment: 'STAGING', value: ['system/DocumentReference.cu'], reason: 'staging test' },
    }));
    expect(['APPLIED', 'PENDING_APPROVAL']).toContain(done.updateSetting.status);
    expect(ok(await h.gql<{ explain: { decision: string } }>(ian, EXPLAIN, { a: action, e: 'PRODUCTION' })).explain.decision).toBe('DENY');
    refused(
      await h.gql(ian, UPDATE_SETTING, {
        input: { key: 'integration.ehr.scopes', environment: 'PRODUCTION', value: ['system/DocumentReference.cu'], reason: 'x' },
      }),
      'FORBIDDEN',
      'ROLE_NOT_IN_ENVIRONMENT',
    );
  });

  // A tester's finding: revokeRole by a non-editor answered NOT_FOUND ("holds no active ...") for a person without the
  // role and FORBIDDEN for one with it, telling anyone who holds stored roles. The editor check now comes first.
  it('revokeRole by a non-editor is FORBIDDEN whether or not the person holds the role; an editor learns NOT_FOUND', async () => {
    await assign('nora', 'billing-manager', [t.sec2, t.bm]);
    const cadm = await h.token({ sub: 'cadm-rev', roles: ['clinical-admin'], mfa: true });
    const REVOKE = 'mutation ($a: String!, $r: String) { revokeRole(assignee: $a, assignedRole: $r, reason: "left") { status } }';
    for (const [assignee, role] of [['nora', 'billing-manager'], ['nora', 'clinician'], ['nobody-here', 'billing-manager']]) {
      refused(await h.gql(cadm, REVOKE, { a: assignee, r: role }), 'FORBIDDEN', 'NOT_AN_EDITOR');
    }
    refused(await h.gql(t.sec1, REVOKE, { a: 'nobody-here', r: 'billing-manager' }), 'NOT_FOUND');
  });

  // A tester's finding: a person whose only role the store confines to STAGING was refused requestAccess with "access
  // request of bob in PRODUCTION may be changed by: <every role>" and offered a request for security-admin (refused the
  // same). Every kind of request (a role, a grant, a permission) and explain now say an assignment is what helps.
  it('requestAccess by a person with no role in PRODUCTION says to ask for an assignment and offers no request', async () => {
    await assign('bea', 'billing-manager', [t.sec2, t.bm]);
    const bea = await h.token({ sub: 'bea', roles: ['billing-manager'] });
    const REQUEST = 'mutation ($i: RequestAccessInput!) { requestAccess(input: $i) { status } }';
    for (const want of [{ requestedRole: 'billing-manager' }, { requestedRole: 'front-desk' }, { requestedGrant: 'sensitive' }]) {
      const e = refused(await h.gql(bea, REQUEST, { i: { ...want, justification: 'month end', durationMinutes: 60 } }), 'FORBIDDEN');
      expect(e.extensions?.reason, e.message).toBe('ROLE_NOT_IN_ENVIRONMENT');
      expect(e.message).toMatch(/billing-manager \(STAGING only\) does not\. Ask security to assign you one for PRODUCTION \(assignRole\)/);
      expect(e.extensions?.requestAccess).toBeNull();
    }
    const explained = await h.gql<{ explain: { decision: string; reason: string; message: string; requestAccess: unknown } }>(
      bea,
      'query { explain(action: "access:request:billing-manager") { decision reason message requestAccess { requestedRole } } }',
    );
    expect(ok(explained).explain).toMatchObject({ decision: 'DENY', reason: 'ROLE_NOT_IN_ENVIRONMENT', requestAccess: null });
    expect(ok(explained).explain.message).toMatch(/Ask security to assign you one for PRODUCTION/);
    // A token with no role the policy knows: NOT_AN_EDITOR, the same advice.
    const none = await h.token({ sub: 'no-role-yet', roles: [] });
    const i = { requestedRole: 'support', justification: 'new', durationMinutes: 60 };
    const e = refused(await h.gql(none, REQUEST, { i }), 'FORBIDDEN');
    expect(e.extensions).toMatchObject({ reason: 'NOT_AN_EDITOR', requestAccess: null });
    expect(e.message).toMatch(/you hold none\. Ask security to assign you one for PRODUCTION/);
    // Nor does a data denial offer them a request (it offered front-desk, a request refused as above).
    await assign('ivy', 'integration-engineer', [t.sec2, t.eng]);
    const ivy = await h.token({ sub: 'ivy', roles: ['integration-engineer'] });
    const read = refused(await h.gql(ivy, 'query ($id: ID!) { patient(id: $id) { name } }', { id: DENNIS }), 'FORBIDDEN');
    expect(read.extensions).toMatchObject({ failedScope: 'role', requestAccess: null });
    expect(read.extensions?.howToGet).toMatch(/you cannot request access: ask security to assign you a role/);
  });

  // A tester's finding: a STAGING-only integration-engineer, who changes STAGING settings, could not stop a STAGING
  // connector (NOT_ALLOWED_TO_STOP, "may be stopped by: ..., integration-engineer"): a stop asks the roles that count in
  // its environment, and elsewhere says ROLE_NOT_IN_ENVIRONMENT, as explain does.
  it('a STAGING-only stop role stops in STAGING and is ROLE_NOT_IN_ENVIRONMENT in PRODUCTION, explain agreeing', async () => {
    await assign('ines', 'integration-engineer', [t.sec2, t.eng]);
    const ines = await h.token({ sub: 'ines', roles: ['integration-engineer'], mfa: true });
    const STOP = 'mutation ($e: Environment!) { emergencyStop(target: "connector:ehr", environment: $e, reason: "bad data") { target } }';
    const EXPLAIN_STOP = 'query ($e: Environment) { explain(action: "stop:connector:ehr", environment: $e) { decision reason } }';
    expect(ok<{ explain: { decision: string } }>(await h.gql(ines, EXPLAIN_STOP, { e: 'STAGING' })).explain.decision).toBe('ALLOW');
    expect(ok<{ emergencyStop: { target: string } }>(await h.gql(ines, STOP, { e: 'STAGING' })).emergencyStop.target).toBe('connector:ehr');
    refused(await h.gql(ines, STOP, { e: 'PRODUCTION' }), 'FORBIDDEN', 'ROLE_NOT_IN_ENVIRONMENT');
    expect(ok<{ explain: unknown }>(await h.gql(ines, EXPLAIN_STOP, { e: 'PRODUCTION' })).explain).toEqual({
      decision: 'DENY',
      reason: 'ROLE_NOT_IN_ENVIRONMENT',
    });
  });

  // The README's promise: the refusal and explain both say `failedScope: environment`, proposing and approving.
  it('ROLE_NOT_IN_ENVIRONMENT fails on the environment, in the error and in explain, proposing and approving', async () => {
    await assign('iris', 'integration-engineer', [t.sec2, t.eng]);
    const iris = await h.token({ sub: 'iris', roles: ['support'], mfa: true });
    const input = { key: 'integration.ehr.scopes', environment: 'PRODUCTION', value: ['system/Patient.r'], reason: 'prod scopes' };
    const proposed = refused(await h.gql(iris, UPDATE_SETTING, { input }), 'FORBIDDEN', 'ROLE_NOT_IN_ENVIRONMENT');
    expect(proposed.extensions?.failedScope).toBe('environment');
    const explainedEdit = await h.gql<{ explain: { decision: string; failedScope: string } }>(
      iris,
      'query ($a: String!, $e: Environment) { explain(action: $a, environment: $e) { decision failedScope } }',
      { a: 'setting:update:integration.ehr.scopes', e: 'PRODUCTION' },
    );
    expect(ok(explainedEdit).explain).toEqual({ decision: 'DENY', failedScope: 'environment' });

    const change = ok(await h.gql<{ updateSetting: ChangeResult }>(t.eng, UPDATE_SETTING, { input })).updateSetting.changeRequest!;
    const approving = refused(await h.gql(iris, APPROVE, { id: change.id }), 'FORBIDDEN', 'ROLE_NOT_IN_ENVIRONMENT');
    expect(approving.extensions?.failedScope).toBe('environment');
    const explainedApproval = await h.gql<{ explain: { decision: string; reason: string; failedScope: string } }>(
      iris,
      'query ($a: String!) { explain(action: $a) { decision reason failedScope } }',
      { a: `change:approve:${change.id}` },
    );
    expect(ok(explainedApproval).explain).toEqual({ decision: 'DENY', reason: 'ROLE_NOT_IN_ENVIRONMENT', failedScope: 'environment' });
  });
});
