import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import {
  APPROVE, CANCEL, CHANGE_REQUEST, REJECT, SET_WRITE_BACK, SETTING, UPDATE_SETTING, actors, ok, refused, type Change, type ChangeResult,
} from './governance-operations.js';

// Every rule of governed changes, at the API: who may propose, approve, reject and cancel; stale versions; tenants;
// values and reasons; who may read configuration at all. Refusals are typed errors with a stable reason, and a
// refused action changes nothing.

let h: Harness;
let t: Record<
  | 'eng1' | 'eng2' | 'sec1' | 'bill1' | 'bill2' | 'ops1' | 'ca1' | 'auditor' | 'support' | 'frontDesk' | 'marketing' | 'clinician'
  | 'globexSec',
  string
>;

beforeAll(async () => {
  h = await startHarness();
  t = await actors(h, {
    eng1: { roles: ['integration-engineer'], mfa: true },
    eng2: { roles: ['integration-engineer'], mfa: true },
    sec1: { roles: ['security-admin'], mfa: true },
    bill1: { roles: ['billing-manager'], mfa: true },
    bill2: { roles: ['billing-manager'], mfa: true },
    ops1: { roles: ['ops-manager'], mfa: true },
    ca1: { roles: ['clinical-admin'], mfa: true },
    auditor: { roles: ['auditor'], mfa: true },
    support: { roles: ['support'] },
    frontDesk: { roles: ['front-desk'] },
    marketing: { roles: ['marketing-analyst'] },
    clinician: { roles: ['clinician'], mfa: true },
    globexSec: { roles: ['security-admin'], mfa: true, tenant: 'globex' },
  });
});
afterAll(() => h.stop());

const writeBack = async (token: string, environment = 'PRODUCTION', enabled = true) =>
  ok(await h.gql<{ setWriteBack: ChangeResult }>(token, SET_WRITE_BACK, { connectorId: 'ehr', environment, enabled, reason: 'rules test' }))
    .setWriteBack.changeRequest;
const update = (token: string, input: Record<string, unknown>) => h.gql<{ updateSetting: ChangeResult }>(token, UPDATE_SETTING, { input });
const changeAs = async (token: string, id: string) =>
  ok(await h.gql<{ changeRequest: Change | null }>(token, CHANGE_REQUEST, { id })).changeRequest;
const cancelAll = async (token: string, ids: string[]) => {
  for (const id of ids) ok(await h.gql(token, CANCEL, { id }));
};

describe('approvers', () => {
  it('an approver without the function is FORBIDDEN (NOT_AN_APPROVER): billing cannot approve an integration change', async () => {
    const c = await writeBack(t.eng1);
    const seen = await changeAs(t.bill1, c.id);
    expect(seen).toMatchObject({ viewerCanApprove: false, viewerCannotApproveCode: 'NOT_AN_APPROVER' });
    expect(seen!.viewerCannotApproveReason).toContain('technical, security');
    const e = refused(await h.gql(t.bill1, APPROVE, { id: c.id }), 'FORBIDDEN', 'NOT_AN_APPROVER');
    expect(e.message).toContain('technical, security');
    // compliance reads, it does not authorize
    refused(await h.gql(t.auditor, APPROVE, { id: c.id }), 'FORBIDDEN', 'NOT_AN_APPROVER');
    expect((await changeAs(t.sec1, c.id))!.approvals).toEqual([]);
    await cancelAll(t.eng1, [c.id]);
  });

  it('a replayed approval is refused (ALREADY_APPROVED) and counted once', async () => {
    const c = await writeBack(t.eng1);
    ok(await h.gql(t.eng2, APPROVE, { id: c.id }));
    refused(await h.gql(t.eng2, APPROVE, { id: c.id }), 'CONFLICT', 'ALREADY_APPROVED');
    const now = await changeAs(t.eng2, c.id);
    expect(now).toMatchObject({
      status: 'PENDING',
      viewerCanApprove: false,
      viewerCannotApproveCode: 'ALREADY_APPROVED',
      approvalStatus: { remaining: 1 },
    });
    expect(now!.approvals).toHaveLength(1);
    await cancelAll(t.eng1, [c.id]);
  });
});

