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
  Patient,
  Reference,
  Resource,
  CodeableConcept,
} from '@medplum/fhirtypes';
import { attachmentText, dosageText, firstCode, observationValue, orNull, referenceId, text } from './mapping/fhir-values.js';
import type {
  AllergyIntoleranceRow,
  CarePlanRow,
  ClinicalNoteRow,
  ConditionRow,
  EncounterRow,
  ImmunizationRow,
  MedicationRequestRow,
  ObservationRow,
  PatientRow,
  PatientRowField,
  RowGuard,
} from './rows.js';
import { hasSensitiveLabel, isSensitive, sensitivityOfShownText } from './sensitivity.js';

// FHIR R4 resources → the rows of rows.ts. Pure: no I/O, no clock. Every row gets its guard from the PatientRow it
// belongs to (tenant, patient, departments), so a row-level rule decides the same way whichever path reached it;
// `sensitive` comes from the row's own security labels (https://hl7.org/fhir/R4/security-labels.html) and, where
// there are none, from its codes and text (sensitivity.ts); a patient labelled sensitive makes every row of the
// record sensitive. What a row derives from (`derivedFrom`) is resolved by the reader (reader/derived-sensitivity.ts).

export { toClaimRow, toCoverageRow, toExplanationOfBenefitRow } from './mapping/billing-rows.js';
export { toInvoiceRow } from './mapping/invoice-rows.js';
export { referenceId } from './mapping/fhir-values.js';

const DEPARTMENT_REFERENCE = /^Organization\/dept-([A-Za-z0-9-]+)$/;

/** The department code of a `Organization/dept-<code>` reference (the seed's convention), else null. */
/** The Organization reference of a department (the inverse of departmentFromReference), for `organization=` searches. */
export function departmentReference(department: string): string {
  return `Organization/dept-${department}`;
}

/** Departments by reference: a list of 1000 patients names a handful of them (bounded: emptied when full). */
const DEPARTMENTS = new Map<string, string | null>();

export function departmentFromReference(reference: string | undefined): string | null {
  if (reference === undefined) return null;
  let department = DEPARTMENTS.get(reference);
  if (department === undefined) {
    department = DEPARTMENT_REFERENCE.exec(reference)?.[1] ?? null;
    if (DEPARTMENTS.size >= 1_000) DEPARTMENTS.clear();
    DEPARTMENTS.set(reference, department);
  }
  return department;
}

const NO_DEPARTMENTS: readonly string[] = Object.freeze([]);
const DEPARTMENT_LISTS = new Map<string, readonly string[]>();
/**
 * One frozen departments list per department: the rows of one department share it, so the permission layer finds
 * their decisions by the list itself (rules/decide.ts) instead of a key built per row.
 */
function departmentsOf(department: string): readonly string[] {
  let list = DEPARTMENT_LISTS.get(department);
  if (list === undefined) {
    list = Object.freeze([department]);
    if (DEPARTMENT_LISTS.size >= 1_000) DEPARTMENT_LISTS.clear();
    DEPARTMENT_LISTS.set(department, list);
  }
  return list;
}

const GUARDS = new WeakMap<RowGuard, { plain: RowGuard; sensitive: RowGuard }>();

/**
 * The guard of a row of this patient's record; `sensitive` is the row's own sensitivity. Rows of one patient share
 * two guard objects (plain and sensitive), so per-row decisions are made once per patient (rules/decide.ts caches by
 * guard object).
 */
export function guardFor(patient: PatientRow, sensitive = false): RowGuard {
  let pair = GUARDS.get(patient.guard);
  if (!pair) {
    const base = { tenant: patient.guard.tenant, patientId: patient.id, departments: patient.guard.departments };
    pair = {
      plain: Object.freeze({ ...base, sensitive: patient.guard.sensitive }),
      sensitive: Object.freeze({ ...base, sensitive: true }),
    };
    GUARDS.set(patient.guard, pair);
  }
  return sensitive ? pair.sensitive : pair.plain;
}

type Concept = CodeableConcept | undefined;

/** The texts of FHIR Annotations (`note`), which the word lists read like any free text. */
function notes(annotations: readonly { readonly text?: string }[] | undefined): string[] {
  return (annotations ?? []).flatMap((a) => (a.text ? [a.text] : []));
}

