// The shapes the EHR connector hands to resolvers: plain objects mapped from FHIR R4 resources by fhir-mapping.ts.
// Each row carries a RowGuard, the facts a row-level rule needs (tenant, patient, department, sensitivity), so the
// decision for a field never depends on how the row was reached (Query.patient, Encounter.subject, Claim.patient).

export interface RowGuard {
  readonly tenant: string;
  /** The patient whose record this row belongs to (for a Patient row, its own id). */
  readonly patientId: string;
  /** Departments that hold the patient's record, from Patient.managingOrganization (`Organization/dept-<code>`). */
  readonly departments: readonly string[];
  /**
   * True when the row is in a sensitive category (HIV, substance use, mental health): by its security labels, its
   * codes or text (sensitivity.ts) or what it derives from. rules/row-facts.ts is the kernel's view of this shape.
   */
  readonly sensitive: boolean;
}

interface Row {
  readonly guard: RowGuard;
  readonly id: string;
  /**
   * `Type/id` references of what the row is about or part of (an Encounter's reason Conditions, a note's Encounter):
   * the reader makes the row sensitive when one of them is (reader/derived-sensitivity.ts). Not a GraphQL field.
   */
  readonly derivedFrom?: readonly string[];
}

export interface AddressRow {
  readonly line: string[] | null;
  readonly city: string | null;
  readonly state: string | null;
  readonly postalCode: string | null;
  readonly country: string | null;
}

export interface ContactPointRow {
  readonly system: string | null;
  readonly value: string | null;
  readonly use: string | null;
}

export interface PatientRow extends Row {
  readonly name: string | null;
  readonly gender: string | null;
  readonly birthDate: string | null;
  readonly department: string | null;
  readonly address: AddressRow[];
  readonly telecom: ContactPointRow[];
  /** Preferred language (BCP-47, e.g. `es`) from Patient.communication; picks the message template's translation. */
  readonly language: string | null;
  /** Unmasked values: the resolver masks them unless the caller holds the identifiers grant. */
  readonly mrn: string | null;
  readonly ssn: string | null;
}

/** The PatientRow fields a caller can ask the reader to fill (the guard is always filled). */
export type PatientRowField = Exclude<keyof PatientRow, 'guard' | 'derivedFrom'>;

export interface ConditionRow extends Row {
  readonly code: string | null;
  readonly display: string | null;
  readonly clinicalStatus: string | null;
  readonly onsetDate: string | null;
  readonly sensitive: boolean;
}

export interface ObservationRow extends Row {
  readonly code: string | null;
  readonly display: string | null;
  readonly category: string | null;
  readonly value: string | null;
  readonly unit: string | null;
  readonly effectiveDate: string | null;
}

export interface MedicationRequestRow extends Row {
  readonly medication: string | null;
  readonly status: string | null;
  readonly authoredOn: string | null;
  readonly dosage: string | null;
}

export interface AllergyIntoleranceRow extends Row {
  readonly substance: string | null;
  readonly criticality: string | null;
  readonly clinicalStatus: string | null;
}

export interface ImmunizationRow extends Row {
  readonly vaccine: string | null;
  readonly status: string | null;
  readonly date: string | null;
}

export interface EncounterRow extends Row {
  readonly type: string | null;
  readonly status: string | null;
  readonly start: string | null;
  readonly end: string | null;
  readonly serviceProvider: string | null;
  /** Patient id of Encounter.subject; the resolver loads the PatientRow (with its own guard). */
  readonly subjectId: string;
}

export interface CarePlanRow extends Row {
  readonly title: string | null;
  readonly status: string | null;
  readonly start: string | null;
  readonly activities: string[];
}

type NoteKind = 'DIAGNOSTIC_REPORT' | 'DOCUMENT_REFERENCE';

export interface ClinicalNoteRow extends Row {
  readonly kind: NoteKind;
  readonly title: string | null;
  readonly date: string | null;
  readonly text: string | null;
}

export interface CoverageRow extends Row {
  readonly payer: string | null;
  readonly status: string | null;
  readonly subscriberId: string | null;
  readonly periodStart: string | null;
}

export interface ClaimRow extends Row {
  readonly status: string | null;
  readonly type: string | null;
  readonly created: string | null;
  readonly provider: string | null;
  readonly insurer: string | null;
  readonly total: number | null;
  readonly currency: string | null;
  readonly patientId: string;
}

export interface ExplanationOfBenefitRow extends Row {
  readonly status: string | null;
  readonly created: string | null;
  readonly insurer: string | null;
  readonly totalSubmitted: number | null;
  readonly payment: number | null;
  readonly currency: string | null;
}

export interface InvoiceRow extends Row {
  /** issued (open), balanced (paid), cancelled... */
  readonly status: string | null;
  readonly date: string | null;
  readonly totalGross: number | null;
  /** What the patient owes on it, refunds already taken off. */
  readonly totalNet: number | null;
  readonly currency: string | null;
  /** Refunds recorded on it (discount price components). */
  readonly refunded: number;
  readonly accountId: string | null;
  /** Failed automatic payment attempts (billing.failedPaymentEscalation reads it). */
  readonly failedPaymentAttempts: number;
}

/** The patient's open balance: the issued invoices' totalNet. */
export interface AccountBalanceRow {
  readonly guard: RowGuard;
  readonly amount: number;
  readonly currency: string;
  readonly openInvoices: number;
}

export interface StatisticsBucketRow {
  readonly label: string;
  readonly count: number | null;
  readonly suppressed: boolean;
}

export interface PatientStatisticsRow {
  readonly total: number | null;
  readonly byGender: StatisticsBucketRow[];
  readonly byAgeBand: StatisticsBucketRow[];
  readonly suppressionThreshold: number;
}
