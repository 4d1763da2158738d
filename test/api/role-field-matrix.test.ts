import type { Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARROLL, DENNIS } from '../connectors/ehr/helpers.js';
import { POLICY, expectAccessRequestPath, expectForbidden, expectMasked, rolesWithRead } from '../support/api-assertions.js';
import { startHarness, type Harness } from '../support/harness.js';
import { MATRIX, NO_PATIENT_ACCESS, PATIENT_FIELDS, expectedCell, type PatientField } from '../support/role-field-matrix.js';

// Issue 2, "must hold": the hand-written seed matrix (test/support/role-field-matrix.ts) holds over real HTTP for
// every default role and every Patient field, for a patient of the caller's department (DENNIS, cardiology) and one
// outside it (CARROLL, oncology). One query per role and side selects every Patient field.

const DEPARTMENTS = ['cardiology'];
const IN = { id: DENNIS, department: 'cardiology' };
const OUT = { id: CARROLL, department: 'oncology' };

/** The data class guarding each Patient field, written out here (rules/field-access.ts must agree). */
const FIELD_CLASS: Record<PatientField, string> = {
  id: 'demographics', name: 'demographics', gender: 'demographics', birthDate: 'demographics', department: 'demographics',
  address: 'contact', telecom: 'contact', mrn: 'demographics', ssn: 'demographics',
  conditions: 'clinical', observations: 'observations', medications: 'medications', allergies: 'medications',
  immunizations: 'clinical', encounters: 'encounters', carePlans: 'clinical', notes: 'notes',
  coverage: 'financial', claims: 'financial', explanationOfBenefits: 'financial',
};

/** How each field is selected: scalars bare, lists with a subfield. */
const SELECTION: Record<PatientField, string> = {
  id: 'id', name: 'name', gender: 'gender', birthDate: 'birthDate', department: 'department',
  address: 'address { city }', telecom: 'telecom { value }', mrn: 'mrn', ssn: 'ssn',
  conditions: 'conditions { id }', observations: 'observations { id }', medications: 'medications { id }',
  allergies: 'allergies { id }', immunizations: 'immunizations { id }', encounters: 'encounters { id }',
  carePlans: 'carePlans { id }', notes: 'notes { id }', coverage: 'coverage { id }', claims: 'claims { id }',
  explanationOfBenefits: 'explanationOfBenefits { id }',
};

const ALL_FIELDS_QUERY = `query ($id: ID!) { patient(id: $id) { ${PATIENT_FIELDS.map((f) => SELECTION[f]).join(' ')} } }`;
const LIST_FIELDS = new Set<PatientField>(PATIENT_FIELDS.filter((f) => SELECTION[f].includes('{')));

interface Truth {
  readonly id: string;
  readonly name: string;
  readonly gender: string;
  readonly birthDate: string;
  readonly department: string;
  readonly mrn: string;
  readonly ssn: string;
}

let h: Harness;
const truth = new Map<string, Truth>();

/** The patient as the FHIR server holds it: the expected value of every Y scalar, the plain value behind every M. */
async function fhirTruth(id: string, department: string): Promise<Truth> {
  const res = await fetch(`${h.running.fhir!.baseUrl('acme')}/Patient/${id}`);
  expect(res.status).toBe(200);
  const patient = (await res.json()) as Patient;
  const name = patient.name?.find((n) => n.use === 'official') ?? patient.name?.[0];
  const identifier = (code: string) => patient.identifier?.find((i) => i.type?.coding?.some((c) => c.code === code))?.value;
  expect(patient.managingOrganization?.reference).toBe(`Organization/dept-${department}`);
  return {
    id,
    name: [...(name?.given ?? []), name?.family].join(' '),
    gender: patient.gender!,
    birthDate: patient.birthDate!,
    department,
    mrn: identifier('MR')!,
    ssn: identifier('SS')!,
  };
}

beforeAll(async () => {
  h = await startHarness();
  truth.set(IN.id, await fhirTruth(IN.id, IN.department));
  truth.set(OUT.id, await fhirTruth(OUT.id, OUT.department));
  for (const t of truth.values()) expect(t.mrn.length > 4 && t.ssn.length > 4).toBe(true);
});
afterAll(() => h.stop());

/** failedScope the document implies for a denied field: the role reads the class for its departments only, or not at all. */
function expectedFailedScope(role: string, dataClass: string): string {
  const held = POLICY.roles[role]!.permissions.some((p) => p.dataClasses.includes(dataClass) && p.actions.includes('read'));
  return held ? 'department' : 'role';
}

