import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import {
  APPROVE,
  HISTORY,
  PROMOTE,
  ROLLBACK,
  SETTING,
  UPDATE_SETTING,
  actors,
  ok,
  refused,
  type Change,
  type ChangeResult,
} from './governance-operations.js';

// Versions: every applied change is a version; any two versions compare; a rollback and a promotion are governed
// changes like any other, decided with the risk of the setting in the target environment.

const KEY = 'ai.safetyThreshold';
const DIFF = `query($key: String!, $environment: Environment!, $from: Int!, $to: Int!) {
  settingDiff(key: $key, environment: $environment, fromVersion: $from, toVersion: $to) { key environment fromVersion toVersion entries ` +
    `{ path op before after } }
}`;

let h: Harness;
let t: Record<'ca1' | 'ca2' | 'sec1' | 'bill1' | 'ops1' | 'support', string>;

beforeAll(async () => {
  h = await startHarness();
  t = await actors(h, {
    ca1: { roles: ['clinical-admin'], mfa: true },
    ca2: { roles: ['clinical-admin'], mfa: true },
    sec1: { roles: ['security-admin'], mfa: true },
    bill1: { roles: ['billing-manager'], mfa: true },
    ops1: { roles: ['ops-manager'] },
    support: { roles: ['support'] },
  });
});
afterAll(() => h.stop());

const update = async (token: string, input: Record<string, unknown>) =>
  ok(await h.gql<{ updateSetting: ChangeResult }>(token, UPDATE_SETTING, { input })).updateSetting;
const diff = (key: string, environment: string, from: number, to: number) =>
  h.gql<{ settingDiff: { entries: unknown[] } }>(t.support, DIFF, { key, environment, from, to });

describe('history and diff', () => {
  beforeAll(async () => {
    // MEDIUM in staging: each applies at once.
    for (const threshold of [0.7, 0.6])
      expect((await update(t.ca1, { key: KEY, environment: 'STAGING', value: { threshold }, reason: `try ${threshold}` })).status).toBe(
        'APPLIED',
      );
  });

  it('lists every version, oldest first, with who, when, why and the change that wrote it', async () => {
    const history = ok(
      await h.gql<{ settingHistory: Record<string, unknown>[] }>(t.support, HISTORY, { key: KEY, environment: 'STAGING' }),
    ).settingHistory;
    expect(history.map((v) => [v.version, v.value, v.changedBy, v.reason])).toEqual([
      [1, { threshold: 0.7 }, 'ca1', 'try 0.7'],
      [2, { threshold: 0.6 }, 'ca1', 'try 0.6'],
    ]);
    expect(history.every((v) => typeof v.changeId === 'string' && typeof v.at === 'string')).toBe(true);
    expect(
      ok(await h.gql<{ settingHistory: unknown[] }>(t.support, HISTORY, { key: KEY, environment: 'PRODUCTION' })).settingHistory,
    ).toEqual([]);
  });

  it('compares any two versions, either order, 0 being the catalog default', async () => {
    expect(ok(await diff(KEY, 'STAGING', 1, 2)).settingDiff).toEqual({
      key: KEY,
      environment: 'STAGING',
      fromVersion: 1,
      toVersion: 2,
      entries: [{ path: '/threshold', op: 'REPLACE', before: 0.7, after: 0.6 }],
    });
    expect(ok(await diff(KEY, 'STAGING', 2, 0)).settingDiff.entries).toEqual([
      { path: '/threshold', op: 'REPLACE', before: 0.6, after: 0.8 },
    ]);
    expect(ok(await diff(KEY, 'STAGING', 2, 2)).settingDiff.entries).toEqual([]);
  });

  it('diffs structured values entry by entry (JSON Pointer paths, add/remove/replace)', async () => {
    await update(t.bill1, { key: 'billing.reminderCadenceDays', environment: 'STAGING', value: [7, 14, 21, 30] });
    await update(t.bill1, { key: 'billing.reminderCadenceDays', environment: 'STAGING', value: [10, 20] });
    expect(ok(await diff('billing.reminderCadenceDays', 'STAGING', 0, 1)).settingDiff.entries).toEqual([
      { path: '/2', op: 'REPLACE', before: 30, after: 21 },
      { path: '/3', op: 'ADD', before: null, after: 30 },
    ]);
    expect(ok(await diff('billing.reminderCadenceDays', 'STAGING', 1, 2)).settingDiff.entries).toEqual([
      { path: '/0', op: 'REPLACE', before: 7, after: 10 },
      { path: '/1', op: 'REPLACE', before: 14, after: 20 },
      { path: '/2', op: 'REMOVE', before: 21, after: null },
      { path: '/3', op: 'REMOVE', before: 30, after: null },
    ]);
  });

  it('an unknown version is NOT_FOUND naming it; an unknown key is NOT_FOUND', async () => {
    const e = refused(await diff(KEY, 'STAGING', 1, 9), 'NOT_FOUND', 'UNKNOWN_VERSION');
    expect(e.extensions?.problems).toEqual([{ path: 'toVersion', message: `${KEY} has no version 9 in STAGING` }]);
    refused(await diff('ai.nope', 'STAGING', 0, 1), 'NOT_FOUND');
  });
});