/** Whether a string the row shows (a field, or a string of its lists and objects) names a sensitive category. */
function showsSensitive(value: unknown): boolean {
  if (typeof value === 'string') return sensitivityOfShownText(value) !== null;
  if (Array.isArray(value)) return value.some(showsSensitive);
  if (value !== null && typeof value === 'object') return Object.values(value).some(showsSensitive);
  return false;
}

/** The guard a row is built with before `guarded` decides it: no departments, sensitive (fails closed if ever kept). */
const UNDECIDED: RowGuard = Object.freeze({ tenant: '', patientId: '', departments: NO_DEPARTMENTS, sensitive: true });

/**
 * Decides the row's guard, in place (the row is built for this call, its guard first as every row type has it, so
 * the permission layer reads it at one place on every type). Sensitive by the resource's labels, its codes and the
 * texts named here (which the row may not show: notes, reasons), and by every string the row itself shows, whatever
 * element it was mapped from: a tester found HIV in an observation component's valueString, a methadone clinic as an
 * encounter's service provider, an attachment title, a dose unit and a code display outside the value sets reaching
 * clinicians without the grant. Checking what the row shows holds for every field, present and future
 * (test/connectors/ehr/shown-text.test.ts). `derivedFrom` is references the reader follows, never shown.
 */
function guarded<R extends { guard: RowGuard }>(
  patient: PatientRow,
  resource: Resource,
  concepts: readonly Concept[],
  texts: readonly (string | null | undefined)[],
  row: R,
): R {
  let sensitive = isSensitive(resource.meta, concepts, texts);
  for (const key in row) {
    if (sensitive) break;
    if (key !== 'guard' && key !== 'derivedFrom') sensitive = showsSensitive(row[key]);
  }
  row.guard = guardFor(patient, sensitive);
  return row;
}

/** `Type/id` references a row derives from (the reader marks the row sensitive when one of them is). */
function refs(...references: (Reference | undefined)[]): string[] {
  return references.flatMap((r) => (r?.reference && /^[A-Za-z]+\/[A-Za-z0-9\-.]+$/.test(r.reference) ? [r.reference] : []));
}

/** "Given Family" of the official name, else the first name; null when there is none. */
function displayName(patient: Patient): string | null {
  const name = patient.name?.find((candidate) => candidate.use === 'official') ?? patient.name?.[0];
  if (!name) return null;
  if (name.text && !name.given && !name.family) return name.text;
  return [...(name.given ?? []), name.family].filter(Boolean).join(' ') || null;
}

function identifierValue(patient: Patient, typeCode: string, system?: string): string | null {
  const found = patient.identifier?.find(
    (identifier) =>
      identifier.type?.coding?.some((coding) => coding.code === typeCode) || (system !== undefined && identifier.system === system),
  );
  return found?.value ?? null;
}

/** The preferred (else first) Patient.communication language code, e.g. `es` or `en-US`. */
function preferredLanguage(patient: Patient): string | null {
  const communication = patient.communication?.find((c) => c.preferred) ?? patient.communication?.[0];
  return communication?.language.coding?.find((c) => c.code)?.code ?? null;
}

/** The Patient elements each PatientRow field is mapped from, by toPatientRow below. */
const PATIENT_ELEMENTS: Readonly<Record<PatientRowField, readonly string[]>> = {
  id: [],
  name: ['name'],
  gender: ['gender'],
  birthDate: ['birthDate'],
  department: ['managingOrganization'],
  address: ['address'],
  telecom: ['telecom'],
  language: ['communication'],
  mrn: ['identifier'],
  ssn: ['identifier'],
};

/**
 * The `_elements` that fill these PatientRow fields, always with what the guard is made of (id and meta come anyway:
 * meta carries the security labels; managingOrganization the departments). The guard never depends on what was asked.
 */
export function patientElements(fields: Iterable<PatientRowField>): string[] {
  const elements = new Set(['id', 'meta', 'managingOrganization']);
  for (const f of fields) for (const e of PATIENT_ELEMENTS[f]) elements.add(e);
  return [...elements];
}

