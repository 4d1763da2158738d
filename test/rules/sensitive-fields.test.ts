import { getNamedType, isObjectType, type GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { compilePrincipalPolicy } from '../../rules/decide.js';
import { fieldRules } from '../../rules/field-access.js';
import { decideField, decideRow } from '../../rules/field-decision.js';
import { defaultPolicy } from '../../rules/policy-document.js';
import type { Principal } from '../../rules/principal.js';
import { readPair } from '../../rules/read-slots.js';
import { buildUnguardedSchema } from '../../src/server/build-schema.js';

// Issue 13, item 1: every field of every type a sensitive row can reach, derived from the schema (so a new field or
// a new row type is covered without editing this test): without the sensitive grant the kernel denies it (grant), so
// the row is withheld whole; with it the field is returned and recorded as a sensitive read.

const schema = buildUnguardedSchema();
const policy = defaultPolicy();

/**
 * Object types reachable from Patient's fields (the patient's record), Patient itself excluded: its rows are the
 * record's; and from the root fields, the row types reached elsewhere (a billing automation's actions, one per invoice).
 */
function recordTypes(): GraphQLObjectType[] {
  const patient = schema.getType('Patient') as GraphQLObjectType;
  const seen = new Map<string, GraphQLObjectType>();
  const visit = (t: GraphQLObjectType) => {
    for (const f of Object.values(t.getFields())) {
      const named = getNamedType(f.type);
      if (!isObjectType(named) || named.name === 'Patient' || seen.has(named.name)) continue;
      // Value objects (inherit) are guarded where they are reached from.
      if (Object.values(fieldRules[named.name] ?? {}).every((r) => r.kind === 'inherit')) continue;
      seen.set(named.name, named);
      visit(named);
    }
  };
  visit(patient);
  // Row types reached from elsewhere only (a billing automation's actions, one per invoice, from its mutation).
  for (const [name, rules] of Object.entries(fieldRules)) {
    if (name === 'Patient' || seen.has(name) || !Object.values(rules).some((r) => r.kind === 'read' && r.row)) continue;
    seen.set(name, schema.getType(name) as GraphQLObjectType);
  }
  return [...seen.values()];
}

const types = recordTypes();
const principal = (over: Partial<Principal>): Principal => ({
  sub: 'u',
  tenant: 'acme',
  kind: 'user',
  roles: ['clinician', 'billing-manager'],
  departments: ['cardiology'],
  mfa: false,
  scopes: null,
  grants: [],
  ...over,
});
const row = (sensitive: boolean) => ({ tenant: 'acme', patientId: 'p1', departments: ['cardiology'], sensitive });

describe('every field a sensitive row can reach', () => {
  it('the record types are found from the schema', () => {
    expect(types.map((t) => t.name)).toEqual(
      expect.arrayContaining(['Condition', 'Observation', 'MedicationRequest', 'Encounter', 'ClinicalNote', 'CarePlan', 'Claim']),
    );
    // Every type with row rules other than Patient is among them (no row type escapes the enumeration).
    const rowTypes = Object.entries(fieldRules)
      .filter(([t, fs]) => t !== 'Patient' && Object.values(fs).some((r) => r.kind === 'read' && r.row))
      .map(([t]) => t);
    expect(types.map((t) => t.name).sort()).toEqual(expect.arrayContaining(rowTypes.sort()));
  });

  const without = [
    ['clinician (and billing) without the grant', principal({})],
    ['clinician under break-glass without the grant', principal({ departments: ['oncology'] })],
    ['ai-agent', principal({ roles: ['ai-agent'], kind: 'agent', grants: ['sensitive'] })],
    ['nurse with a grant she is not eligible for', principal({ roles: ['nurse'], grants: ['sensitive'] })],
  ] as const;

  for (const t of types) {
    it(`${t.name}: every field denied on a sensitive row without the grant, returned and recorded as sensitive with it`, () => {
      const fields = Object.keys(t.getFields());
      expect(fields.length).toBeGreaterThan(0);
      const withGrant = compilePrincipalPolicy(policy, principal({ grants: ['sensitive'] }));
      for (const field of fields) {
        for (const [name, p] of without) {
          const stored = name.includes('break-glass')
            ? { standing: null, temporaryRoles: [], temporaryGrants: [], breakGlass: [{ id: 'bg1', patientId: 'p1' }] }
            : undefined;
          const access = compilePrincipalPolicy(policy, p, stored ? { stored: stored as never } : {});
          const d = decideField(access, t.name, field, row(true));
          expect(d.decision.effect, `${t.name}.${field} for ${name}`).toBe('DENY');
          // The plain row is readable by the same principal where its role reads the class (so the denial is the row's).
          if (decideField(access, t.name, field, row(false)).decision.effect === 'ALLOW' && d.decision.effect === 'DENY') {
            expect(d.decision.denial.failedScope, `${t.name}.${field} for ${name}`).toBe('grant');
          }
          expect(decideRow(access, t.name, row(true)).decision.effect).toBe('DENY');
        }
        const allowed = decideField(withGrant, t.name, field, row(true));
        expect(allowed.decision.effect, `${t.name}.${field} with the grant`).toBe('ALLOW');
        expect(allowed.outcome).toBe('sensitive');
        expect(readPair(allowed.slot!)).toEqual({ dataClass: 'sensitive', field: `${t.name}.${field}` });
      }
    });
  }
});
