import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { APPROVE, EMERGENCY_STOP, RESUME, actors, ok, refused, type Change, type ChangeResult } from './governance-operations.js';

// Emergency stop: immediate for the roles allowed to, with a reason; resuming is a governed change.

const STATES = `query($environment: Environment!) { stopStates(environment: $environment) { target environment stopped reason stoppedBy ` +
  `stoppedAt version pendingResume { id } } }`;
const STATE = `query($target: String!, $environment: Environment!) { stopState(target: $target, environment: $environment) { target ` +
  `stopped reason stoppedBy version pendingResume { id status } } }`;

let h: Harness;
let t: Record<'eng1' | 'eng2' | 'sec1' | 'bill1' | 'ops1' | 'support' | 'frontDesk' | 'globexSec', string>;

beforeAll(async () => {
  h = await startHarness();
  t = await actors(h, {
    eng1: { roles: ['integration-engineer'], mfa: true },
    eng2: { roles: ['integration-engineer'], mfa: true },
    sec1: { roles: ['security-admin'], mfa: true },
    bill1: { roles: ['billing-manager'], mfa: true },
    ops1: { roles: ['ops-manager'] },
    support: { roles: ['support'] },
    frontDesk: { roles: ['front-desk'] },
    globexSec: { roles: ['security-admin'], mfa: true, tenant: 'globex' },
  });
});
afterAll(() => h.stop());

const stop = (token: string, target: string, environment: string, reason: string) =>
  h.gql<{ emergencyStop: Record<string, unknown> }>(token, EMERGENCY_STOP, { target, environment, reason });
const stateOf = async (token: string, target: string, environment: string) =>
  ok(
    await h.gql<{
      stopState: { stopped: boolean; reason: string | null; version: number; pendingResume: { id: string; status: string } | null };
    }>(token, STATE, { target, environment }),
  ).stopState;

describe('emergency stop', () => {
  it('an allowed role stops at once, with the reason, and everyone with configuration read sees it', async () => {
    const r = ok(await stop(t.eng1, 'connector:ehr', 'PRODUCTION', 'Write-back loop creating duplicate notes')).emergencyStop;
    expect(r).toMatchObject({
      target: 'connector:ehr',
      environment: 'PRODUCTION',
      stopped: true,
      reason: 'Write-back loop creating duplicate notes',
      stoppedBy: 'eng1',
      version: 1,
    });
    expect(r.stoppedAt).toEqual(expect.any(String));
    const states = ok(await h.gql<{ stopStates: Record<string, unknown>[] }>(t.support, STATES, { environment: 'PRODUCTION' })).stopStates;
    expect(states).toEqual([{ ...r, pendingResume: null }]);
    expect(ok(await h.gql<{ stopStates: unknown[] }>(t.support, STATES, { environment: 'STAGING' })).stopStates).toEqual([]);
    expect(ok(await h.gql<{ stopStates: unknown[] }>(t.globexSec, STATES, { environment: 'PRODUCTION' })).stopStates).toEqual([]);
  });

  it('stopping what is already stopped is a CONFLICT', async () => {
    refused(await stop(t.sec1, 'connector:ehr', 'PRODUCTION', 'again'), 'CONFLICT', 'ALREADY_STOPPED');
  });

  it('a role that may not stop this target is FORBIDDEN (NOT_ALLOWED_TO_STOP); no configuration read at all is FORBIDDEN by the ' +
    'shield', async () => {
    const e = refused(await stop(t.bill1, 'connector:ehr', 'STAGING', 'not mine'), 'FORBIDDEN', 'NOT_ALLOWED_TO_STOP');
    expect(e.message).toContain('integration-engineer');
    refused(await stop(t.support, 'automation:billing', 'STAGING', 'read-only'), 'FORBIDDEN', 'NOT_ALLOWED_TO_STOP');
    const shield = refused(await stop(t.frontDesk, 'connector:ehr', 'STAGING', 'x'), 'FORBIDDEN');
    expect(shield.extensions).toMatchObject({ dataClass: 'configuration' });
    expect((await stateOf(t.support, 'connector:ehr', 'STAGING')).stopped).toBe(false);
    // but billing may stop billing automation
    expect(ok(await stop(t.bill1, 'automation:billing', 'STAGING', 'Refund run misfiring')).emergencyStop).toMatchObject({
      stopped: true,
      target: 'automation:billing',
    });
  });

  it('a stop needs a reason (BAD_USER_INPUT) and a well-formed target', async () => {
    const blank = refused(await stop(t.eng1, 'connector:ehr', 'STAGING', '  '), 'BAD_USER_INPUT', 'REASON_REQUIRED');
    expect(blank.extensions?.problems).toEqual([{ path: 'reason', message: expect.stringContaining('required') }]);
    refused(await h.gql(t.eng1, `mutation { emergencyStop(target: "connector:ehr", environment: STAGING) { stopped } }`), 'BAD_USER_INPUT');
    const bad = refused(await stop(t.eng1, 'connector:EHR!', 'STAGING', 'x'), 'BAD_USER_INPUT', 'INVALID_INPUT');
    expect(bad.extensions?.problems).toEqual([{ path: 'target', message: expect.any(String) }]);
    refused(await h.gql(t.support, STATE, { target: 'printer:1', environment: 'STAGING' }), 'BAD_USER_INPUT', 'INVALID_INPUT');
    expect((await stateOf(t.support, 'connector:ehr', 'STAGING')).stopped).toBe(false);
  });
});

