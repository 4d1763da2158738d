import { describe, expect, it } from 'vitest';
import { compilePrincipalPolicy } from '../../rules/decide.js';
import { defaultPolicy } from '../../rules/policy-document.js';
import type { Principal } from '../../src/auth/principal.js';
import type { AccessDoc, AccessEntry } from '../../src/governance/access-entries.js';
import type { Environment } from '../../src/governance/environment.js';
import { rolesIn } from '../../src/governance/environment-roles.js';
import { explainGoverned } from '../../src/governance/explain-governed.js';
import { storedAccessOf } from '../../src/governance/stored-access-of.js';
import { approve, proposeChange, reject } from '../../src/governance/transitions.js';
import {
  approveOpts,
  at,
  engineer,
  functionsOf,
  ok,
  pending,
  proposal,
  rules,
  securityAdmin,
  STAGING_MEDIUM,
  T0,
  WRITE_BACK,
} from './support.js';

// Issue 6: role assignments scoped to environments count only for governed changes in those environments. The
// effective principal carries its roles per environment (rules/decide.ts from storedAccessOf); every editor and
// approver check asks src/governance/environment-roles.ts with the change's environment.

const assignment = (role: string, environments: Environment[]): AccessEntry => ({
  id: `a-${role}-${environments.join('-')}`, kind: 'role', name: role, patientId: null, departments: null, environments, expiresAt: null,
  source: 'assignment', reason: 'onboarding', ticket: null, grantedAt: '2026-01-01T00:00:00.000Z', revoked: null, reviews: [],
});

/** The principal the gateway builds: the token's roles narrowed by the stored assignments. */
function effective(token: Principal, entries: AccessEntry[]): Principal {
  const doc: AccessDoc = { sub: token.sub, entries };
  return compilePrincipalPolicy(defaultPolicy(), token, { stored: storedAccessOf(doc, T0) }).principal;
}

const stagingEngineer = (sub = 'eng-s', mfa = true) => effective(engineer(sub, { mfa }), [assignment('integration-engineer', ['STAGING'])]);
const unscopedEngineer = (sub = 'eng-u', mfa = true) =>
  effective(engineer(sub, { mfa }), [assignment('integration-engineer', ['STAGING', 'PRODUCTION'])]);

describe('effective roles per environment', () => {
  it('a STAGING-scoped assignment counts in STAGING only; an unscoped one in both; no stored assignment: the token', () => {
    expect(rolesIn(stagingEngineer(), 'STAGING')).toEqual(['integration-engineer']);
    expect(rolesIn(stagingEngineer(), 'PRODUCTION')).toEqual([]);
    expect(rolesIn(unscopedEngineer(), 'PRODUCTION')).toEqual(['integration-engineer']);
    expect(rolesIn(effective(engineer(), []), 'PRODUCTION')).toEqual(['integration-engineer']);
    expect(rolesIn(engineer(), 'STAGING')).toEqual(['integration-engineer']);
  });
});

describe('proposing per environment', () => {
  it('a STAGING-scoped integration engineer proposes in STAGING, and is refused ROLE_NOT_IN_ENVIRONMENT in PRODUCTION', () => {
    expect(ok(proposeChange(proposal({ ...STAGING_MEDIUM, requester: stagingEngineer() }))).status).toBe('APPLIED');
    const r = proposeChange(proposal({ requester: stagingEngineer() }));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatchObject({ code: 'FORBIDDEN', reason: 'ROLE_NOT_IN_ENVIRONMENT' });
    expect(!r.ok && r.error.message).toContain('integration-engineer (STAGING only)');
  });

  it('an unscoped assignment proposes in both; someone with no editor role at all is still NOT_AN_EDITOR', () => {
    expect(ok(proposeChange(proposal({ ...STAGING_MEDIUM, requester: unscopedEngineer() }))).status).toBe('APPLIED');
    expect(ok(proposeChange(proposal({ requester: unscopedEngineer() }))).status).toBe('PENDING');
    const r = proposeChange(proposal({ requester: securityAdmin() }));
    expect(!r.ok && r.error.reason).toBe('NOT_AN_EDITOR');
  });

  it('explain answers the same: DENY ROLE_NOT_IN_ENVIRONMENT in PRODUCTION, NEEDS_APPROVAL in STAGING', () => {
    const ask = (principal: Principal, environment: Environment) =>
      explainGoverned({
        action: `setting:update:${WRITE_BACK}`,
        principal,
        environment,
        rules,
        functionsOf,
        policy: defaultPolicy(),
        at: T0,
      })!;
    expect(ask(stagingEngineer(), 'PRODUCTION')).toMatchObject({
      decision: 'DENY',
      reason: 'ROLE_NOT_IN_ENVIRONMENT',
      failedScope: 'environment',
    });
    expect(ask(stagingEngineer(), 'STAGING')).toMatchObject({ decision: 'NEEDS_APPROVAL' });
    expect(ask(unscopedEngineer(), 'PRODUCTION')).toMatchObject({ decision: 'NEEDS_APPROVAL' });
  });
});

describe('approving per environment', () => {
  it('a STAGING-scoped engineer approves a STAGING change but not a PRODUCTION one (ROLE_NOT_IN_ENVIRONMENT)', () => {
    const staging = pending({ environment: 'STAGING', requester: engineer('eng-1') }); // write-back: HIGH in staging
    expect(ok(approve(staging, stagingEngineer(), approveOpts())).status).toBe('APPLIED');
    const production = pending({ requester: engineer('eng-1') });
    const r = approve(production, stagingEngineer(), approveOpts());
    expect(!r.ok && r.error).toMatchObject({ code: 'FORBIDDEN', reason: 'ROLE_NOT_IN_ENVIRONMENT' });
    const rj = reject(production, stagingEngineer(), { now: at(5), reason: 'no', functionsOf });
    expect(!rj.ok && rj.error.reason).toBe('ROLE_NOT_IN_ENVIRONMENT');
  });

  it('an unscoped assignment approves in both environments', () => {
    expect(ok(approve(pending({ environment: 'STAGING', requester: engineer('eng-1') }), unscopedEngineer(), approveOpts())).status).toBe(
      'APPLIED',
    );
    const production = ok(approve(pending({ requester: engineer('eng-1') }), unscopedEngineer(), approveOpts()));
    expect(production).toMatchObject({ status: 'PENDING', approvals: [{ sub: 'eng-u', roleUsed: 'integration-engineer' }] });
  });
});