describe('cancel and reject', () => {
  it('only the requester cancels (NOT_REQUESTER); the requester cancels to CANCELLED', async () => {
    const c = await writeBack(t.eng1);
    refused(await h.gql(t.eng2, CANCEL, { id: c.id }), 'FORBIDDEN', 'NOT_REQUESTER');
    refused(await h.gql(t.sec1, CANCEL, { id: c.id }), 'FORBIDDEN', 'NOT_REQUESTER');
    const done = ok(await h.gql<{ cancelChange: Change }>(t.eng1, CANCEL, { id: c.id })).cancelChange;
    expect(done).toMatchObject({ status: 'CANCELLED', cancellation: { sub: 'eng1' } });
    refused(await h.gql(t.eng2, APPROVE, { id: c.id }), 'CONFLICT', 'NOT_PENDING');
    refused(await h.gql(t.eng1, CANCEL, { id: c.id }), 'CONFLICT', 'NOT_PENDING');
  });

  it('reject needs a reason; a rejected change cannot be approved afterwards', async () => {
    const c = await writeBack(t.eng1);
    const blank = refused(await h.gql(t.sec1, REJECT, { id: c.id, reason: '   ' }), 'BAD_USER_INPUT', 'REASON_REQUIRED');
    expect(blank.extensions?.problems).toEqual([{ path: 'reason', message: 'is required to reject a change' }]);
    // No reason at all does not even reach the resolver.
    refused(await h.gql(t.sec1, `mutation($id: ID!) { rejectChange(id: $id) { id } }`, { id: c.id }), 'BAD_USER_INPUT');
    refused(await h.gql(t.eng1, REJECT, { id: c.id, reason: 'changed my mind' }), 'FORBIDDEN', 'SELF_REJECTION');
    refused(await h.gql(t.bill1, REJECT, { id: c.id, reason: 'no' }), 'FORBIDDEN', 'NOT_AN_APPROVER');

    const rejected = ok(
      await h.gql<{ rejectChange: Change }>(t.sec1, REJECT, { id: c.id, reason: 'Mappings not reviewed yet' }),
    ).rejectChange;
    expect(rejected).toMatchObject({
      status: 'REJECTED',
      rejection: { sub: 'sec1', functions: ['security'], reason: 'Mappings not reviewed yet' },
    });
    refused(await h.gql(t.eng2, APPROVE, { id: c.id }), 'CONFLICT', 'NOT_PENDING');
    const s = ok(
      await h.gql<{ setting: { value: unknown; version: number } }>(t.sec1, SETTING, {
        key: 'integration.ehr.writeBackEnabled',
        environment: 'PRODUCTION',
      }),
    ).setting;
    expect(s).toMatchObject({ value: false, version: 0 });
  });
});

