import type { Resilience } from '../common/resilient-call.js';
import type {
  AllergyIntoleranceRow,
  CarePlanRow,
  ClaimRow,
  ClinicalNoteRow,
  ConditionRow,
  CoverageRow,
  EncounterRow,
  ExplanationOfBenefitRow,
  ImmunizationRow,
  InvoiceRow,
  MedicationRequestRow,
  ObservationRow,
  PatientRow,
  PatientRowField,
  PatientStatisticsRow,
} from './rows.js';

// What resolvers may ask of the EHR. One EhrReader serves one request of one tenant: it holds that request's
// DataLoaders, so N patients' conditions cost one FHIR search (in chunks), not N. Every method rejects with a
// ConnectorError (connectors/common/connector-error.ts) when the FHIR server fails.

export interface PatientSearch {
  readonly name?: string | null;
  /**
   * Only these departments' patients (Patient.managingOrganization, any of them: a comma list is OR,
   * https://hl7.org/fhir/R4/search.html#combining); null or absent: every department.
   */
  readonly departments?: readonly string[] | null;
  /** Page size, already capped by the caller. */
  readonly first: number;
  readonly offset: number;
  /**
   * The PatientRow fields the caller will read, when it knows: the search then asks the FHIR server for only the
   * elements they are mapped from (`_elements`). Absent or null: whole resources.
   */
  readonly fields?: readonly PatientRowField[] | null;
}

export interface PatientPage {
  readonly rows: PatientRow[];
  readonly hasMore: boolean;
}

export interface ObservationFilter {
  /** A LOINC code (or `system|code`); all codes when absent. */
  readonly code?: string | null;
  /** Newest first, at most this many per patient. */
  readonly count: number;
}

export interface EhrReader {
  /** Null when the tenant has no such patient (or the id is not a valid FHIR id). */
  patient(id: string): Promise<PatientRow | null>;
  searchPatients(search: PatientSearch): Promise<PatientPage>;
  encounter(id: string): Promise<EncounterRow | null>;
  // Lists of one patient's record. The PatientRow is passed so rows inherit its guard (tenant, departments).
  conditions(patient: PatientRow): Promise<ConditionRow[]>;
  observations(patient: PatientRow, filter: ObservationFilter): Promise<ObservationRow[]>;
  medications(patient: PatientRow): Promise<MedicationRequestRow[]>;
  allergies(patient: PatientRow): Promise<AllergyIntoleranceRow[]>;
  immunizations(patient: PatientRow): Promise<ImmunizationRow[]>;
  encounters(patient: PatientRow): Promise<EncounterRow[]>;
  carePlans(patient: PatientRow): Promise<CarePlanRow[]>;
  notes(patient: PatientRow): Promise<ClinicalNoteRow[]>;
  coverage(patient: PatientRow): Promise<CoverageRow[]>;
  claims(patient: PatientRow): Promise<ClaimRow[]>;
  explanationOfBenefits(patient: PatientRow): Promise<ExplanationOfBenefitRow[]>;
  /** Newest first; an open balance is computed from them (mapping/invoice-rows.ts). */
  invoices(patient: PatientRow): Promise<InvoiceRow[]>;
  /** Anonymized counts; buckets under `suppressionThreshold` have count null and suppressed true. */
  statistics(suppressionThreshold: number): Promise<PatientStatisticsRow>;
}

/** Makes one EhrReader per request. `tenant` picks the tenant's FHIR base URL; unknown tenants get an empty reader. */
export interface EhrConnector {
  readonly name: string;
  forRequest(tenant: string): EhrReader;
  /** The circuit and health of a tenant's reads (null: no FHIR server for it), for `connectorHealth`. */
  resilience?(tenant: string): Resilience | null;
}
