import { describe, expect, it } from 'vitest';
import { parseChangeRequest } from '../../src/governance/change-request.js';
import {
  currentOf,
  promotionInput,
  rollbackInput,
  settingVersionFromChange,
  type SettingVersion,
} from '../../src/governance/setting-history.js';
import { approve, proposeChange } from '../../src/governance/transitions.js';
import { approveOpts, clinicalAdmin, functionsOf, ok, rules, T0 } from './support.js';

const KEY = 'ai.safetyThreshold';
const v = (version: number, threshold: number, environment: 'STAGING' | 'PRODUCTION' = 'PRODUCTION'): SettingVersion => ({
  key: KEY, environment, version, value: { threshold }, changedBy: 'clin-9', changeId: `c${version}`, at: T0, reason: 'tuning',
});
const history = [v(1, 0.8), v(2, 0.7), v(3, 0.6)];
const context = {
  id: 'chg-rb',
  tenant: 'acme',
  requester: clinicalAdmin('clin-1'),
  functionsOf,
  reason: 'too many escalations',
  now: T0,
  rules,
};

describe('setting history', () => {
  it('current value: the latest version, or the default at version 0', () => {
    expect(currentOf([v(2, 0.7), v(3, 0.6), v(1, 0.8)], null)).toEqual({ value: { threshold: 0.6 }, version: 3 });
    expect(currentOf([], { threshold: 0.8 })).toEqual({ value: { threshold: 0.8 }, version: 0 });
  });

  it('rollback is a governed change with the same risk: PENDING in production, new version on approval', () => {
    const r = rollbackInput(history, 1, context);
    expect(r.ok && r.input).toMatchObject({
      environment: 'PRODUCTION',
      current: { value: { threshold: 0.6 }, version: 3 },
      newValue: { threshold: 0.8 },
      origin: { type: 'rollback', toVersion: 1 },
    });
    const change = ok(proposeChange(r.ok ? r.input : (undefined as never)));
    expect(change).toMatchObject({ status: 'PENDING', risk: 'HIGH', baseVersion: 3 });
    const half = ok(approve(change, clinicalAdmin('clin-2'), approveOpts(1)));
    const done = ok(approve(half, { ...clinicalAdmin('sec-1'), roles: ['security-admin'] }, approveOpts(2)));
    expect(done).toMatchObject({ status: 'APPLIED', appliedVersion: 4 });
    if (done.status !== 'APPLIED') throw new Error('not applied');
    expect(settingVersionFromChange(done)).toMatchObject({
      key: KEY,
      environment: 'PRODUCTION',
      version: 4,
      value: { threshold: 0.8 },
      changedBy: 'clin-1',
      changeId: 'chg-rb',
    });
  });

  it('rollback refuses an unknown version or a mixed history; rolling back to the current value is a no-op', () => {
    expect(rollbackInput(history, 7, context)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', reason: 'UNKNOWN_VERSION' } });
    expect(rollbackInput([...history, v(4, 0.5, 'STAGING')], 1, context)).toMatchObject({
      ok: false,
      error: { reason: 'UNKNOWN_VERSION' },
    });
    const same = rollbackInput(history, 3, context);
    expect(proposeChange(same.ok ? same.input : (undefined as never))).toMatchObject({ ok: false, error: { reason: 'NO_CHANGE' } });
    expect(rollbackInput(history, 0, { ...context, defaultValue: { threshold: 0.8 } })).toMatchObject({
      ok: true,
      input: { newValue: { threshold: 0.8 } },
    });
  });

  it('promotion copies the staging value as a production change', () => {
    const staging = [v(1, 0.75, 'STAGING'), v(2, 0.65, 'STAGING')];
    const r = promotionInput(staging, history, { ...context, key: KEY, defaultValue: { threshold: 0.8 } });
    expect(r.ok && r.input).toMatchObject({
      environment: 'PRODUCTION',
      newValue: { threshold: 0.65 },
      current: { version: 3 },
      origin: { type: 'promotion', fromEnvironment: 'STAGING', fromVersion: 2 },
    });
    const change = ok(proposeChange(r.ok ? r.input : (undefined as never)));
    expect(change).toMatchObject({
      status: 'PENDING',
      environment: 'PRODUCTION',
      risk: 'HIGH',
      diff: [{ path: '/threshold', op: 'replace', before: 0.6, after: 0.65 }],
    });
    expect(promotionInput([], history, { ...context, key: KEY, defaultValue: null })).toMatchObject({
      ok: false,
      error: { reason: 'UNKNOWN_VERSION' },
    });
    expect(promotionInput(history, staging, { ...context, key: KEY, defaultValue: null })).toMatchObject({ ok: false });
  });

  it('a change request survives a JSON round trip (the store keeps it as JSON)', () => {
    const r = rollbackInput(history, 1, context);
    const change = ok(proposeChange(r.ok ? r.input : (undefined as never)));
    expect(parseChangeRequest(JSON.parse(JSON.stringify(change)))).toEqual(change);
    expect(() => parseChangeRequest({ ...change, status: 'APPLIED' })).toThrow(/appliedVersion/);
  });
});
