import { describe, expect, it } from 'vitest';
import { parseStopTarget, RUNNING } from '../../src/governance/emergency-target.js';
import { resumeInput, stop, stopRolesFor } from '../../src/governance/emergency-stop.js';
import { approve, proposeChange } from '../../src/governance/transitions.js';
import { approveOpts, engineer, functionsOf, ok, person, rules, securityAdmin, T0 } from './support.js';

const opts = (over = {}) => ({
  tenant: 'acme',
  environment: 'PRODUCTION' as const,
  reason: 'writing wrong encounters',
  now: T0,
  current: { value: RUNNING, version: 0 },
  ...over,
});

describe('emergency stop', () => {
  it('parses targets', () => {
    expect(parseStopTarget('connector:ehr')).toEqual({ ok: true, target: { id: 'connector:ehr', kind: 'connector' } });
    expect(parseStopTarget('automation:billing')).toEqual({ ok: true, target: { id: 'automation:billing', kind: 'automation:billing' } });
    expect(parseStopTarget('agent:triage-bot')).toMatchObject({ ok: true, target: { kind: 'agent' } });
    for (const bad of ['connector:', 'automation:x', 'agent:Bot', 'ehr', '']) expect(parseStopTarget(bad).ok, bad).toBe(false);
  });

  it('who may stop is data', () => {
    expect(stopRolesFor('connector:ehr')).toEqual(['system-admin', 'integration-engineer', 'security-admin']);
    expect(stopRolesFor('automation:billing')).toEqual(['billing-manager', 'security-admin']);
    expect(stopRolesFor('automation:messaging')).toEqual(['ops-manager', 'clinical-admin', 'security-admin']);
    expect(stopRolesFor('agent:x')).toEqual(['clinical-admin', 'security-admin']);
  });

  it('stops at once, audited, for an allowed role', () => {
    const r = stop('connector:ehr', engineer('eng-1', { mfa: false }), opts());
    expect(r).toMatchObject({
      ok: true,
      record: { target: 'connector:ehr', version: 1, state: { stopped: true, reason: 'writing wrong encounters', by: 'eng-1', at: T0 } },
    });
    expect(r.ok && r.effects.map((e) => e.type)).toEqual(['stop-target', 'audit']);
    expect(r.ok && r.effects[1]).toMatchObject({ action: 'emergency.stopped', actor: 'eng-1', changeId: null });
  });

  it('refuses a role not allowed, a missing reason, another tenant, an already stopped target', () => {
    expect(stop('connector:ehr', person('b', ['billing-manager']), opts())).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', reason: 'NOT_ALLOWED_TO_STOP' },
    });
    expect(stop('automation:billing', person('b', ['billing-manager']), opts()).ok).toBe(true);
    expect(stop('connector:ehr', engineer(), opts({ reason: ' ' }))).toMatchObject({
      ok: false,
      error: { code: 'BAD_USER_INPUT', reason: 'REASON_REQUIRED' },
    });
    expect(stop('connector:ehr', engineer('e', { tenant: 'globex' }), opts())).toMatchObject({
      ok: false,
      error: { reason: 'WRONG_TENANT' },
    });
    const stopped = { value: { stopped: true as const, reason: 'x', by: 'e', at: T0 }, version: 1 };
    expect(stop('connector:ehr', engineer(), opts({ current: stopped }))).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', reason: 'ALREADY_STOPPED' },
    });
    expect(stop('nope', engineer(), opts())).toMatchObject({ ok: false, error: { code: 'BAD_USER_INPUT' } });
  });

  it('resume is a governed change: HIGH in production, MEDIUM (at once) in staging', () => {
    const current = { value: { stopped: true as const, reason: 'x', by: 'eng-1', at: T0 }, version: 1 };
    const ctx = {
      id: 'chg-r',
      tenant: 'acme',
      requester: engineer('eng-1'),
      functionsOf,
      reason: 'fixed mappings',
      now: T0,
      rules,
      current,
    };
    const prod = resumeInput('connector:ehr', { ...ctx, environment: 'PRODUCTION' });
    const change = ok(proposeChange(prod.ok ? prod.input : (undefined as never)));
    expect(change).toMatchObject({
      status: 'PENDING',
      risk: 'HIGH',
      category: 'integration',
      target: { type: 'emergency-resume', target: 'connector:ehr' },
      after: { stopped: false },
    });
    const half = ok(approve(change, engineer('eng-2'), approveOpts(1, 1)));
    const done = approve(half, securityAdmin(), approveOpts(2, 1));
    expect(done.ok && done.effects[0]).toEqual({
      type: 'resume-target',
      changeId: 'chg-r',
      tenant: 'acme',
      environment: 'PRODUCTION',
      target: 'connector:ehr',
      value: { stopped: false },
      version: 2,
      idempotencyKey: 'chg-r:apply',
    });
    const staging = resumeInput('connector:ehr', { ...ctx, environment: 'STAGING' });
    expect(ok(proposeChange(staging.ok ? staging.input : (undefined as never))).status).toBe('APPLIED');
    expect(resumeInput('connector:ehr', { ...ctx, environment: 'STAGING', current: { value: RUNNING, version: 2 } })).toMatchObject({
      ok: false,
      error: { reason: 'NOT_STOPPED' },
    });
    const byBilling = resumeInput('connector:ehr', { ...ctx, environment: 'PRODUCTION', requester: person('b', ['billing-manager']) });
    expect(proposeChange(byBilling.ok ? byBilling.input : (undefined as never))).toMatchObject({
      ok: false,
      error: { reason: 'NOT_AN_EDITOR' },
    });
  });
});