describe('rollback', () => {
  it('in staging a rollback is a MEDIUM change like any other: it applies the old value as a new version', async () => {
    const r = ok(
      await h.gql<{ rollbackSetting: ChangeResult }>(t.ca1, ROLLBACK, {
        key: KEY,
        environment: 'STAGING',
        toVersion: 1,
        reason: 'back to 0.7',
      }),
    ).rollbackSetting;
    expect(r).toMatchObject({ status: 'APPLIED', version: 3, setting: { value: { threshold: 0.7 }, version: 3 } });
    expect(r.changeRequest).toMatchObject({
      risk: 'MEDIUM',
      origin: { type: 'ROLLBACK', toVersion: 1 },
      baseVersion: 2,
      diff: [{ path: '/threshold', op: 'REPLACE', before: 0.6, after: 0.7 }],
    });
    // History is never rewritten: version 3 has version 1's value.
    expect(ok(await diff(KEY, 'STAGING', 1, 3)).settingDiff.entries).toEqual([]);
  });

  it('in production a rollback has the setting\'s HIGH risk: two approvers of two functions, with MFA', async () => {
    const proposed = await update(t.ca1, { key: KEY, environment: 'PRODUCTION', value: { threshold: 0.9 }, reason: 'stricter' });
    expect(proposed.status).toBe('PENDING_APPROVAL');
    ok(await h.gql(t.ca2, APPROVE, { id: proposed.changeRequest.id }));
    expect(ok(await h.gql<{ approveChange: Change }>(t.sec1, APPROVE, { id: proposed.changeRequest.id })).approveChange.status).toBe(
      'APPLIED',
    );

    const r = ok(
      await h.gql<{ rollbackSetting: ChangeResult }>(t.ca1, ROLLBACK, {
        key: KEY,
        environment: 'PRODUCTION',
        toVersion: 0,
        reason: 'back to default',
      }),
    ).rollbackSetting;
    expect(r.status).toBe('PENDING_APPROVAL');
    expect(r.setting).toMatchObject({ value: { threshold: 0.9 }, version: 1, pendingChange: { id: r.changeRequest.id } });
    expect(r.changeRequest).toMatchObject({
      environment: 'PRODUCTION', risk: 'HIGH', origin: { type: 'ROLLBACK', toVersion: 0 }, baseVersion: 1,
      requirement: { requiredApprovals: 2, distinctFunctions: true, ownerFunctionRequired: true, mfaRequired: true },
      diff: [{ path: '/threshold', op: 'REPLACE', before: 0.9, after: 0.8 }],
    });
    refused(
      await h.gql(t.ca1, ROLLBACK, { key: KEY, environment: 'PRODUCTION', toVersion: 7, reason: 'x' }),
      'NOT_FOUND',
      'UNKNOWN_VERSION',
    );
    refused(
      await h.gql(t.ca1, ROLLBACK, { key: KEY, environment: 'PRODUCTION', toVersion: 1, reason: 'x' }),
      'BAD_USER_INPUT',
      'NO_CHANGE',
    );
    refused(
      await h.gql(t.support, ROLLBACK, { key: KEY, environment: 'PRODUCTION', toVersion: 0, reason: 'x' }),
      'FORBIDDEN',
      'NOT_AN_EDITOR',
    );
  });
});