describe('role x Patient field matrix over HTTP', () => {
  it('covers every role of the policy document exactly once (a new role forces a matrix update)', () => {
    const listed = [...Object.keys(MATRIX), ...NO_PATIENT_ACCESS];
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual(Object.keys(POLICY.roles).sort());
    for (const [role, spec] of Object.entries(MATRIX)) {
      expect(spec.in, role).toHaveLength(PATIENT_FIELDS.length);
      expect(spec.out, role).toHaveLength(PATIENT_FIELDS.length);
      expect(POLICY.roles[role]!.principalKinds, role).toContain(spec.kind);
    }
  });

  const cases = Object.keys(MATRIX).flatMap((role) => (['in', 'out'] as const).map((where) => ({ role, where })));

  it.each(cases)('$role, patient $where of department', async ({ role, where }) => {
    const target = where === 'in' ? IN : OUT;
    const plain = truth.get(target.id)!;
    const token = await h.token({ roles: [role], departments: DEPARTMENTS, kind: MATRIX[role]!.kind });
    const r = await h.gql<{ patient: Record<string, unknown> | null }>(token, ALL_FIELDS_QUERY, { id: target.id });
    expect(r.status).toBe(200);
    const patient = r.body.data?.patient;
    expect(patient, JSON.stringify(r.body.errors)).toBeTruthy();

    let denied = 0;
    for (const field of PATIENT_FIELDS) {
      const cell = expectedCell(role, field, where);
      const value = patient![field];
      const label = `${role} ${where} ${field} (${cell})`;
      if (cell === 'N') {
        denied++;
        expect(value, label).toBeNull();
        const dataClass = FIELD_CLASS[field];
        const failedScope = expectedFailedScope(role, dataClass);
        const error = expectForbidden(r.body, ['patient', field], dataClass, failedScope);
        const howToGet = String(error.extensions?.howToGet);
        // Every person's denial offers the way to ask, with its approval path (checked against the document).
        if (MATRIX[role]!.kind === 'user') expectAccessRequestPath(error, dataClass);
        if (failedScope === 'department') {
          expect(howToGet, label).toContain('cardiology');
          // The ready request: this very role, for the patient's department.
          expect(error.extensions?.requestAccess, label).toMatchObject({ requestedRole: role, scopeDepartments: [OUT.department] });
        }
        else {
          // The roles that read it, as far as this kind of principal can use them (requestAccess refuses the others).
          const kind = MATRIX[role]!.kind;
          for (const holder of rolesWithRead(dataClass)) {
            expect(howToGet.includes(`${holder},`) || howToGet.includes(`${holder})`), `${label} ${holder}`).toBe(
              POLICY.roles[holder]!.principalKinds.includes(kind),
            );
          }
        }
        continue;
      }
      // Y or M: returned, with no error at the field or anywhere beneath it.
      expect((r.body.errors ?? []).filter((e) => e.path?.[1] === field), label).toEqual([]);
      if (LIST_FIELDS.has(field)) {
        expect(Array.isArray(value), label).toBe(true);
        expect((value as unknown[]).length, `${label}: the fixture patient has data here`).toBeGreaterThan(0);
        continue;
      }
      const expected = plain[field as keyof Truth];
      if (cell === 'M') expectMasked(value, expected);
      else expect(value, label).toBe(expected);
    }
    expect(r.body.errors ?? [], 'exactly one error per denied field').toHaveLength(denied);
    // What a mask hides is nowhere else in the answer either: not in the id, a note's text, a reference (the seed's
    // MRN is not Synthea's, which was the Patient id). The whole body is searched.
    const body = JSON.stringify(r.body);
    for (const field of PATIENT_FIELDS) {
      if (expectedCell(role, field, where) !== 'M') continue;
      expect(body, `${role} ${where}: ${field} unmasked somewhere`).not.toContain(plain[field as keyof Truth]);
    }
  });

  it.each([...NO_PATIENT_ACCESS])('%s gets patient: null with FORBIDDEN at [patient], in and out of department', async (role) => {
    const token = await h.token({ roles: [role], departments: DEPARTMENTS });
    for (const target of [IN, OUT]) {
      const r = await h.gql<{ patient: unknown }>(token, ALL_FIELDS_QUERY, { id: target.id });
      expect(r.status).toBe(200);
      expect(r.body.data).toEqual({ patient: null });
      expect(r.body.errors).toHaveLength(1);
      expectForbidden(r.body, ['patient'], 'demographics', 'role');
    }
  });
});

describe('patientStatistics', () => {
  const STATS =
    '{ patientStatistics { total suppressionThreshold byGender { label count suppressed } byAgeBand { label count suppressed } } }';
  interface Bucket {
    label: string;
    count: number | null;
    suppressed: boolean;
  }
  interface Stats {
    total: number;
    suppressionThreshold: number;
    byGender: Bucket[];
    byAgeBand: Bucket[];
  }

  it('marketing-analyst gets anonymized counts with small cells suppressed, and no patient', async () => {
    const token = await h.token({ roles: ['marketing-analyst'] });
    const r = await h.gql<{ patientStatistics: Stats }>(token, STATS);
    expect(r.body.errors).toBeUndefined();
    const stats = r.body.data!.patientStatistics;
    expect(stats.total).toBe(8); // acme: eight Synthea patients
    expect(stats.suppressionThreshold).toBe(5);
    expect(stats.byGender.map((b) => b.label)).toEqual(['male', 'female', 'other', 'unknown']);
    expect(stats.byAgeBand.map((b) => b.label)).toEqual(['0-17', '18-39', '40-64', '65+']);
    const buckets = [...stats.byGender, ...stats.byAgeBand];
    // With 8 patients, male and female are both small or complementary: suppressed cells exist and carry no count.
    expect(buckets.filter((b) => b.suppressed).length).toBeGreaterThan(0);
    for (const b of buckets) {
      if (b.suppressed) expect(b.count).toBeNull();
      else expect(b.count === 0 || (b.count ?? 0) >= stats.suppressionThreshold, `${b.label}=${b.count}`).toBe(true);
    }

    const p = await h.gql(token, `{ patient(id: "${DENNIS}") { id name } }`);
    expect(p.body.data).toEqual({ patient: null });
    expectForbidden(p.body, ['patient'], 'demographics', 'role');
  });

  it('clinician gets FORBIDDEN on patientStatistics', async () => {
    const token = await h.token({ roles: ['clinician'], departments: DEPARTMENTS });
    const r = await h.gql(token, STATS);
    expect(r.body.data).toEqual({ patientStatistics: null });
    expect(r.body.errors).toHaveLength(1);
    expectForbidden(r.body, ['patientStatistics'], 'aggregates', 'role');
  });
});
