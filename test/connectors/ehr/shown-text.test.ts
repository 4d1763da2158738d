import type {
  AllergyIntolerance,
  CarePlan,
  Condition,
  DiagnosticReport,
  DocumentReference,
  Encounter,
  Immunization,
  MedicationRequest,
  Observation,
  Resource,
} from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import {
  toAllergyIntoleranceRow,
  toCarePlanRow,
  toConditionRow,
  toDiagnosticReportNote,
  toDocumentReferenceNote,
  toEncounterRow,
  toImmunizationRow,
  toMedicationRequestRow,
  toObservationRow,
  toPatientRow,
} from '../../../connectors/ehr/fhir-mapping.js';
import type { RowGuard } from '../../../connectors/ehr/rows.js';

// A tester's finding: HIV, heroin use and a methadone clinic reached clinicians without the `sensitive` grant through
// elements the sensitivity check never read (an observation component's valueString, an encounter's service
// provider, an attachment title, a dose unit, a code display outside the value sets). The class: every string of a
// resource that reaches a field of its row. This test walks every string element of a fully populated resource of
// each kind, puts a sensitive text there alone, and requires: if the row shows it, the row is sensitive.

const SENSITIVE = 'HIV positive';
const patient = toPatientRow('acme', {
  resourceType: 'Patient',
  id: 'p-1',
  managingOrganization: { reference: 'Organization/dept-cardiology' },
});
const code = (text: string, c = '1234-5') => ({ coding: [{ system: 'http://loinc.org', code: c, display: `${text} (coded)` }], text });
const b64 = (text: string) => Buffer.from(text).toString('base64');

const MAPPERS: readonly { name: string; resource: Resource; map: (r: never) => { guard: RowGuard } }[] = [
  {
    name: 'Condition',
    map: (r: Condition) => toConditionRow(r, patient),
    resource: {
      resourceType: 'Condition', id: 'c-1', code: code('Hypertension'), clinicalStatus: code('active', 'active'),
      onsetDateTime: '2020-01-01', subject: { reference: 'Patient/p-1' }, note: [{ text: 'stable' }],
    } satisfies Condition,
  },
  {
    name: 'Observation (quantity, components)',
    map: (r: Observation) => toObservationRow(r, patient),
    resource: {
      resourceType: 'Observation', id: 'o-1', status: 'final', code: code('Panel'), category: [code('laboratory', 'laboratory')],
      effectiveDateTime: '2020-01-01', subject: { reference: 'Patient/p-1' },
      component: [
        { code: code('Comment'), valueString: 'Patient reports feeling well' },
        { code: code('Result'), valueCodeableConcept: code('Negative') },
        { code: code('Level'), valueQuantity: { value: 3, unit: 'mg/dL' } },
      ],
    } satisfies Observation,
  },
  {
    name: 'Observation (value)',
    map: (r: Observation) => toObservationRow(r, patient),
    resource: {
      resourceType: 'Observation', id: 'o-2', status: 'final', code: code('Weight'), valueQuantity: { value: 70, unit: 'kg' },
      subject: { reference: 'Patient/p-1' },
    } satisfies Observation,
  },
  {
    name: 'Observation (coded value)',
    map: (r: Observation) => toObservationRow(r, patient),
    resource: {
      resourceType: 'Observation', id: 'o-3', status: 'final', code: code('Smoking status'), valueCodeableConcept: code('Never smoker'),
      subject: { reference: 'Patient/p-1' },
    } satisfies Observation,
  },
  {
    name: 'MedicationRequest',
    map: (r: MedicationRequest) => toMedicationRequestRow(r, patient),
    resource: {
      resourceType: 'MedicationRequest', id: 'm-1', status: 'active', intent: 'order', authoredOn: '2020-01-01',
      subject: { reference: 'Patient/p-1' }, medicationCodeableConcept: code('Lisinopril 10 MG'),
      dosageInstruction: [{
        timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd' } },
        doseAndRate: [{ doseQuantity: { value: 1, unit: 'tablet' } }],
      }],
    } satisfies MedicationRequest,
  },
  {
    name: 'AllergyIntolerance',
    map: (r: AllergyIntolerance) => toAllergyIntoleranceRow(r, patient),
    resource: {
      resourceType: 'AllergyIntolerance', id: 'a-1', code: code('Tree pollen'), criticality: 'low',
      clinicalStatus: code('active', 'active'),
      patient: { reference: 'Patient/p-1' },
    } satisfies AllergyIntolerance,
  },
  {
    name: 'Immunization',
    map: (r: Immunization) => toImmunizationRow(r, patient),
    resource: {
      resourceType: 'Immunization', id: 'i-1', status: 'completed', vaccineCode: code('Influenza'), occurrenceDateTime: '2020-01-01',
      patient: { reference: 'Patient/p-1' },
    } satisfies Immunization,
  },
  {
    name: 'Encounter',
    map: (r: Encounter) => toEncounterRow(r, patient),
    resource: {
      resourceType: 'Encounter', id: 'e-1', status: 'finished', class: { code: 'AMB' }, type: [code('Checkup')],
      period: { start: '2020-01-01', end: '2020-01-01' }, serviceProvider: { reference: 'Organization/o-1', display: 'Springfield Clinic' },
      subject: { reference: 'Patient/p-1' },
    } satisfies Encounter,
  },
  {
    name: 'CarePlan',
    map: (r: CarePlan) => toCarePlanRow(r, patient),
    resource: {
      resourceType: 'CarePlan', id: 'cp-1', status: 'active', intent: 'plan', category: [code('Care plan')],
      period: { start: '2020-01-01' },
      subject: { reference: 'Patient/p-1' },
      activity: [{ detail: { status: 'in-progress', code: code('Exercise') } }, { reference: { display: 'Diet' } }],
    } satisfies CarePlan,
  },
  {
    name: 'DiagnosticReport',
    map: (r: DiagnosticReport) => toDiagnosticReportNote(r, patient),
    resource: {
      resourceType: 'DiagnosticReport', id: 'd-1', status: 'final', code: code('Metabolic panel'), effectiveDateTime: '2020-01-01',
      subject: { reference: 'Patient/p-1' }, conclusion: 'Unremarkable',
    } satisfies DiagnosticReport,
  },
  {
    name: 'DocumentReference',
    map: (r: DocumentReference) => toDocumentReferenceNote(r, patient),
    resource: {
      resourceType: 'DocumentReference', id: 'n-1', status: 'current', type: code('Progress note'), date: '2020-01-01',
      subject: { reference: 'Patient/p-1' },
      content: [{ attachment: { contentType: 'application/pdf', data: 'JVBERi0=', title: 'Visit summary' } }],
    } satisfies DocumentReference,
  },
  {
    name: 'DocumentReference (titled by its attachment)',
    map: (r: DocumentReference) => toDocumentReferenceNote(r, patient),
    resource: {
      resourceType: 'DocumentReference', id: 'n-2', status: 'current', date: '2020-01-01', subject: { reference: 'Patient/p-1' },
      content: [{ attachment: { contentType: 'text/plain', data: b64('Seen today.'), title: 'Visit summary' } }],
    } satisfies DocumentReference,
  },
];