describe('promotion', () => {
  it('promotes the current staging value to production as a PRODUCTION change with production rules', async () => {
    const r = ok(
      await h.gql<{ promoteSetting: ChangeResult }>(t.ca1, PROMOTE, { key: KEY, reason: 'validated in staging', ticket: 'CHG-7' }),
    ).promoteSetting;
    expect(r.status).toBe('PENDING_APPROVAL');
    expect(r.changeRequest).toMatchObject({
      environment: 'PRODUCTION', risk: 'HIGH', ticket: 'CHG-7',
      origin: { type: 'PROMOTION', fromEnvironment: 'STAGING', fromVersion: 3, toVersion: null },
      before: { threshold: 0.9 }, after: { threshold: 0.7 },
      requirement: { requiredApprovals: 2 },
    });
    expect(r.setting).toMatchObject({ environment: 'PRODUCTION', version: 1 });
    const prod = ok(
      await h.gql<{ setting: { pendingChanges: { id: string }[] } }>(t.support, SETTING, { key: KEY, environment: 'PRODUCTION' }),
    ).setting;
    expect(prod.pendingChanges.map((c) => c.id)).toContain(r.changeRequest.id);
  });

  it('a MEDIUM production promotion needs one approver, then production has staging\'s value', async () => {
    const r = ok(
      await h.gql<{ promoteSetting: ChangeResult }>(t.bill1, PROMOTE, { key: 'billing.reminderCadenceDays', reason: 'new cadence' }),
    ).promoteSetting;
    expect(r.changeRequest).toMatchObject({
      environment: 'PRODUCTION',
      risk: 'MEDIUM',
      after: [10, 20],
      requirement: { requiredApprovals: 1, mfaRequired: false },
    });
    expect(ok(await h.gql<{ approveChange: Change }>(t.ops1, APPROVE, { id: r.changeRequest.id })).approveChange).toMatchObject({
      status: 'APPLIED',
      appliedVersion: 1,
    });
    const prod = ok(
      await h.gql<{ setting: { value: unknown } }>(t.support, SETTING, { key: 'billing.reminderCadenceDays', environment: 'PRODUCTION' }),
    ).setting;
    expect(prod.value).toEqual([10, 20]);
  });

  it('nothing to promote when staging never set the setting', async () => {
    refused(await h.gql(t.bill1, PROMOTE, { key: 'billing.refundThreshold', reason: 'x' }), 'NOT_FOUND', 'UNKNOWN_VERSION');
  });
});

describe('the settings list', () => {
  const LIST = `query($environment: Environment!, $category: SettingCategory) {
    settings(environment: $environment, category: $category) { key category ownerFunction risk version value pendingChange { id origin { ` +
      `type } } }
  }`;

  it('lists the catalog, the built-in connector and what was set, per category, with open changes', async () => {
    type Row = {
      key: string;
      category: string;
      ownerFunction: string;
      risk: string;
      version: number;
      value: unknown;
      pendingChange: { id: string; origin: { type: string } } | null;
    };
    const ai = ok(await h.gql<{ settings: Row[] }>(t.support, LIST, { environment: 'PRODUCTION', category: 'AI_BEHAVIOR' })).settings;
    expect(ai.every((s) => s.category === 'AI_BEHAVIOR' && s.ownerFunction === 'clinical')).toBe(true);
    expect(ai.map((s) => s.key)).toEqual(['ai.agentAutonomy', 'ai.guardrails', 'ai.model', 'ai.safetyThreshold']);
    const threshold = ai.find((s) => s.key === KEY)!;
    expect(threshold).toMatchObject({ risk: 'HIGH', version: 1, value: { threshold: 0.9 } });
    expect(['ROLLBACK', 'PROMOTION']).toContain(threshold.pendingChange?.origin.type);

    const all = ok(await h.gql<{ settings: Row[] }>(t.support, LIST, { environment: 'STAGING' })).settings;
    const keys = all.map((s) => s.key);
    expect(keys).toEqual([...keys].sort());
    expect(keys).toEqual(
      expect.arrayContaining([
        'integration.ehr.writeBackEnabled',
        'integration.ehr.baseUrl',
        'messaging.emergencyEscalationRules',
        'audit.retentionDays',
      ]),
    );
    expect(all.find((s) => s.key === 'integration.ehr.baseUrl')).toMatchObject({
      value: null,
      version: 0,
      category: 'INTEGRATION',
      risk: 'MEDIUM',
    });
    expect(all.find((s) => s.key === 'messaging.emergencyEscalationRules')).toMatchObject({ ownerFunction: 'clinical', risk: 'HIGH' });
  });

  it('a keyed setting appears once it is set (a prompt template)', async () => {
    const key = 'ai.promptTemplate.triage';
    await update(t.ca1, {
      key,
      environment: 'STAGING',
      value: { text: 'Triage {{symptom}} carefully.', variables: ['symptom'] },
      reason: 'first template',
    });
    const ai = ok(
      await h.gql<{ settings: { key: string; version: number }[] }>(t.support, LIST, { environment: 'STAGING', category: 'AI_BEHAVIOR' }),
    ).settings;
    expect(ai.find((s) => s.key === key)).toMatchObject({ version: 1 });
  });
});