describe('versions', () => {
  it('a stale expectedVersion is a CONFLICT (STALE_VERSION) and proposes nothing', async () => {
    const e = refused(
      await update(t.ops1, {
        key: 'messaging.officeHours',
        environment: 'STAGING',
        value: { timezone: 'UTC', weekly: [] },
        expectedVersion: 3,
      }),
      'CONFLICT',
      'STALE_VERSION',
    );
    expect(e.message).toContain('version 0');
    const applied = ok(
      await update(t.ops1, {
        key: 'messaging.officeHours',
        environment: 'STAGING',
        value: { timezone: 'UTC', weekly: [] },
        expectedVersion: 0,
      }),
    ).updateSetting;
    expect(applied).toMatchObject({ status: 'APPLIED', version: 1 });
    refused(
      await update(t.ops1, {
        key: 'messaging.officeHours',
        environment: 'STAGING',
        value: { timezone: 'Europe/Berlin', weekly: [] },
        expectedVersion: 0,
      }),
      'CONFLICT',
      'STALE_VERSION',
    );
  });

  it('two pending changes of one setting: applying the first supersedes the second at once (issue 13 item 12)', async () => {
    const key = 'billing.reminderCadenceDays';
    const first = ok(await update(t.bill1, { key, environment: 'PRODUCTION', value: [5, 10], reason: 'Shorter cadence' })).updateSetting
      .changeRequest;
    // Another requester's proposal competes (bill1's own newer proposal would replace the first: the test below).
    const second = ok(await update(t.bill2, { key, environment: 'PRODUCTION', value: [3, 6, 9], reason: 'Even shorter' })).updateSetting
      .changeRequest;
    expect([first.baseVersion, second.baseVersion]).toEqual([0, 0]);
    expect(first.requirement).toMatchObject({ requiredApprovals: 1, mfaRequired: false });
    const setting = ok(
      await h.gql<{ setting: { pendingChange: { id: string }; pendingChanges: { id: string }[] } }>(t.ops1, SETTING, {
        key,
        environment: 'PRODUCTION',
      }),
    ).setting;
    expect(setting.pendingChanges.map((c) => c.id).sort()).toEqual([first.id, second.id].sort());

    expect(ok(await h.gql<{ approveChange: Change }>(t.ops1, APPROVE, { id: first.id })).approveChange).toMatchObject({
      status: 'APPLIED',
      appliedVersion: 1,
    });
    // The second was computed against version 0: it left the queue in the commit that applied the first.
    expect(await changeAs(t.ops1, second.id)).toMatchObject({
      status: 'SUPERSEDED',
      superseded: { currentVersion: 1 },
      appliedVersion: null,
      viewerCanApprove: false,
    });
    const left = ok(
      await h.gql<{ setting: { pendingChanges: { id: string }[] } }>(t.ops1, SETTING, { key, environment: 'PRODUCTION' }),
    ).setting;
    expect(left.pendingChanges).toEqual([]);
    refused(await h.gql(t.ops1, APPROVE, { id: second.id }), 'CONFLICT', 'NOT_PENDING');
    const after = ok(
      await h.gql<{ setting: { value: unknown; version: number } }>(t.ops1, SETTING, { key, environment: 'PRODUCTION' }),
    ).setting;
    expect(after).toMatchObject({ value: [5, 10], version: 1 });
  });

  it('a requester\'s newer proposal replaces their open one: SUPERSEDED with replacedBy, out of the queue (issue 17)', async () => {
    const key = 'billing.reminderCadenceDays';
    const propose = async (value: number[]) =>
      ok(await update(t.bill1, { key, environment: 'PRODUCTION', value, reason: 'Cadence' })).updateSetting.changeRequest;
    const first = await propose([4, 8]);
    const second = await propose([4, 8, 12]);
    expect(await changeAs(t.ops1, first.id)).toMatchObject({
      status: 'SUPERSEDED',
      superseded: { currentVersion: 1, replacedBy: second.id },
      viewerCanApprove: false,
    });
    const queue = ok(
      await h.gql<{ setting: { pendingChanges: { id: string }[] } }>(t.ops1, SETTING, { key, environment: 'PRODUCTION' }),
    ).setting;
    expect(queue.pendingChanges.map((c) => c.id)).toEqual([second.id]);
    refused(await h.gql(t.ops1, APPROVE, { id: first.id }), 'CONFLICT', 'NOT_PENDING');
    refused(await h.gql(t.bill1, CANCEL, { id: first.id }), 'CONFLICT', 'NOT_PENDING');
  });
});

