import type { Encounter, Patient } from '@medplum/fhirtypes';
import DataLoader from 'dataloader';
import { toPatientRow } from '../fhir-mapping.js';
import type { ClinicalNoteRow, ObservationRow, PatientRow } from '../rows.js';
import * as specs from './list-specs.js';
import { createListLoader, loadLists } from './patient-list-loader.js';
import type { TenantFhirClient } from './tenant-fhir-client.js';

// The DataLoaders of one request. By id: `Patient?_id=a,b,c` and `Encounter?_id=...`. Per patient: one search per
// resource type for the whole batch (patient-list-loader.ts).

function byIdLoader<T extends { id?: string }, Out>(
  load: (ids: readonly string[]) => Promise<T[]>,
  map: (resource: T) => Out,
  chunkSize: number,
): DataLoader<string, Out | null> {
  return new DataLoader<string, Out | null>(
    async (ids) => {
      const found = new Map((await load(ids)).map((resource) => [resource.id, map(resource)]));
      return ids.map((id) => found.get(id) ?? null);
    },
    { maxBatchSize: chunkSize },
  );
}

export function createRequestLoaders(client: TenantFhirClient, tenant: string, chunkSize: number) {
  return {
    patients: byIdLoader<Patient, PatientRow>(
      (ids) => client.searchAll<Patient>('Patient', { _id: ids.join(',') }),
      (patient) => toPatientRow(tenant, patient),
      chunkSize,
    ),
    encounters: byIdLoader<Encounter, Encounter>((ids) => client.searchAll<Encounter>('Encounter', { _id: ids.join(',') }), (e) => e, chunkSize),
    conditions: createListLoader(client, specs.CONDITIONS, chunkSize),
    medications: createListLoader(client, specs.MEDICATIONS, chunkSize),
    allergies: createListLoader(client, specs.ALLERGIES, chunkSize),
    immunizations: createListLoader(client, specs.IMMUNIZATIONS, chunkSize),
    encounterLists: createListLoader(client, specs.ENCOUNTERS, chunkSize),
    carePlans: createListLoader(client, specs.CARE_PLANS, chunkSize),
    coverage: createListLoader(client, specs.COVERAGE, chunkSize),
    claims: createListLoader(client, specs.CLAIMS, chunkSize),
    explanationOfBenefits: createListLoader(client, specs.EXPLANATIONS_OF_BENEFIT, chunkSize),
    invoices: createListLoader(client, specs.INVOICES, chunkSize),
    notes: new DataLoader<PatientRow, ClinicalNoteRow[], string>(
      async (patients) => {
        // Notes are two resource types: two searches per batch, merged newest first.
        const [reports, documents] = await Promise.all([
          loadLists(client, specs.DIAGNOSTIC_REPORTS, patients),
          loadLists(client, specs.DOCUMENT_REFERENCES, patients),
        ]);
        return patients.map((_, index) =>
          [...(documents[index] ?? []), ...(reports[index] ?? [])].sort((a, b) => (Date.parse(b.date ?? '') || 0) - (Date.parse(a.date ?? '') || 0)),
        );
      },
      { cacheKeyFn: (patient) => patient.id, maxBatchSize: chunkSize },
    ),
  };
}

export type RequestLoaders = ReturnType<typeof createRequestLoaders>;

/** Newest `count` observations per patient, optionally of one code; one loader per (code, count) in a request. */
export function createObservationLoader(
  client: TenantFhirClient,
  chunkSize: number,
  code: string | null,
  count: number,
): DataLoader<PatientRow, ObservationRow[], string> {
  // `_sort=-date` lets paging stop as soon as each patient of the batch has its newest `count`.
  const extraParams = { _sort: '-date', ...(code ? { code } : {}) };
  return createListLoader(client, specs.OBSERVATIONS, chunkSize, { extraParams, perPatient: count });
}