export function toPatientRow(tenant: string, patient: Patient): PatientRow {
  const id = patient.id ?? '';
  const department = departmentFromReference(patient.managingOrganization?.reference);
  const departments = department ? departmentsOf(department) : NO_DEPARTMENTS;
  return {
    guard: Object.freeze({ tenant, patientId: id, departments, sensitive: hasSensitiveLabel(patient.meta) }),
    id,
    name: displayName(patient),
    gender: orNull(patient.gender),
    birthDate: orNull(patient.birthDate),
    department,
    address: (patient.address ?? []).map((address) => ({
      line: address.line ?? null,
      city: orNull(address.city),
      state: orNull(address.state),
      postalCode: orNull(address.postalCode),
      country: orNull(address.country),
    })),
    telecom: (patient.telecom ?? []).map((contact) => ({
      system: orNull(contact.system),
      value: orNull(contact.value),
      use: orNull(contact.use),
    })),
    language: preferredLanguage(patient),
    // v2-0203 identifier types (https://terminology.hl7.org/CodeSystem-v2-0203.html): MR and SS.
    mrn: identifierValue(patient, 'MR'),
    ssn: identifierValue(patient, 'SS', 'http://hl7.org/fhir/sid/us-ssn'),
  };
}

export function toConditionRow(condition: Condition, patient: PatientRow): ConditionRow {
  const row = guarded(patient, condition, [condition.code], notes(condition.note), {
    guard: UNDECIDED,
    id: condition.id ?? '',
    code: firstCode(condition.code),
    display: text(condition.code),
    clinicalStatus: firstCode(condition.clinicalStatus),
    onsetDate: condition.onsetDateTime ?? condition.onsetPeriod?.start ?? condition.recordedDate ?? null,
    sensitive: false, // the guard's, once decided
  });
  row.sensitive = row.guard.sensitive;
  return row;
}

export function toObservationRow(observation: Observation, patient: PatientRow): ObservationRow {
  const { value, unit } = observationValue(observation);
  return guarded(
    patient,
    observation,
    [
      observation.code,
      observation.valueCodeableConcept,
      ...(observation.component ?? []).flatMap((c) => [c.code, c.valueCodeableConcept]),
    ],
    [observation.valueString, ...(observation.component ?? []).map((c) => c.valueString), ...notes(observation.note)],
    {
    guard: UNDECIDED,
    id: observation.id ?? '',
    code: firstCode(observation.code),
    display: text(observation.code),
    category: firstCode(observation.category?.[0]),
    value,
    unit,
    effectiveDate:
      observation.effectiveDateTime ?? observation.effectivePeriod?.start ?? observation.effectiveInstant ?? observation.issued ?? null,
    },
  );
}

export function toMedicationRequestRow(request: MedicationRequest, patient: PatientRow): MedicationRequestRow {
  // A text-only medication (`medicationCodeableConcept.text`, no coding), the reason's text and every other free
  // text of the request (each dosage's text and patient instruction, its additional instructions and as-needed
  // reason, the status reason, the notes) go by the words: "1 tab daily, HIV positive" names HIV wherever it is.
  return guarded(
    patient,
    request,
    [
      request.medicationCodeableConcept,
      ...(request.reasonCode ?? []),
      request.statusReason,
      ...(request.dosageInstruction ?? []).flatMap((d) => [...(d.additionalInstruction ?? []), d.asNeededCodeableConcept]),
    ],
    [
      request.medicationReference?.display,
      ...(request.reasonReference ?? []).map((r) => r.display),
      ...notes(request.note),
      ...(request.dosageInstruction ?? []).flatMap((d) => [d.text, d.patientInstruction]),
    ],
    {
      guard: UNDECIDED,
      derivedFrom: refs(...(request.reasonReference ?? [])),
      id: request.id ?? '',
      medication: text(request.medicationCodeableConcept) ?? request.medicationReference?.display ?? null,
      status: orNull(request.status),
      authoredOn: orNull(request.authoredOn),
      dosage: dosageText(request.dosageInstruction?.[0]),
    },
  );
}