describe('tenants', () => {
  it('another tenant cannot see or approve a change: null for changeRequest, NOT_FOUND for approve/reject/cancel', async () => {
    const c = await writeBack(t.eng1);
    const r = await h.gql<{ changeRequest: Change | null }>(t.globexSec, CHANGE_REQUEST, { id: c.id });
    expect(r.body).toEqual({ data: { changeRequest: null } });
    refused(await h.gql(t.globexSec, APPROVE, { id: c.id }), 'NOT_FOUND');
    refused(await h.gql(t.globexSec, REJECT, { id: c.id, reason: 'no' }), 'NOT_FOUND');
    refused(await h.gql(t.globexSec, CANCEL, { id: c.id }), 'NOT_FOUND');
    const list = ok(await h.gql<{ changeRequests: { id: string }[] }>(t.globexSec, `{ changeRequests { id } }`)).changeRequests;
    expect(list).toEqual([]);
    const globexSetting = ok(
      await h.gql<{ setting: { pendingChange: unknown } }>(t.globexSec, SETTING, {
        key: 'integration.ehr.writeBackEnabled',
        environment: 'PRODUCTION',
      }),
    ).setting;
    expect(globexSetting.pendingChange).toBeNull();
    // And the change is untouched in its own tenant.
    expect(await changeAs(t.sec1, c.id)).toMatchObject({ status: 'PENDING', approvals: [] });
    await cancelAll(t.eng1, [c.id]);
  });
});

describe('input', () => {
  it('a bad value is BAD_USER_INPUT naming the field', async () => {
    const e = refused(
      await update(t.ca1, { key: 'ai.safetyThreshold', environment: 'STAGING', value: { threshold: 2 }, reason: 'x' }),
      'BAD_USER_INPUT',
      'INVALID_VALUE',
    );
    expect(e.extensions?.problems).toEqual([{ path: 'value.threshold', message: 'must be between 0 and 1' }]);
    expect(e.message).toBe('value.threshold: must be between 0 and 1');
    const nested = refused(
      await update(t.ops1, {
        key: 'messaging.officeHours',
        environment: 'PRODUCTION',
        value: { timezone: 'UTC', weekly: [{ day: 'mon', open: '18:00', close: '09:00' }] },
      }),
      'BAD_USER_INPUT',
      'INVALID_VALUE',
    );
    expect(nested.extensions?.problems).toEqual([{ path: 'value.weekly[0].close', message: 'must close after it opens' }]);
    const wrongType = refused(
      await h.gql(t.eng1, SET_WRITE_BACK.replace('$enabled: Boolean!', '$enabled: String!'), {
        connectorId: 'ehr',
        environment: 'STAGING',
        enabled: 'yes',
      }),
      'BAD_USER_INPUT',
    );
    expect(wrongType.message).not.toContain('yes');
  });

  it('a value given as a literal in the query is parsed as JSON', async () => {
    const r = await h.gql<{ updateSetting: ChangeResult }>(
      t.bill1,
      `mutation { updateSetting(input: { key: "billing.failedPaymentEscalation", environment: STAGING, value: { afterAttempts: 4, ` +
      `escalateTo: "billing", pauseAutoCollection: false } }) { status version setting { value } } }`,
    );
    expect(ok(r).updateSetting).toEqual({
      status: 'APPLIED',
      version: 1,
      setting: { value: { afterAttempts: 4, escalateTo: 'billing', pauseAutoCollection: false } },
    });
  });

  it('a JSON value nested beyond the limit is BAD_USER_INPUT before any validator walks it', async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    refused(await update(t.ops1, { key: 'messaging.channels', environment: 'STAGING', value: deep }), 'BAD_USER_INPUT');
    const literal = `mutation { updateSetting(input: { key: "messaging.channels", environment: STAGING, value: ` +
      `${'['.repeat(40)}1${']'.repeat(40)} }) { status } }`;
    refused(await h.gql(t.ops1, literal), 'BAD_USER_INPUT');
  });

  it('a reason is required from MEDIUM risk upward (BAD_USER_INPUT, field reason); LOW needs none', async () => {
    const e = refused(
      await h.gql(t.eng1, SET_WRITE_BACK, { connectorId: 'ehr', environment: 'PRODUCTION', enabled: true }),
      'BAD_USER_INPUT',
      'REASON_REQUIRED',
    );
    expect(e.extensions?.problems).toEqual([{ path: 'reason', message: 'is required for HIGH risk changes' }]);
    const medium = refused(
      await update(t.ca1, { key: 'ai.safetyThreshold', environment: 'STAGING', value: { threshold: 0.5 }, reason: '  ' }),
      'BAD_USER_INPUT',
      'REASON_REQUIRED',
    );
    expect(medium.extensions?.problems).toEqual([{ path: 'reason', message: 'is required for MEDIUM risk changes' }]);
    expect(
      ok(await update(t.bill1, { key: 'billing.reminderCadenceDays', environment: 'STAGING', value: [10, 20] })).updateSetting.status,
    ).toBe('APPLIED');
  });

  it('an unknown setting key is NOT_FOUND; a bad connector id is BAD_USER_INPUT naming connectorId', async () => {
    refused(await update(t.ca1, { key: 'ai.nope', environment: 'STAGING', value: 1, reason: 'x' }), 'NOT_FOUND');
    refused(await h.gql(t.sec1, SETTING, { key: 'ai.nope', environment: 'STAGING' }), 'NOT_FOUND');
    const e = refused(
      await h.gql(t.eng1, SET_WRITE_BACK, { connectorId: 'EHR/../x', environment: 'STAGING', enabled: true, reason: 'x' }),
      'BAD_USER_INPUT',
      'INVALID_INPUT',
    );
    expect(e.extensions?.problems).toEqual([{ path: 'connectorId', message: expect.stringContaining('kebab-case') }]);
  });
});

