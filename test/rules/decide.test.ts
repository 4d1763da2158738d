import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.js';
import { compilePrincipalPolicy } from '../../rules/decide.js';
import { decideField } from '../../rules/field-decision.js';
import { fieldRules } from '../../rules/field-access.js';
import { defaultPolicy, parsePolicyDocument, PolicyDocumentError } from '../../rules/policy-document.js';
import { MATRIX, NO_PATIENT_ACCESS, PATIENT_FIELDS, type Cell } from '../support/role-field-matrix.js';

const policy = defaultPolicy();

const principal = (over: Partial<Principal>): Principal => ({
  sub: 'u1', tenant: 'acme', kind: 'user', roles: [], departments: ['cardiology'], mfa: false, scopes: null, grants: [], ...over,
});
const guard = (departments: string[], extra: Partial<{ tenant: string; sensitive: boolean }> = {}) => ({
  guard: { tenant: 'acme', patientId: 'p1', departments, sensitive: false, ...extra },
});

/** Field-level verdict for a Patient field; M and Y both mean the field is returned (masking is the resolver's). */
function fieldVerdict(p: Principal, field: string, parent: unknown): 'returned' | 'denied' {
  return decideField(compilePrincipalPolicy(policy, p), 'Patient', field, parent as never).decision.effect === 'ALLOW'
    ? 'returned'
    : 'denied';
}
const returned = (c: Cell) => (c === 'N' ? 'denied' : 'returned');

describe('role x Patient field matrix, decided by the policy document', () => {
  for (const [role, spec] of Object.entries(MATRIX)) {
    for (const where of ['in', 'out'] as const) {
      it(`${role}, patient ${where === 'in' ? 'in' : 'outside'} the department`, () => {
        const p = principal({ roles: [role], kind: spec.kind });
        const parent = guard(where === 'in' ? ['cardiology'] : ['oncology']);
        const actual = PATIENT_FIELDS.map((f) => fieldVerdict(p, f, parent));
        expect(actual).toEqual(spec[where].map(returned));
      });
    }
  }
  for (const role of NO_PATIENT_ACCESS) {
    it(`${role} cannot look up a patient at all`, () => {
      const v = decideField(compilePrincipalPolicy(policy, principal({ roles: [role] })), 'Query', 'patient');
      expect(v.decision.effect).toBe('DENY');
    });
  }
});

describe('scopes', () => {
  it('tenant: a row of another tenant is denied whatever the role gives', () => {
    const p = principal({ roles: ['billing-manager'] });
    const v = decideField(compilePrincipalPolicy(policy, p), 'Patient', 'name', guard(['cardiology'], { tenant: 'globex' }));
    expect(v.decision.effect).toBe('DENY');
    if (v.decision.effect === 'DENY') expect(v.decision.denial.failedScope).toBe('tenant');
  });

  it('department: the denial names the failed scope, the owner and how to get it', () => {
    const access = compilePrincipalPolicy(policy, principal({ roles: ['clinician'] }));
    const d = access.decide({ action: 'read', dataClass: 'notes' }, { tenant: 'acme', departments: ['oncology'] });
    expect(d.effect).toBe('DENY');
    if (d.effect === 'DENY') {
      expect(d.denial).toMatchObject({
        permission: 'read:notes',
        failedScope: 'department',
        ownerRole: 'clinical-admin',
        ownerFunction: 'clinical',
      });
      expect(d.denial.policyVersion).toBe(policy.version);
    }
  });

  it('sensitive data class: a clinician needs the sensitive grant for every field of a sensitive condition', () => {
    const parent = guard(['cardiology'], { sensitive: true });
    const without = compilePrincipalPolicy(policy, principal({ roles: ['clinician'] }));
    const withGrant = compilePrincipalPolicy(policy, principal({ roles: ['clinician'], grants: ['sensitive'] }));
    for (const field of Object.keys(fieldRules.Condition!)) {
      const d = decideField(without, 'Condition', field, parent);
      expect(d.decision.effect, field).toBe('DENY');
      if (d.decision.effect === 'DENY')
        expect(d.decision.denial).toMatchObject({ dataClass: 'sensitive', failedScope: 'grant', grant: 'sensitive' });
      expect(decideField(withGrant, 'Condition', field, parent).outcome, field).toBe('sensitive');
    }
  });

  it('a grant counts only with a role it is meant for', () => {
    const access = compilePrincipalPolicy(policy, principal({ roles: ['front-desk'], grants: ['sensitive'] }));
    expect(access.decide({ action: 'read', dataClass: 'sensitive' }, { tenant: 'acme', departments: ['cardiology'] }).effect).toBe('DENY');
  });

  it('principal kind: an agent token claiming the clinician role gets nothing from it', () => {
    const access = compilePrincipalPolicy(policy, principal({ roles: ['clinician'], kind: 'agent' }));
    const d = access.decide({ action: 'read', dataClass: 'notes' });
    expect(d.effect === 'DENY' && d.denial.failedScope).toBe('principal-kind');
    expect(access.permissions).toEqual([]);
  });

  it('SMART scopes narrow a role and never widen it', () => {
    const narrowed = compilePrincipalPolicy(
      policy,
      principal({ roles: ['clinician'], scopes: ['user/Patient.rs', 'user/Observation.rs'] }),
    );
    expect(narrowed.decide({ action: 'read', dataClass: 'observations' }).effect).toBe('ALLOW');
    const notes = narrowed.decide({ action: 'read', dataClass: 'notes' });
    expect(notes.effect === 'DENY' && notes.denial.failedScope).toBe('smart-scope');
    const wide = compilePrincipalPolicy(policy, principal({ roles: ['front-desk'], scopes: ['user/*.cruds'] }));
    expect(wide.decide({ action: 'read', dataClass: 'notes' }).effect).toBe('DENY');
    // patient/ scopes need a launch context the gateway does not have: they grant nothing.
    const patientCtx = compilePrincipalPolicy(policy, principal({ roles: ['clinician'], scopes: ['patient/*.rs'] }));
    expect(patientCtx.decide({ action: 'read', dataClass: 'demographics' }).effect).toBe('DENY');
  });

  it('unknown roles grant nothing', () => {
    expect(compilePrincipalPolicy(policy, principal({ roles: ['superuser', 'admin'] })).permissions).toEqual([]);
  });
});

describe('policy document validation', () => {
  it('reports every broken cross-reference at once', () => {
    const doc = structuredClone(defaultPolicy()) as unknown as Record<string, Record<string, Record<string, unknown>>>;
    (doc.roles!.nurse as { function: string }).function = 'nursing';
    (doc.dataClasses!.notes as { owner: string }).owner = 'chief';
    (doc.roles!.clinician as { permissions: { dataClasses: string[] }[] }).permissions[0]!.dataClasses.push('psychic');
    try {
      parsePolicyDocument(doc);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PolicyDocumentError);
      expect((e as PolicyDocumentError).problems).toHaveLength(3);
    }
  });
});
