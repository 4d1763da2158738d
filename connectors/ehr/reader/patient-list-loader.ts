import type { Resource } from '@medplum/fhirtypes';
import DataLoader from 'dataloader';
import type { SearchParams } from 'fhir-kit-client';
import type { PatientRow } from '../rows.js';
import type { TenantFhirClient } from './tenant-fhir-client.js';

// Per-patient lists with one search per resource type for all patients of a batch: `Condition?patient=Patient/a,
// Patient/b,...` (a comma is OR within one parameter, https://hl7.org/fhir/R4/search.html#combining), instead of one
// search per patient. DataLoader collects the patients that resolvers ask for in the same tick; maxBatchSize caps
// the ids per request so URLs stay short (100 ids ≈ 5 KB of query). Rows are grouped back by the patient
// reference each resource holds, so a resource about a patient not in the batch can never land in a list.

export interface ListSpec<R extends Resource, Row> {
  readonly resourceType: R['resourceType'];
  /** The reference search parameter that selects by patient (`patient`, `beneficiary`...). */
  readonly patientParam: string;
  /** The patient id a resource is about, read from the same element the search parameter indexes. */
  readonly patientOf: (resource: R) => string | null;
  readonly toRow: (resource: R, patient: PatientRow) => Row;
  /** Lists come back newest first by this date. */
  readonly dateOf: (row: Row) => string | null;
}

export interface ListLoadOptions {
  readonly extraParams?: SearchParams;
  /** Keep at most this many rows per patient, newest first; also lets paging stop early. */
  readonly perPatient?: number;
}

function newestFirst<Row extends { readonly id: string }>(dateOf: (row: Row) => string | null): (a: Row, b: Row) => number {
  return (a, b) => {
    const byDate = (Date.parse(dateOf(b) ?? '') || 0) - (Date.parse(dateOf(a) ?? '') || 0);
    return byDate !== 0 ? byDate : a.id.localeCompare(b.id);
  };
}

/** Loads one batch (≤ chunk size) of patients' lists of one resource type: one search, paged if needed. */
export async function loadLists<R extends Resource, Row extends { readonly id: string }>(
  client: TenantFhirClient,
  spec: ListSpec<R, Row>,
  patients: readonly PatientRow[],
  options: ListLoadOptions = {},
): Promise<Row[][]> {
  const byId = new Map<string, PatientRow>(patients.map((patient) => [patient.id, patient]));
  const { perPatient } = options;
  const enough =
    perPatient === undefined
      ? undefined
      : (soFar: readonly R[]) => {
          const counts = new Map<string, number>();
          for (const resource of soFar) {
            const id = spec.patientOf(resource);
            if (id !== null) counts.set(id, (counts.get(id) ?? 0) + 1);
          }
          return [...byId.keys()].every((id) => (counts.get(id) ?? 0) >= perPatient);
        };
  const params: SearchParams = {
    ...options.extraParams,
    [spec.patientParam]: [...byId.keys()].map((id) => `Patient/${id}`).join(','),
  };
  const resources = await client.searchAll<R>(spec.resourceType, params, enough);

  const lists = new Map<string, Row[]>([...byId.keys()].map((id) => [id, []]));
  for (const resource of resources) {
    const id = spec.patientOf(resource);
    const patient = id === null ? undefined : byId.get(id);
    if (patient) lists.get(patient.id)?.push(spec.toRow(resource, patient));
  }
  const order = newestFirst(spec.dateOf);
  return patients.map((patient) => {
    const rows = (lists.get(patient.id) ?? []).sort(order);
    return perPatient === undefined ? rows : rows.slice(0, perPatient);
  });
}

export function createListLoader<R extends Resource, Row extends { readonly id: string }>(
  client: TenantFhirClient,
  spec: ListSpec<R, Row>,
  chunkSize: number,
  options: ListLoadOptions = {},
): DataLoader<PatientRow, Row[], string> {
  return new DataLoader<PatientRow, Row[], string>((patients) => loadLists(client, spec, patients, options), {
    cacheKeyFn: (patient) => patient.id,
    maxBatchSize: chunkSize,
  });
}