/** Every string leaf of a JSON value, as a path. */
function stringPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringPaths(v, [...path, i]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringPaths(v, [...path, k]));
  return [];
}

function withText(resource: Resource, path: (string | number)[], text: string): Resource {
  const copy = structuredClone(resource) as unknown as Record<string | number, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path.at(-1)!] = text;
  return copy as unknown as Resource;
}

const shows = (row: object, text: string): boolean => {
  const { guard: _guard, derivedFrom: _refs, ...shown } = row as Record<string, unknown>;
  return JSON.stringify(shown).includes(text);
};

describe('a sensitive text anywhere a row shows it makes the row sensitive', () => {
  it.each(MAPPERS)('$name: every string element', ({ resource, map }) => {
    expect(map(resource as never).guard.sensitive, 'the base resource is plain').toBe(false);
    const shown: string[] = [];
    for (const path of stringPaths(resource)) {
      if (path[0] === 'resourceType') continue;
      const row = map(withText(resource, path, SENSITIVE) as never);
      if (!shows(row, SENSITIVE)) continue;
      shown.push(path.join('.'));
      expect(row.guard.sensitive, `${path.join('.')} is shown and sensitive`).toBe(true);
    }
    expect(shown.length).toBeGreaterThan(1);
  });

  it('the elements the tester used are among them', () => {
    const cases: [number, string][] = [
      [1, 'component.0.valueString'], [1, 'component.1.valueCodeableConcept.text'], [1, 'component.2.valueQuantity.unit'],
      [2, 'valueQuantity.unit'], [4, 'dosageInstruction.0.doseAndRate.0.doseQuantity.unit'], [7, 'serviceProvider.display'],
      [11, 'content.0.attachment.title'],
    ];
    for (const [i, dotted] of cases) {
      const { resource, map } = MAPPERS[i]!;
      const row = map(withText(resource, dotted.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k)), SENSITIVE) as never);
      expect(shows(row, SENSITIVE), `${MAPPERS[i]!.name} ${dotted} is shown`).toBe(true);
      expect(row.guard.sensitive, `${MAPPERS[i]!.name} ${dotted}`).toBe(true);
    }
    // A code display outside the value sets (no text): the display is what the row shows.
    const display = { coding: [{ system: 'http://snomed.info/sct', code: '706893006', display: 'HIV positive status' }] };
    expect(toConditionRow({ ...(MAPPERS[0]!.resource as Condition), code: display }, patient).guard.sensitive).toBe(true);
  });
});
