import type {
  AllergyIntolerance,
  CarePlan,
  Claim,
  Condition,
  Coverage,
  DiagnosticReport,
  DocumentReference,
  Encounter,
  ExplanationOfBenefit,
  Immunization,
  MedicationRequest,
  Observation,
  Patient,
  Resource,
} from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  departmentFromReference,
  guardFor,
  toAllergyIntoleranceRow,
  toCarePlanRow,
  toClaimRow,
  toConditionRow,
  toCoverageRow,
  toDiagnosticReportNote,
  toDocumentReferenceNote,
  toEncounterRow,
  toExplanationOfBenefitRow,
  toImmunizationRow,
  toMedicationRequestRow,
  toObservationRow,
  toPatientRow,
} from '../../../connectors/ehr/fhir-mapping.js';
import type { PatientRow } from '../../../connectors/ehr/rows.js';
import { loadSyntheaFixtures, seedPatientBundle } from '../../../connectors/ehr/seed.js';
import { hospitalMrn } from '../../../connectors/ehr/seed/hospital-mrn.js';
import { CARROLL, CHET, DENNIS, patientIdOf, resourcesOf } from './helpers.js';

// The mapping on real Synthea resources, as seeded (so managingOrganization, labels and reference displays exist).

let byPatient: Map<string, Resource[]>;

function ofType<T extends Resource>(patientId: string, type: T['resourceType']): T[] {
  return (byPatient.get(patientId) ?? []).filter((resource): resource is T => resource.resourceType === type);
}

function one<T extends Resource>(patientId: string, type: T['resourceType'], where: (resource: T) => boolean = () => true): T {
  const found = ofType<T>(patientId, type).find(where);
  if (!found) throw new Error(`no ${type} for ${patientId}`);
  return found;
}

function patientRow(id: string): PatientRow {
  return toPatientRow('acme', one<Patient>(id, 'Patient'));
}

beforeAll(async () => {
  const bundles = await loadSyntheaFixtures();
  byPatient = new Map(bundles.map((bundle) => [patientIdOf(bundle), resourcesOf([seedPatientBundle(bundle)])]));
});

describe('toPatientRow', () => {
  it('maps name, identifiers, department and guard of a Synthea patient', () => {
    const row = patientRow(CARROLL);
    expect(row).toMatchObject({
      id: CARROLL,
      name: "Carroll471 O'Hara248",
      gender: 'male',
      birthDate: '1954-06-13',
      department: 'oncology',
      mrn: hospitalMrn(CARROLL),
      ssn: '999-84-6370',
    });
    // The seed's hospital MRN: never the resource id, which demographics show unmasked (seed/hospital-mrn.ts).
    expect(row.mrn).toMatch(/^\d{8}$/);
    expect(row.guard).toEqual({ tenant: 'acme', patientId: CARROLL, departments: ['oncology'], sensitive: false });
    expect(row.address[0]).toMatchObject({ state: 'Massachusetts', country: 'US' });
    expect(row.address[0]?.line?.length).toBeGreaterThan(0);
    expect(row.telecom[0]).toMatchObject({ system: 'phone', use: 'home' });
  });

  it('prefers the official name and has no department without a dept-* managing organization', () => {
    const raw = one<Patient>(CHET, 'Patient');
    const patient: Patient = {
      ...raw,
      name: [{ use: 'maiden', given: ['Wrong'], family: 'Name' }, ...(raw.name ?? [])],
      managingOrganization: { reference: 'Organization/226098a2-6a40-3588-b5bb-db56c3a30a04' },
    };
    const row = toPatientRow('globex', patient);
    expect(row.name).toBe('Chet Hoeger');
    expect(row.department).toBeNull();
    expect(row.guard).toMatchObject({ tenant: 'globex', departments: [] });
  });

  it('reads departments only from the Organization/dept-<code> convention', () => {
    expect(departmentFromReference('Organization/dept-primary-care')).toBe('primary-care');
    expect(departmentFromReference('Organization/226098a2')).toBeNull();
    expect(departmentFromReference('Practitioner/dept-cardiology')).toBeNull();
    expect(departmentFromReference(undefined)).toBeNull();
    // Answers are remembered (bounded): the same asked again, and after more distinct references than it keeps.
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 1_500; i++) expect(departmentFromReference(`Organization/dept-d${i}`)).toBe(`d${i}`);
      expect(departmentFromReference('Organization/dept-primary-care')).toBe('primary-care');
      expect(departmentFromReference('Organization/dept-x/y')).toBeNull();
    }
  });
});

