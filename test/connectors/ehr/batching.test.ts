import type { Bundle } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEhrConnector } from '../../../connectors/ehr/create-ehr-connector.js';
import type { EhrConnectorOptions } from '../../../connectors/ehr/create-ehr-connector.js';
import type { EhrReader } from '../../../connectors/ehr/ehr-reader.js';
import { EmbeddedFhirServer } from '../../../connectors/ehr/embedded-fhir-server.js';
import type { PatientRow } from '../../../connectors/ehr/rows.js';
import { loadSyntheaFixtures, seedBundles, syntheticPatients } from '../../../connectors/ehr/seed.js';
import { patientIdOf } from './helpers.js';

// N+1 guard: the FHIR requests for a page of patients and their lists must not grow with the number of patients.
// Resolvers run like GraphQL execution does: every patient's fields requested concurrently.

let server: EmbeddedFhirServer;
let ids: string[];

beforeAll(async () => {
  const clones = syntheticPatients(await loadSyntheaFixtures(), 60);
  ids = clones.map(patientIdOf);
  server = await new EmbeddedFhirServer({ tenants: { bulk: seedBundles(clones) } }).start();
});

afterAll(async () => {
  await server.stop();
});

function connector(options: Partial<EhrConnectorOptions> = {}) {
  return createEhrConnector({ baseUrls: server.baseUrls(), timeoutMs: 20_000, ...options });
}

/** What a query `{ p1: patient(id) { conditions medications observations(count: 3) } ... }` makes the reader do. */
async function resolvePatients(reader: EhrReader, patientIds: readonly string[]) {
  const patients = await Promise.all(patientIds.map((id) => reader.patient(id)));
  return resolveLists(reader, patients);
}

async function resolveLists(reader: EhrReader, patients: readonly (PatientRow | null)[]) {
  return Promise.all(
    patients.map(async (patient) => {
      if (!patient) throw new Error('patient not found');
      const [conditions, medications, observations] = await Promise.all([
        reader.conditions(patient),
        reader.medications(patient),
        reader.observations(patient, { count: 3 }),
      ]);
      return { id: patient.id, conditions, medications, observations };
    }),
  );
}

/** Resource types of the requests sent since `from`, in order. */
function typesSince(from: number): string[] {
  return server.requests.slice(from).map((request) => request.url.split('?')[0] ?? '');
}

describe('batching', () => {
  it('sends the same 4 requests for 10 and for 50 patients', async () => {
    // A page size that holds a whole batch, so the count shows batching alone (paging is tested below).
    const counts: Record<number, string[]> = {};
    for (const n of [10, 50]) {
      const from = server.requests.length;
      const results = await resolvePatients(connector({ pageSize: 10_000 }).forRequest('bulk'), ids.slice(0, n));
      counts[n] = typesSince(from);
      expect(results).toHaveLength(n);
      expect(results.every((result) => result.observations.length === 3 && result.conditions.length > 0)).toBe(true);
    }
    console.info(`FHIR requests: 10 patients → ${counts[10]?.length}, 50 patients → ${counts[50]?.length}`);
    // One request per resource type (the order of the lists' searches within a tick is not a promise).
    expect(counts[10]?.slice(0, 1)).toEqual(['Patient']);
    expect([...(counts[10] ?? [])].sort()).toEqual(['Condition', 'MedicationRequest', 'Observation', 'Patient']);
    expect([...(counts[50] ?? [])].sort()).toEqual([...(counts[10] ?? [])].sort());
  });

  it('sends 1 + 3 requests for a searched page of 50 patients and their lists', async () => {
    const reader = connector({ pageSize: 10_000 }).forRequest('bulk');
    const from = server.requests.length;
    const page = await reader.searchPatients({ first: 50, offset: 0 });
    expect(page.rows).toHaveLength(50);
    await resolveLists(reader, page.rows);
    expect(typesSince(from).sort()).toEqual(['Condition', 'MedicationRequest', 'Observation', 'Patient']);
  });

  it('chunks ids: 50 patients at 20 per request are 3 requests per resource type', async () => {
    const from = server.requests.length;
    await resolvePatients(connector({ pageSize: 10_000, chunkSize: 20 }).forRequest('bulk'), ids.slice(0, 50));
    const types = typesSince(from);
    expect(types).toHaveLength(12);
    for (const type of ['Patient', 'Condition', 'MedicationRequest', 'Observation'])
      expect(types.filter((t) => t === type)).toHaveLength(3);
  });

  it('pages by volume with the default page size, with the same results', async () => {
    const expected = await resolvePatients(connector({ pageSize: 10_000 }).forRequest('bulk'), ids.slice(0, 50));
    const from = server.requests.length;
    const actual = await resolvePatients(connector().forRequest('bulk'), ids.slice(0, 50));
    expect(actual).toEqual(expected);
    const requests = server.requests.slice(from);
    const observationPages = requests.filter((request) => request.url.startsWith('Observation?'));
    const query = new URLSearchParams({ patient: ids.slice(0, 50).map((id) => `Patient/${id}`).join(','), _count: '0' });
    const total = ((await (await fetch(`${server.baseUrl('bulk')}/Observation?${query}`)).json()) as Bundle).total ?? 0;
    console.info(`default page size: ${requests.length} requests, ${observationPages.length} of them Observation pages`);
    // Conditions and medications of 50 patients fit one page of 1000; observations need a page per 1000 rows.
    expect(requests.filter((request) => request.url.startsWith('Condition?'))).toHaveLength(1);
    expect(requests.filter((request) => request.url.startsWith('MedicationRequest?'))).toHaveLength(1);
    // Every request names the whole batch: never one request per patient.
    for (const request of requests.slice(1)) expect(decodeURIComponent(request.url).split('Patient/').length - 1).toBe(50);
    // Sorted newest first, paging stops once every patient has its 3 newest, at the latest after the last page.
    expect(observationPages.length).toBeLessThanOrEqual(Math.ceil(total / 1000));
    expect(observationPages.map((request) => /_offset=(\d+)/.exec(request.url)?.[1])).toEqual(
      observationPages.map((_, page) => String(page * 1000)),
    );
  });
});