describe('who may read and edit configuration', () => {
  const READ = `query { settings(environment: PRODUCTION) { key } }`;

  it.each(
    ['frontDesk', 'marketing', 'clinician'] as const,
  )('%s cannot read settings or change requests (FORBIDDEN, configuration)', async (who) => {
    for (const query of [READ, `{ changeRequests { id } }`, `{ stopStates(environment: PRODUCTION) { target } }`]) {
      const e = refused(await h.gql(t[who], query), 'FORBIDDEN');
      expect(e.extensions).toMatchObject({
        dataClass: 'configuration',
        permission: 'read:configuration',
        failedScope: 'role',
        ownerRole: 'security-admin',
      });
    }
  });

  it('a caller without configuration read is stopped by the shield before a mutation runs', async () => {
    const e = refused(await update(t.marketing, { key: 'messaging.channels', environment: 'STAGING', value: ['sms'] }), 'FORBIDDEN');
    expect(e.extensions).toMatchObject({ dataClass: 'configuration' });
    const s = ok(
      await h.gql<{ setting: { version: number } }>(t.ops1, SETTING, { key: 'messaging.channels', environment: 'STAGING' }),
    ).setting;
    expect(s.version).toBe(0);
  });

  it.each(['auditor', 'support'] as const)('%s reads settings but cannot edit them (FORBIDDEN, NOT_AN_EDITOR)', async (who) => {
    const settings = ok(await h.gql<{ settings: { key: string }[] }>(t[who], READ)).settings;
    expect(settings.map((s) => s.key)).toContain('integration.ehr.writeBackEnabled');
    const e = refused(
      await update(t[who], { key: 'audit.retentionDays', environment: 'STAGING', value: 3000, reason: 'longer' }),
      'FORBIDDEN',
      'NOT_AN_EDITOR',
    );
    expect(e.message).toContain('security-admin');
  });

  it('editors are per category: an integration engineer cannot change billing automation', async () => {
    refused(
      await update(t.eng1, { key: 'billing.refundThreshold', environment: 'STAGING', value: { amount: 50, currency: 'USD' }, reason: 'x' }),
      'FORBIDDEN',
      'NOT_AN_EDITOR',
    );
  });

  it('SMART scopes narrow configuration read: a token without a Basic read scope is FORBIDDEN (smart-scope)', async () => {
    const narrowed = await h.token({ sub: 'eng9', roles: ['integration-engineer'], scope: 'user/Patient.rs' });
    const e = refused(await h.gql(narrowed, READ), 'FORBIDDEN');
    expect(e.extensions).toMatchObject({ dataClass: 'configuration', failedScope: 'smart-scope' });
    const withBasic = await h.token({ sub: 'eng9', roles: ['integration-engineer'], scope: 'user/Patient.rs user/Basic.rs' });
    expect(ok(await h.gql<{ settings: unknown[] }>(withBasic, READ)).settings.length).toBeGreaterThan(0);
  });
});