describe('clinical rows', () => {
  it('maps a Condition and takes sensitivity from its security labels only', () => {
    const patient = patientRow(CARROLL);
    const plain = toConditionRow(one<Condition>(CARROLL, 'Condition', (c) => c.code?.coding?.[0]?.code === '444814009'), patient);
    expect(plain).toMatchObject({ code: '444814009', display: 'Viral sinusitis (disorder)', clinicalStatus: 'resolved', sensitive: false });
    expect(plain.onsetDate).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const sensitive = toConditionRow(one<Condition>(CARROLL, 'Condition', (c) => c.code?.coding?.[0]?.code === '36923009'), patient);
    expect(sensitive).toMatchObject({ display: 'Major depression, single episode', clinicalStatus: 'active', sensitive: true });
    expect(sensitive.guard).toEqual({ ...guardFor(patient), sensitive: true });
  });

  it('renders Observation values: quantity, coded value and blood pressure components', () => {
    const patient = patientRow(CHET);
    const height = toObservationRow(one<Observation>(CHET, 'Observation', (o) => o.code?.coding?.[0]?.code === '8302-2'), patient);
    expect(height).toMatchObject({ code: '8302-2', display: 'Body Height', category: 'vital-signs', unit: 'cm' });
    expect(Number(height.value)).toBeGreaterThan(100);
    const smoking = toObservationRow(one<Observation>(CHET, 'Observation', (o) => o.valueCodeableConcept !== undefined), patient);
    expect(smoking.value).toMatch(/smoker/i);
    expect(smoking.unit).toBeNull();
    const bp = one<Observation>(CHET, 'Observation', (o) => o.component !== undefined);
    const systolic = bp.component?.find((c) => c.code.coding?.[0]?.code === '8480-6')?.valueQuantity?.value;
    const diastolic = bp.component?.find((c) => c.code.coding?.[0]?.code === '8462-4')?.valueQuantity?.value;
    expect(toObservationRow(bp, patient)).toMatchObject({ value: `${systolic}/${diastolic}`, unit: 'mm[Hg]' });
    expect(height.guard).toEqual(guardFor(patient));
  });

  it('maps medications with dosage text, allergies, immunizations, encounters and care plans', () => {
    const patient = patientRow(DENNIS);
    const daily = ofType<MedicationRequest>(DENNIS, 'MedicationRequest').find((m) => m.dosageInstruction?.[0]?.timing);
    expect(daily && toMedicationRequestRow(daily, patient).dosage).toBe('dose 1, 1 time(s) every 1 d');
    const prn = one<MedicationRequest>(DENNIS, 'MedicationRequest', (m) => m.dosageInstruction?.[0]?.asNeededBoolean === true);
    expect(toMedicationRequestRow(prn, patient)).toMatchObject({ medication: prn.medicationCodeableConcept?.text, dosage: 'as needed' });

    expect(toAllergyIntoleranceRow(one<AllergyIntolerance>(DENNIS, 'AllergyIntolerance'), patient)).toMatchObject({
      substance: 'Allergy to tree pollen',
      criticality: 'low',
      clinicalStatus: 'active',
    });
    const immunization = toImmunizationRow(one<Immunization>(DENNIS, 'Immunization'), patient);
    expect(immunization.status).toBe('completed');
    expect(immunization.vaccine).toBeTruthy();

    const encounter = toEncounterRow(one<Encounter>(DENNIS, 'Encounter'), patient);
    expect(encounter.subjectId).toBe(DENNIS);
    // The SMART file has no display on serviceProvider; the seed adds the Organization's name.
    expect(encounter.serviceProvider).toMatch(/[A-Z]/);
    const carePlan = toCarePlanRow(one<CarePlan>(DENNIS, 'CarePlan', (c) => (c.activity?.length ?? 0) > 0), patient);
    expect(carePlan.title).toBeTruthy();
    expect(carePlan.activities.length).toBeGreaterThan(0);
  });
});