export function toAllergyIntoleranceRow(allergy: AllergyIntolerance, patient: PatientRow): AllergyIntoleranceRow {
  return guarded(patient, allergy, [allergy.code], [], {
    guard: UNDECIDED,
    id: allergy.id ?? '',
    substance: text(allergy.code),
    criticality: orNull(allergy.criticality),
    clinicalStatus: firstCode(allergy.clinicalStatus),
  });
}

export function toImmunizationRow(immunization: Immunization, patient: PatientRow): ImmunizationRow {
  return guarded(patient, immunization, [immunization.vaccineCode, ...(immunization.reasonCode ?? [])], [], {
    guard: UNDECIDED,
    id: immunization.id ?? '',
    vaccine: text(immunization.vaccineCode),
    status: orNull(immunization.status),
    date: immunization.occurrenceDateTime ?? immunization.recorded ?? null,
  });
}

/** The patient an Encounter is about (Encounter.subject), so encounter(id) can load the guard's PatientRow. */
export function encounterSubjectId(encounter: Encounter): string | null {
  return referenceId(encounter.subject, 'Patient');
}

export function toEncounterRow(encounter: Encounter, patient: PatientRow): EncounterRow {
  return guarded(
    patient,
    encounter,
    [...(encounter.type ?? []), ...(encounter.reasonCode ?? []), encounter.serviceType],
    (encounter.reasonReference ?? []).map((r) => r.display),
    {
      guard: UNDECIDED,
      derivedFrom: refs(...(encounter.reasonReference ?? []), ...(encounter.diagnosis ?? []).map((d) => d.condition)),
      id: encounter.id ?? '',
      type: text(encounter.type?.[0]),
      status: orNull(encounter.status),
      start: orNull(encounter.period?.start),
      end: orNull(encounter.period?.end),
      serviceProvider: encounter.serviceProvider?.display ?? null,
      subjectId: encounterSubjectId(encounter) ?? patient.id,
    },
  );
}

export function toCarePlanRow(carePlan: CarePlan, patient: PatientRow): CarePlanRow {
  return guarded(
    patient,
    carePlan,
    [...(carePlan.category ?? []), ...(carePlan.activity ?? []).flatMap((a) => [a.detail?.code, ...(a.detail?.reasonCode ?? [])])],
    [carePlan.title, carePlan.description, ...(carePlan.activity ?? []).flatMap((a) => [a.reference?.display, a.detail?.description])],
    {
      guard: UNDECIDED,
      derivedFrom: refs(...(carePlan.addresses ?? [])),
      id: carePlan.id ?? '',
      title: carePlan.title ?? text(carePlan.category?.[0]),
      status: orNull(carePlan.status),
      start: orNull(carePlan.period?.start),
      activities: (carePlan.activity ?? []).flatMap((activity) => {
        const name = text(activity.detail?.code) ?? activity.reference?.display;
        return name ? [name] : [];
      }),
    },
  );
}

export function toDiagnosticReportNote(report: DiagnosticReport, patient: PatientRow): ClinicalNoteRow {
  const presented = (report.presentedForm ?? []).map(attachmentText).find((value) => value !== null);
  return guarded(patient, report, [report.code, ...(report.conclusionCode ?? [])], [presented, report.conclusion], {
    guard: UNDECIDED,
    derivedFrom: refs(report.encounter),
    id: report.id ?? '',
    kind: 'DIAGNOSTIC_REPORT' as const,
    title: text(report.code),
    date: report.effectiveDateTime ?? report.effectivePeriod?.start ?? report.issued ?? null,
    text: presented ?? report.conclusion ?? null,
  });
}

export function toDocumentReferenceNote(document: DocumentReference, patient: PatientRow): ClinicalNoteRow {
  const content = (document.content ?? []).map((item) => attachmentText(item.attachment)).find((value) => value !== null);
  return guarded(
    patient,
    document,
    [document.type, ...(document.category ?? []), ...(document.context?.event ?? [])],
    [content, document.description],
    {
      guard: UNDECIDED,
      derivedFrom: refs(...(document.context?.encounter ?? []), ...(document.context?.related ?? [])),
      id: document.id ?? '',
      kind: 'DOCUMENT_REFERENCE' as const,
      title: document.description ?? text(document.type) ?? document.content?.[0]?.attachment?.title ?? null,
      date: orNull(document.date),
      text: content ?? null,
    },
  );
}