describe('resume', () => {
  it('is a governed change: PENDING in production, the target stays stopped until approved', async () => {
    const r = ok(
      await h.gql<{ resume: ChangeResult }>(t.eng1, RESUME, {
        target: 'connector:ehr',
        environment: 'PRODUCTION',
        reason: 'Loop fixed in 2.3.1',
        ticket: 'INC-88',
      }),
    ).resume;
    expect(r).toMatchObject({
      status: 'PENDING_APPROVAL',
      version: null,
      setting: null,
      stopState: { target: 'connector:ehr', stopped: true, version: 1 },
    });
    const c = r.changeRequest;
    expect(c).toMatchObject({
      status: 'PENDING',
      risk: 'HIGH',
      category: 'INTEGRATION',
      targetType: 'EMERGENCY_RESUME',
      target: 'stop:connector:ehr',
      key: null,
      stopTarget: 'connector:ehr',
      baseVersion: 1,
      after: { stopped: false },
      requirement: { requiredApprovals: 2, distinctFunctions: true, ownerFunctionRequired: true, mfaRequired: true },
    });
    expect(c.diff).toContainEqual({ path: '/stopped', op: 'REPLACE', before: true, after: false });
    expect((await stateOf(t.support, 'connector:ehr', 'PRODUCTION')).pendingResume).toEqual({ id: c.id, status: 'PENDING' });

    refused(await h.gql(t.eng1, APPROVE, { id: c.id }), 'FORBIDDEN', 'SELF_APPROVAL');
    ok(await h.gql(t.eng2, APPROVE, { id: c.id }));
    expect((await stateOf(t.support, 'connector:ehr', 'PRODUCTION')).stopped).toBe(true);
    const done = ok(await h.gql<{ approveChange: Change }>(t.sec1, APPROVE, { id: c.id })).approveChange;
    expect(done).toMatchObject({ status: 'APPLIED', appliedVersion: 2 });
    expect(await stateOf(t.support, 'connector:ehr', 'PRODUCTION')).toMatchObject({
      stopped: false,
      reason: null,
      version: 2,
      pendingResume: null,
    });
  });

  it('resuming what is not stopped is a CONFLICT; a role that may not stop it may not resume it', async () => {
    refused(await h.gql(t.eng1, RESUME, { target: 'connector:ehr', environment: 'PRODUCTION', reason: 'x' }), 'CONFLICT', 'NOT_STOPPED');
    refused(
      await h.gql(t.ops1, RESUME, { target: 'automation:billing', environment: 'STAGING', reason: 'x' }),
      'FORBIDDEN',
      'NOT_AN_EDITOR',
    );
  });

  it('in staging (MEDIUM) the resume applies at once', async () => {
    const r = ok(
      await h.gql<{ resume: ChangeResult }>(t.bill1, RESUME, { target: 'automation:billing', environment: 'STAGING', reason: 'Fixed' }),
    ).resume;
    expect(r).toMatchObject({
      status: 'APPLIED',
      version: 2,
      stopState: { stopped: false, version: 2 },
      changeRequest: { risk: 'MEDIUM', category: 'BILLING_AUTOMATION' },
    });
  });
});
