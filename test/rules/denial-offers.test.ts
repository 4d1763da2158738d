import { describe, expect, it } from 'vitest';
import { compilePrincipalPolicy } from '../../rules/decide.js';
import { grantEligibility } from '../../rules/grant-eligibility.js';
import { defaultPolicy } from '../../rules/policy-document.js';
import type { Principal, PrincipalKind } from '../../rules/principal.js';
import { scopesAllow } from '../../rules/smart-scopes.js';

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

  // A tester's finding: denials offered system-admin (which writes credentials) for configuration read, security-admin
  // for audit read, billing-manager for an identifier. For every role, kind and denied permission: the ready request is
  // an eligible grant that carries it when there is one, else the usable role with the fewest permissions and then the
  // fewest owned classes among those that carry it; and it always carries what was denied.
  it.each(cases)('the ready request is the least privilege that helps: $role ($kind)', ({ role, kind }) => {
    const principal: Principal = {
      sub: 'u1', tenant: 'acme', kind, roles: [role], departments: ['cardiology'], mfa: true, scopes: null, grants: [],
    };
    const access = compilePrincipalPolicy(policy, principal);
    const pairs = (r: string) => policy.roles[r]!.permissions.reduce((n, p) => n + p.dataClasses.length * p.actions.length, 0);
    const owned = (r: string) => Object.values(policy.dataClasses).filter((c) => c.owner === r).length;
    for (const dataClass of Object.keys(policy.dataClasses)) {
      for (const action of actions) {
        const d = access.decide({ action, dataClass });
        if (d.effect !== 'DENY' || !['role', 'principal-kind'].includes(d.denial.failedScope)) continue;
        const carries = (perms: readonly { dataClasses: readonly string[]; actions: readonly string[] }[]) =>
          perms.some((p) => p.dataClasses.includes(dataClass) && p.actions.includes(action));
        const grants = Object.keys(policy.grants).filter(
          (g) => carries(policy.grants[g]!.permissions) && grantEligibility(policy, access.principal, g).ok,
        );
        const roles = Object.keys(policy.roles).filter(
          (r) => carries(policy.roles[r]!.permissions) && policy.roles[r]!.principalKinds.includes(kind),
        );
        const asked = d.denial.requestAccess;
        const at = `${action}:${dataClass}`;
        if (grants.length) {
          expect(asked?.requestedGrant, at).toBe(grants[0]);
          continue;
        }
        if (roles.length === 0) {
          expect(asked, at).toBeNull();
          continue;
        }
        const least = Math.min(...roles.map((r) => pairs(r) * 100 + owned(r)));
        expect(roles.filter((r) => pairs(r) * 100 + owned(r) === least), at).toContain(asked?.requestedRole);
      }
    }
  });

  // A tester's finding: a denial by the token's SMART scopes told a clinician to request the role they hold. For every
  // data class and action a scoped token lacks, and every class of another tenant's row: no request, and why.
  it('SMART-scope and tenant denials offer no request and say why', () => {
    const scoped = compilePrincipalPolicy(policy, {
      sub: 'u1', tenant: 'acme', kind: 'user', roles: ['clinician'], departments: ['cardiology'], mfa: true,
      scopes: ['user/Patient.rs'], grants: [],
    } as Principal);
    let seen = 0;
    for (const dataClass of Object.keys(policy.dataClasses)) {
      for (const action of actions) {
        const own = scoped.decide({ action, dataClass });
        if (own.effect === 'DENY' && own.denial.failedScope === 'smart-scope') {
          seen++;
          expect(own.denial.requestAccess, `${action}:${dataClass}`).toBeNull();
          expect(own.denial.howToGet).toMatch(/SMART scopes do not cover/);
        }
        const other = scoped.decide({ action, dataClass }, { tenant: 'globex', departments: ['cardiology'], patientId: 'p1' });
        if (other.effect === 'DENY' && other.denial.failedScope === 'tenant') {
          expect(other.denial.requestAccess).toBeNull();
          expect(other.denial.howToGet).toMatch(/another tenant are never shared/);
        }
      }
    }
    expect(seen).toBeGreaterThan(0);
  });

  // A tester's finding: a front-desk user with no departments, denied a cardiology patient's conditions, was offered
  // `clinician` for no department: approved, it still gave nothing. A role that reads per department is offered for
  // the row's departments when the caller's do not cover them; for a row in the caller's own departments, as before.
  // A tester's finding: a clinician whose token's SMART scopes cover Patient and Condition only was denied financial
  // data by role and offered billing-manager, which that token's scopes would narrow away too. For every role, kind,
  // scope set and denied permission: where the scopes do not cover the class, no request is offered and the howToGet
  // says a token comes first; where they do, the offer is the one the unscoped token gets.
  const SCOPE_SETS = [['user/Patient.rs'], ['user/Patient.rs', 'user/Condition.rs', 'user/Invoice.rs'], ['user/*.rs'], ['user/*.cruds']];
  it.each(cases)('a role or grant the token\'s scopes would narrow away is not offered: $role ($kind)', ({ role, kind }) => {
    const base: Principal = {
      sub: 'u1', tenant: 'acme', kind, roles: [role], departments: ['cardiology'], mfa: true, scopes: null, grants: [],
    };
    const unscoped = compilePrincipalPolicy(policy, base);
    for (const scopes of SCOPE_SETS) {
      const access = compilePrincipalPolicy(policy, { ...base, scopes });
      for (const dataClass of Object.keys(policy.dataClasses)) {
        for (const action of actions) {
          const d = access.decide({ action, dataClass });
          if (d.effect !== 'DENY' || !['role', 'grant'].includes(d.denial.failedScope)) continue;
          const at = `${scopes.join(' ')} ${action}:${dataClass}`;
          const covered = scopesAllow(scopes, policy.dataClasses[dataClass]!.fhirResources, action === 'read' ? 'r' : 'c');
          if (!covered) {
            expect(d.denial.requestAccess, at).toBeNull();
            expect(d.denial.approvalPath, at).toBeNull();
            expect(d.denial.howToGet, at).toMatch(/SMART scopes do not cover .* either, so no role or grant would give it to this token/);
            continue;
          }
          const same = unscoped.decide({ action, dataClass });
          expect(d.denial.requestAccess, at).toEqual(same.effect === 'DENY' ? same.denial.requestAccess : null);
        }
      }
    }
  });

  // A tester's finding: a person with no role of the policy that counts (an unknown token role, or a role the store
  // assigns for STAGING only) was offered a request for front-desk, which requestAccess refuses (NOT_AN_EDITOR,
  // ROLE_NOT_IN_ENVIRONMENT): only an assignment helps, and every denial says so.
  it.each([[[]], [['frobnicator']]])('no request is offered to a token with roles %j', (roles: string[]) => {
    const access = compilePrincipalPolicy(policy, {
      sub: 'u1', tenant: 'acme', kind: 'user', roles, departments: ['cardiology'], mfa: true, scopes: null, grants: [],
    });
    for (const dataClass of Object.keys(policy.dataClasses)) {
      for (const action of actions) {
        const d = access.decide({ action, dataClass }, { tenant: 'acme', departments: ['oncology'], patientId: 'p1' });
        expect(d.effect, `${action}:${dataClass}`).toBe('DENY');
        if (d.effect !== 'DENY') continue;
        expect(d.denial.requestAccess, `${action}:${dataClass}`).toBeNull();
        expect(d.denial.howToGet).toMatch(/you cannot request access: ask security to assign you a role that has/);
      }
    }
  });

  it('a per-department role is offered for the row\'s departments', () => {
    const base = { sub: 'u1', tenant: 'acme', kind: 'user' as const, mfa: true, scopes: null, grants: [], roles: ['front-desk'] };
    const row = { tenant: 'acme', departments: ['cardiology'], patientId: 'p1' };
    const clinical = { action: 'read' as const, dataClass: 'clinical' };
    const none = compilePrincipalPolicy(policy, { ...base, departments: [] }).decide(clinical, row);
    const own = compilePrincipalPolicy(policy, { ...base, departments: ['cardiology'] }).decide(clinical, row);
    const offered = none.effect === 'DENY' ? none.denial.requestAccess : null;
    expect(offered).toMatchObject({ requestedRole: 'clinician', scopeDepartments: ['cardiology'] });
    expect(own.effect === 'DENY' && own.denial.requestAccess).toMatchObject({ requestedRole: 'clinician', scopeDepartments: null });
  });

  it('configuration read is not asked of a role that writes credentials; audit read of the auditor', () => {
    const frontDesk = compilePrincipalPolicy(policy, {
      sub: 'u1', tenant: 'acme', kind: 'user', roles: ['front-desk'], departments: ['cardiology'], mfa: true, scopes: null, grants: [],
    });
    const config = frontDesk.decide({ action: 'read', dataClass: 'configuration' });
    const audit = frontDesk.decide({ action: 'read', dataClass: 'audit' });
    expect(config.effect === 'DENY' && config.denial.requestAccess?.requestedRole).not.toMatch(/system-admin|security-admin/);
    expect(audit.effect === 'DENY' && audit.denial.requestAccess?.requestedRole).toBe('auditor');
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