describe('notes', () => {
  it('decodes DiagnosticReport presentedForm text, else falls back to the conclusion', () => {
    const patient = patientRow(CHET);
    const report = one<DiagnosticReport>(CHET, 'DiagnosticReport');
    expect(toDiagnosticReportNote(report, patient)).toMatchObject({ kind: 'DIAGNOSTIC_REPORT', text: null, title: report.code.text });
    const withText: DiagnosticReport = {
      ...report,
      presentedForm: [{ contentType: 'text/plain', data: Buffer.from('Hemoglobin normal.').toString('base64') }],
    };
    expect(toDiagnosticReportNote(withText, patient).text).toBe('Hemoglobin normal.');
    expect(toDiagnosticReportNote({ ...report, conclusion: 'Unremarkable' }, patient).text).toBe('Unremarkable');
    const pdf: DiagnosticReport = { ...report, presentedForm: [{ contentType: 'application/pdf', data: 'JVBERi0=' }] };
    expect(toDiagnosticReportNote(pdf, patient).text).toBeNull();
  });

  it('decodes the seeded DocumentReference and carries its sensitivity', () => {
    const patient = patientRow(CARROLL);
    const note = toDocumentReferenceNote(one<DocumentReference>(CARROLL, 'DocumentReference'), patient);
    expect(note).toMatchObject({ kind: 'DOCUMENT_REFERENCE', title: 'Progress note' });
    expect(note.text).toContain("Progress note for Carroll471 O'Hara248");
    expect(note.text).toContain('Major depression');
    expect(note.guard.sensitive).toBe(true);
  });
});

describe('billing rows', () => {
  it('maps Claim totals, provider and payer', () => {
    const patient = patientRow(CHET);
    const claim = one<Claim>(CHET, 'Claim');
    expect(toClaimRow(claim, patient)).toMatchObject({
      status: 'active',
      type: claim.type.coding?.[0]?.code,
      total: claim.total?.value,
      currency: 'USD',
      insurer: 'private',
      patientId: CHET,
      provider: 'GOOD SAMARITAN MEDICAL CENTER',
    });
  });

  it('maps ExplanationOfBenefit submitted total and payment', () => {
    const patient = patientRow(CARROLL);
    const eob = one<ExplanationOfBenefit>(CARROLL, 'ExplanationOfBenefit', (e) => (e.payment?.amount?.value ?? 0) > 0);
    const row = toExplanationOfBenefitRow(eob, patient);
    const submitted = eob.total?.find((t) => t.category.coding?.[0]?.code === 'submitted')?.amount?.value;
    expect(row).toMatchObject({ totalSubmitted: submitted, payment: eob.payment?.amount?.value, currency: 'USD' });
    expect(row.insurer).toBeTruthy();
  });

  it('maps the seeded Coverage', () => {
    const row = toCoverageRow(one<Coverage>(CARROLL, 'Coverage'), patientRow(CARROLL));
    expect(row).toMatchObject({ payer: 'Medicare', status: 'active' });
    expect(row.subscriberId).toMatch(/^SUB\d{9}$/);
    expect(row.periodStart).toMatch(/^\d{4}-/);
  });
});
