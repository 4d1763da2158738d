import type { Encounter, Patient } from '@medplum/fhirtypes';
import DataLoader from 'dataloader';
import { toPatientRow } from '../fhir-mapping.js';
import type { ClinicalNoteRow, ObservationRow, PatientRow, RowGuard } from '../rows.js';
import { deriveSensitivity, needsDerivation, sensitiveReferences } from './derived-sensitivity.js';
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

type Derivable = { readonly id: string; readonly guard: RowGuard; readonly derivedFrom?: readonly string[] };

/**
 * A list loader whose rows are made sensitive by what they derive from (derived-sensitivity.ts): inside the batch,
 * the patients whose rows have references get their Conditions (and Encounters) through the request's loaders, so
 * a resolver's call costs the same ticks as a plain list and batches stay whole.
 */
function derivedLoader<T extends Derivable>(
  base: DataLoader<PatientRow, T[], string>,
  sources: readonly (readonly [string, DataLoader<PatientRow, readonly Derivable[], string>])[],
  chunkSize: number,
): DataLoader<PatientRow, T[], string> {
  return new DataLoader<PatientRow, T[], string>(
    async (patients) => {
      const lists = await base.loadMany(patients);
      return Promise.all(
        patients.map(async (patient, i) => {
          const rows = lists[i]!;
          if (rows instanceof Error || !needsDerivation(rows)) return rows;
          const sensitive = new Set<string>();
          for (const [type, loader] of sources) sensitiveReferences(type, await loader.load(patient), sensitive);
          return sensitive.size === 0 ? rows : deriveSensitivity(patient, rows, sensitive);
        }),
      );
    },
    { cacheKeyFn: (patient) => patient.id, maxBatchSize: chunkSize },
  );
}

export function createRequestLoaders(client: TenantFhirClient, tenant: string, chunkSize: number) {
  const conditions = createListLoader(client, specs.CONDITIONS, chunkSize);
  const encounterLists = derivedLoader(createListLoader(client, specs.ENCOUNTERS, chunkSize), [['Condition', conditions]], chunkSize);
  return {
    patients: byIdLoader<Patient, PatientRow>(
      (ids) => client.searchAll<Patient>('Patient', { _id: ids.join(',') }),
      (patient) => toPatientRow(tenant, patient),
      chunkSize,
    ),
    encounters: byIdLoader<Encounter, Encounter>(
      (ids) => client.searchAll<Encounter>('Encounter', { _id: ids.join(',') }),
      (e) => e,
      chunkSize,
    ),
    conditions,
    medications: derivedLoader(createListLoader(client, specs.MEDICATIONS, chunkSize), [['Condition', conditions]], chunkSize),
    allergies: createListLoader(client, specs.ALLERGIES, chunkSize),
    immunizations: createListLoader(client, specs.IMMUNIZATIONS, chunkSize),
    encounterLists,
    carePlans: derivedLoader(createListLoader(client, specs.CARE_PLANS, chunkSize), [['Condition', conditions]], chunkSize),
    coverage: createListLoader(client, specs.COVERAGE, chunkSize),
    claims: createListLoader(client, specs.CLAIMS, chunkSize),
    explanationOfBenefits: createListLoader(client, specs.EXPLANATIONS_OF_BENEFIT, chunkSize),
    invoices: createListLoader(client, specs.INVOICES, chunkSize),
    notes: derivedLoader(
      new DataLoader<PatientRow, ClinicalNoteRow[], string>(
        async (patients) => {
          // Notes are two resource types: two searches per batch, merged newest first.
          const [reports, documents] = await Promise.all([
            loadLists(client, specs.DIAGNOSTIC_REPORTS, patients),
            loadLists(client, specs.DOCUMENT_REFERENCES, patients),
          ]);
          return patients.map((_, index) =>
            [...(documents[index] ?? []), ...(reports[index] ?? [])].sort(
              (a, b) => (Date.parse(b.date ?? '') || 0) - (Date.parse(a.date ?? '') || 0),
            ),
          );
        },
        { cacheKeyFn: (patient) => patient.id, maxBatchSize: chunkSize },
      ),
      [
        ['Condition', conditions],
        ['Encounter', encounterLists],
      ],
      chunkSize,
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
