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
  Invoice,
  MedicationRequest,
  Observation,
} from '@medplum/fhirtypes';
import {
  referenceId,
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
  toInvoiceRow,
  toMedicationRequestRow,
  toObservationRow,
} from '../fhir-mapping.js';
import type { ListSpec } from './patient-list-loader.js';

// Which search parameter selects each resource type by patient, and which element it reads
// (https://hl7.org/fhir/R4/searchparameter-registry.html: `patient` is subject/patient/beneficiary restricted to
// Patient). medplum needs the `Patient/<id>` form of the value; a bare id matches nothing there.

const subject = (resource: { subject?: { reference?: string } }) => referenceId(resource.subject, 'Patient');
const patient = (resource: { patient?: { reference?: string } }) => referenceId(resource.patient, 'Patient');

export const CONDITIONS: ListSpec<Condition, ReturnType<typeof toConditionRow>> = {
  resourceType: 'Condition',
  patientParam: 'patient',
  patientOf: subject,
  toRow: toConditionRow,
  dateOf: (row) => row.onsetDate,
};

export const OBSERVATIONS: ListSpec<Observation, ReturnType<typeof toObservationRow>> = {
  resourceType: 'Observation',
  patientParam: 'patient',
  patientOf: subject,
  toRow: toObservationRow,
  dateOf: (row) => row.effectiveDate,
};

export const MEDICATIONS: ListSpec<MedicationRequest, ReturnType<typeof toMedicationRequestRow>> = {
  resourceType: 'MedicationRequest',
  patientParam: 'patient',
  patientOf: subject,
  toRow: toMedicationRequestRow,
  dateOf: (row) => row.authoredOn,
};

export const ALLERGIES: ListSpec<AllergyIntolerance, ReturnType<typeof toAllergyIntoleranceRow>> = {
  resourceType: 'AllergyIntolerance',
  patientParam: 'patient',
  patientOf: patient,
  toRow: toAllergyIntoleranceRow,
  dateOf: () => null,
};

export const IMMUNIZATIONS: ListSpec<Immunization, ReturnType<typeof toImmunizationRow>> = {
  resourceType: 'Immunization',
  patientParam: 'patient',
  patientOf: patient,
  toRow: toImmunizationRow,
  dateOf: (row) => row.date,
};

export const ENCOUNTERS: ListSpec<Encounter, ReturnType<typeof toEncounterRow>> = {
  resourceType: 'Encounter',
  patientParam: 'patient',
  patientOf: subject,
  toRow: toEncounterRow,
  dateOf: (row) => row.start,
};

export const CARE_PLANS: ListSpec<CarePlan, ReturnType<typeof toCarePlanRow>> = {
  resourceType: 'CarePlan',
  patientParam: 'patient',
  patientOf: subject,
  toRow: toCarePlanRow,
  dateOf: (row) => row.start,
};

export const DIAGNOSTIC_REPORTS: ListSpec<DiagnosticReport, ReturnType<typeof toDiagnosticReportNote>> = {
  resourceType: 'DiagnosticReport',
  patientParam: 'patient',
  patientOf: subject,
  toRow: toDiagnosticReportNote,
  dateOf: (row) => row.date,
};

export const DOCUMENT_REFERENCES: ListSpec<DocumentReference, ReturnType<typeof toDocumentReferenceNote>> = {
  resourceType: 'DocumentReference',
  patientParam: 'patient',
  patientOf: subject,
  toRow: toDocumentReferenceNote,
  dateOf: (row) => row.date,
};

export const COVERAGE: ListSpec<Coverage, ReturnType<typeof toCoverageRow>> = {
  resourceType: 'Coverage',
  patientParam: 'beneficiary',
  patientOf: (coverage) => referenceId(coverage.beneficiary, 'Patient'),
  toRow: toCoverageRow,
  dateOf: (row) => row.periodStart,
};

export const CLAIMS: ListSpec<Claim, ReturnType<typeof toClaimRow>> = {
  resourceType: 'Claim',
  patientParam: 'patient',
  patientOf: patient,
  toRow: toClaimRow,
  dateOf: (row) => row.created,
};

export const EXPLANATIONS_OF_BENEFIT: ListSpec<ExplanationOfBenefit, ReturnType<typeof toExplanationOfBenefitRow>> = {
  resourceType: 'ExplanationOfBenefit',
  patientParam: 'patient',
  patientOf: patient,
  toRow: toExplanationOfBenefitRow,
  dateOf: (row) => row.created,
};

export const INVOICES: ListSpec<Invoice, ReturnType<typeof toInvoiceRow>> = {
  resourceType: 'Invoice',
  patientParam: 'patient',
  patientOf: (invoice) => referenceId(invoice.subject, 'Patient'),
  toRow: toInvoiceRow,
  dateOf: (row) => row.date,
};
