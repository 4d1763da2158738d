import type { Patient } from '@medplum/fhirtypes';
import type DataLoader from 'dataloader';
import { ConnectorError } from '../../common/connector-error.js';
import type { EhrReader, ObservationFilter, PatientPage, PatientSearch } from '../ehr-reader.js';
import { departmentReference, encounterSubjectId, patientElements, toEncounterRow, toPatientRow } from '../fhir-mapping.js';
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
  PatientStatisticsRow,
} from '../rows.js';
import { loadStatistics } from './patient-statistics.js';
import { createObservationLoader, createRequestLoaders } from './request-loaders.js';
import type { RequestLoaders } from './request-loaders.js';
import type { TenantFhirClient } from './tenant-fhir-client.js';
import { isFhirId } from '../../../spec/fhir-id.js';
import { deriveSensitivity, needsDerivation, sensitiveReferences } from './derived-sensitivity.js';

// The EhrReader of one request of one tenant. Its DataLoaders live as long as the request, so a patient asked for
// by three resolvers is read once, and N patients' conditions are one search (per chunk of ids), not N.


export interface FhirEhrReaderOptions {
  readonly tenant: string;
  readonly client: TenantFhirClient;
  /** Patient ids per search request. */
  readonly chunkSize: number;
  readonly now: () => Date;
}

export class FhirEhrReader implements EhrReader {
  private readonly loaders: RequestLoaders;
  private readonly observationLoaders = new Map<string, DataLoader<PatientRow, ObservationRow[], string>>();

  constructor(private readonly options: FhirEhrReaderOptions) {
    this.loaders = createRequestLoaders(options.client, options.tenant, options.chunkSize);
  }

  /** A PatientRow of another tenant must never select records here (the same id could exist in both). */
  private own(patient: PatientRow): PatientRow {
    if (patient.guard.tenant !== this.options.tenant) {
      throw new ConnectorError('ehr', 'REJECTED', null, 'ehr: patient row belongs to another tenant');
    }
    return patient;
  }

  async patient(id: string): Promise<PatientRow | null> {
    // An id that is not FHIR id syntax is answered null without a request.
    return isFhirId(id) ? this.loaders.patients.load(id) : null;
  }

  async searchPatients(search: PatientSearch): Promise<PatientPage> {
    const first = Math.max(0, Math.floor(search.first));
    const offset = Math.max(0, Math.floor(search.offset));
    const name = search.name?.trim();
    // No department at all: nobody's patients (an empty list is not "every department").
    if (search.departments?.length === 0) return { rows: [], hasMore: false };
    // Only the elements the caller will read, when it says which (https://hl7.org/fhir/R4/search.html#elements).
    const elements = search.fields ? patientElements(search.fields) : null;
    // One extra row tells whether there is a next page; _id breaks ties so pages never overlap.
    const bundle = await this.options.client.searchPage<Patient>('Patient', {
      ...(name ? { name } : {}),
      ...(search.departments ? { organization: search.departments.map(departmentReference).join(',') } : {}),
      ...(elements ? { _elements: elements.join(',') } : {}),
      _count: first + 1,
      _offset: offset,
      _sort: 'family,given,_id',
    });
    const found = (bundle.entry ?? []).flatMap((entry) => (entry.resource ? [entry.resource] : []));
    const rows = found.slice(0, first).map((patient) => toPatientRow(this.options.tenant, patient));
    // Whole rows only: another resolver loading one of these patients by id (Encounter.subject) may read any field.
    if (!elements) for (const row of rows) this.loaders.patients.prime(row.id, row);
    const hasMore = found.length > first || (bundle.total !== undefined && offset + first < bundle.total);
    return { rows, hasMore };
  }

  async encounter(id: string): Promise<EncounterRow | null> {
    if (!isFhirId(id)) return null;
    const encounter = await this.loaders.encounters.load(id);
    const subjectId = encounter ? encounterSubjectId(encounter) : null;
    // No patient, no guard: an encounter whose subject is not a readable patient is treated as not found.
    const patient = subjectId ? await this.patient(subjectId) : null;
    if (!encounter || !patient) return null;
    const rows = [toEncounterRow(encounter, patient)];
    // Made sensitive by its reason Conditions, like the same encounter in the patient's list.
    if (!needsDerivation(rows)) return rows[0]!;
    return deriveSensitivity(patient, rows, sensitiveReferences('Condition', await this.loaders.conditions.load(patient)))[0]!;
  }

  async conditions(patient: PatientRow): Promise<ConditionRow[]> {
    return this.loaders.conditions.load(this.own(patient));
  }

  async observations(patient: PatientRow, filter: ObservationFilter): Promise<ObservationRow[]> {
    const owned = this.own(patient);
    const count = Math.max(0, Math.floor(filter.count));
    if (count === 0) return [];
    const code = filter.code?.trim() || null;
    const key = `${code ?? ''}|${count}`;
    let loader = this.observationLoaders.get(key);
    if (!loader) {
      loader = createObservationLoader(this.options.client, this.options.chunkSize, code, count);
      this.observationLoaders.set(key, loader);
    }
    return loader.load(owned);
  }

  async medications(patient: PatientRow): Promise<MedicationRequestRow[]> {
    return this.loaders.medications.load(this.own(patient));
  }

  async allergies(patient: PatientRow): Promise<AllergyIntoleranceRow[]> {
    return this.loaders.allergies.load(this.own(patient));
  }

  async immunizations(patient: PatientRow): Promise<ImmunizationRow[]> {
    return this.loaders.immunizations.load(this.own(patient));
  }

  async encounters(patient: PatientRow): Promise<EncounterRow[]> {
    return this.loaders.encounterLists.load(this.own(patient));
  }

  async carePlans(patient: PatientRow): Promise<CarePlanRow[]> {
    return this.loaders.carePlans.load(this.own(patient));
  }

  async notes(patient: PatientRow): Promise<ClinicalNoteRow[]> {
    return this.loaders.notes.load(this.own(patient));
  }

  async coverage(patient: PatientRow): Promise<CoverageRow[]> {
    return this.loaders.coverage.load(this.own(patient));
  }

  async claims(patient: PatientRow): Promise<ClaimRow[]> {
    return this.loaders.claims.load(this.own(patient));
  }

  async explanationOfBenefits(patient: PatientRow): Promise<ExplanationOfBenefitRow[]> {
    return this.loaders.explanationOfBenefits.load(this.own(patient));
  }

  async invoices(patient: PatientRow): Promise<InvoiceRow[]> {
    return this.loaders.invoices.load(this.own(patient));
  }

  async statistics(suppressionThreshold: number): Promise<PatientStatisticsRow> {
    return loadStatistics(this.options.client, suppressionThreshold, this.options.now());
  }
}
