import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../connectors/ehr/embedded-fhir-server.js';
import { loadSyntheaFixtures, seedBundles, syntheticPatients } from '../../connectors/ehr/seed.js';
import { startHarness, type Harness } from '../support/harness.js';

// Issue 2, "must hold": a page of patients with their lists costs a fixed number of FHIR requests, measured over
// real HTTP at the embedded FHIR server, with the connector's defaults (100 ids per request, 10000 rows per page).
// No request is ever per patient: each one names the whole page of patients.
//
// Measured (60 synthetic acme patients, clinician of every department):
//   conditions + medications                          first 50: 3   first 10: 3
//   + observations(code: "8302-2", count: 3)          first 50: 4   first 10: 4
//   + observations(count: 3)  (the query)     first 50: 4   first 10: 4
// A FHIR server that caps `_count` lower is paged by `_offset`: more requests with more data, never one per patient.

const ALL_DEPARTMENTS = ['cardiology', 'oncology', 'pediatrics', 'primary-care'];

let h: Harness;
let token: string;

beforeAll(async () => {
  const clones = syntheticPatients(await loadSyntheaFixtures(), 60);
  h = await startHarness({ fhirSeed: { acme: seedBundles(clones) } });
  token = await h.token({ roles: ['clinician'], departments: ALL_DEPARTMENTS });
});
afterAll(() => h.stop());

interface Node {
  id: string;
  name: string;
  conditions: { display: string }[] | null;
  medications: { medication: string }[] | null;
  observations?: { code: string; value: string }[] | null;
}

/** Runs the query and returns its result and the FHIR requests it caused, by resource type. */
async function measure(first: number, observations: string) {
  const query = `{ patients(first: ${first}) { edges { node { id name conditions { display } medications { medication } ${observations} ` +
    `} } } }`;
  const from = h.running.fhir!.requests.length;
  const r = await h.gql<{ patients: { edges: { node: Node }[] } }>(token, query);
  const requests = h.running.fhir!.requests.slice(from);
  // A search narrowed by code says that sensitive rows are withheld from a caller without the grant, whether or not
  // any matched (src/resolvers/withheld.ts visibleRowsOfSearch): that notice only.
  expect((r.body.errors ?? []).filter((e) => !e.extensions?.withheld)).toEqual([]);
  const nodes = r.body.data!.patients.edges.map((e) => e.node);
  expect(nodes).toHaveLength(first);
  return { nodes, requests, byType: countByType(requests) };
}

function countByType(requests: readonly RecordedRequest[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const request of requests) {
    const type = request.url.split('?')[0] ?? '';
    counts[type] = (counts[type] ?? 0) + 1;
  }
  return counts;
}

/** Every list request names exactly the page's patients, all of them, in one request. */
function expectWholeBatch(requests: readonly RecordedRequest[], ids: readonly string[]): void {
  expect(requests[0]!.url.startsWith('Patient?')).toBe(true);
  for (const request of requests.slice(1)) {
    const patientParam = new URLSearchParams(request.url.split('?')[1]).get('patient') ?? '';
    expect(patientParam.split(',').sort()).toEqual(ids.map((id) => `Patient/${id}`).sort());
  }
}

describe('FHIR requests per page of patients (no N+1)', () => {
  it("the issue's query: first 50 and first 10 each cost exactly 4 requests, none per patient", async () => {
    const OBS = 'observations(count: 3) { code value }';
    const fifty = await measure(50, OBS);
    const ten = await measure(10, OBS);
    console.info(`FHIR requests: first 50 → ${fifty.requests.length}, first 10 → ${ten.requests.length}`);

    expect(fifty.byType).toEqual({ Patient: 1, Condition: 1, MedicationRequest: 1, Observation: 1 });
    expect(ten.byType).toEqual({ Patient: 1, Condition: 1, MedicationRequest: 1, Observation: 1 });
    expect(fifty.requests).toHaveLength(4);
    expect(ten.requests).toHaveLength(4);
    expectWholeBatch(fifty.requests, fifty.nodes.map((n) => n.id));
    expectWholeBatch(ten.requests, ten.nodes.map((n) => n.id));
    // One page of up to 10000 rows holds the batch's observations, newest first.
    const pages = fifty.requests
      .filter((r) => r.url.startsWith('Observation?'))
      .map((r) => new URLSearchParams(r.url.split('?')[1]).get('_count'));
    expect(pages).toEqual(['10000']);

    for (const node of fifty.nodes) {
      expect(node.conditions!.length).toBeGreaterThan(0);
      expect(node.medications).not.toBeNull();
      expect(node.observations).toHaveLength(3);
    }
    // The first ten of the 50-page are the 10-page, with the same data.
    expect(fifty.nodes.slice(0, 10)).toEqual(ten.nodes);
  });

  it('when the observations fit one page: 4 requests for first 50 and for first 10', async () => {
    const OBS = 'observations(code: "8302-2", count: 3) { code value }';
    const fifty = await measure(50, OBS);
    const ten = await measure(10, OBS);
    const expected = { Patient: 1, Condition: 1, MedicationRequest: 1, Observation: 1 };
    expect(fifty.byType).toEqual(expected);
    expect(ten.byType).toEqual(expected);
    expectWholeBatch(fifty.requests, fifty.nodes.map((n) => n.id));
    expect(fifty.nodes.every((n) => n.observations!.length > 0 && n.observations!.every((o) => o.code === '8302-2'))).toBe(true);
  });

  it('conditions and medications alone: 3 requests for first 50 and for first 10', async () => {
    const fifty = await measure(50, '');
    const ten = await measure(10, '');
    expect(fifty.byType).toEqual({ Patient: 1, Condition: 1, MedicationRequest: 1 });
    expect(ten.byType).toEqual(fifty.byType);
  });
});
