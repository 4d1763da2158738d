import { describe, expect, it } from 'vitest';
import { compilePrincipalPolicy } from '../../rules/decide.js';
import { grantEligibility } from '../../rules/grant-eligibility.js';
import { defaultPolicy } from '../../rules/policy-document.js';
import type { Principal, PrincipalKind } from '../../rules/principal.js';

// A denial offers a ready `requestAccess` input. requestAccess refuses a grant its requester's roles cannot hold
// (NOT_ELIGIBLE): a nurse denied a sensitive row was offered the `sensitive` grant, a request that could only be
// refused. For every role of the policy, every kind that may hold it and every data class and action it lacks, the
// grant a denial offers is one the principal is eligible for, and a grant it cannot hold is named as such instead.

const policy = defaultPolicy();
const actions = ['read', 'write'] as const;

const cases = Object.entries(policy.roles).flatMap(([role, r]) =>
  r.principalKinds.map((kind) => ({ role, kind })),
);

describe('the access a denial offers can be requested', () => {
  it.each(cases)('$role ($kind)', ({ role, kind }: { role: string; kind: PrincipalKind }) => {
    const principal: Principal = {
      sub: 'u1', tenant: 'acme', kind, roles: [role], departments: ['cardiology'], mfa: true, scopes: null, grants: [],
    };
    const access = compilePrincipalPolicy(policy, principal);
    for (const dataClass of Object.keys(policy.dataClasses)) {
      for (const action of actions) {
        const d = access.decide({ action, dataClass });
        if (d.effect !== 'DENY') continue;
        const { requestAccess, grant, howToGet } = d.denial;
        if (requestAccess?.requestedGrant) {
          expect(grantEligibility(policy, access.principal, requestAccess.requestedGrant).ok, `${action}:${dataClass}`).toBe(true);
        }
        if (grant && d.denial.failedScope === 'grant' && !grantEligibility(policy, access.principal, grant).ok) {
          expect(requestAccess, `${action}:${dataClass}`).toBeNull();
          expect(howToGet).toContain('none of your roles can hold it');
        }
      }
    }
  });

  it('a clinician is offered the sensitive grant; a nurse is told it is for clinicians', () => {
    const base = { sub: 'u1', tenant: 'acme', kind: 'user' as const, departments: ['cardiology'], mfa: true, scopes: null, grants: [] };
    const sensitive = { action: 'read' as const, dataClass: 'sensitive' };
    const clinician = compilePrincipalPolicy(policy, { ...base, roles: ['clinician'] }).decide(sensitive);
    const nurse = compilePrincipalPolicy(policy, { ...base, roles: ['nurse'] }).decide(sensitive);
    expect(clinician.effect === 'DENY' && clinician.denial.requestAccess?.requestedGrant).toBe('sensitive');
    expect(nurse.effect === 'DENY' && nurse.denial.requestAccess).toBeNull();
    expect(nurse.effect === 'DENY' && nurse.denial.howToGet).toMatch(/"sensitive" grant is for clinician only/);
  });

  // A tester's finding: after break-glass, the denial of a sensitive row (a grant for one's departments) still said
  // "or use break-glass", which opens what roles give and never a grant. For every role and data class, a denial on
  // another department's row offers break-glass exactly when a break-glass role of the caller carries the permission.
  it.each(cases)('break-glass is offered only where it opens the denied class: $role ($kind)', ({ role, kind }) => {
    const principal: Principal = {
      sub: 'u1', tenant: 'acme', kind, roles: [role], departments: ['cardiology'], mfa: true, scopes: null, grants: ['sensitive'],
    };
    const access = compilePrincipalPolicy(policy, principal);
    const glass = policy.breakGlass?.eligibleRoles ?? [];
    for (const dataClass of Object.keys(policy.dataClasses)) {
      const d = access.decide({ action: 'read', dataClass }, { tenant: 'acme', departments: ['oncology'], patientId: 'p1' });
      if (d.effect !== 'DENY' || d.denial.failedScope !== 'department') continue;
      const carries = (p: { dataClasses: readonly string[]; actions: readonly string[] }) =>
        p.dataClasses.includes(dataClass) && p.actions.includes('read');
      const opens = glass.includes(role) && policy.roles[role]!.permissions.some(carries);
      expect(d.denial.howToGet.includes('break-glass'), `${role} read:${dataClass}`).toBe(opens);
    }
  });
});
