import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEhrConnector } from '../../../connectors/ehr/create-ehr-connector.js';
import type { EhrConnector } from '../../../connectors/ehr/ehr-reader.js';
import type { EmbeddedFhirServer } from '../../../connectors/ehr/embedded-fhir-server.js';
import { createMemoryEhrConnector } from '../../../connectors/ehr/memory-ehr-connector.js';
import { defaultTenantSeed } from '../../../connectors/ehr/seed.js';
import { startDefaultServer } from './helpers.js';

// The in-memory transport answers the reader's searches exactly as the embedded FHIR server does over HTTP: same
// rows, same order, same paging, same number of searches.
let server: EmbeddedFhirServer;
let http: EhrConnector;
let memory: EhrConnector;
const counts = { http: 0, memory: 0 };
beforeAll(async () => {
  server = await startDefaultServer();
  http = createEhrConnector({ baseUrls: server.baseUrls(), timeoutMs: 5_000, onRequest: () => void counts.http++ });
  memory = createMemoryEhrConnector(await defaultTenantSeed(), { timeoutMs: 5_000, onRequest: () => void counts.memory++ });
}, 60_000);
afterAll(() => server.stop());

async function everything(c: EhrConnector, tenant: string) {
  const r = c.forRequest(tenant);
  const page1 = await r.searchPatients({ first: 5, offset: 0 });
  const page2 = await r.searchPatients({ first: 5, offset: 5 });
  const byName = await r.searchPatients({ first: 10, offset: 0, name: page1.rows[0]!.name!.split(' ')[0]! });
  // `_elements`: the same subset rows (the guard whole, unasked fields empty) from both.
  const subset = await r.searchPatients({ first: 5, offset: 0, fields: ['name', 'mrn'] });
  // Departments as a comma list (OR), one department, none at all.
  const two = await r.searchPatients({ first: 50, offset: 0, departments: ['cardiology', 'oncology'] });
  const departments = [
    two,
    await r.searchPatients({ first: 50, offset: 0, departments: ['pediatrics'] }),
    await r.searchPatients({ first: 50, offset: 0, departments: [] }),
    // Paged (the walk stops at the page's end and counts from the organization index: hasMore from the total), past
    // the end, and with another filter beside it (the walk then counts every match).
    await r.searchPatients({ first: 2, offset: 0, departments: ['cardiology', 'oncology'] }),
    await r.searchPatients({ first: 2, offset: 2, departments: ['cardiology', 'oncology'] }),
    await r.searchPatients({ first: 2, offset: 1_000, departments: ['cardiology', 'oncology'] }),
    // Exactly to the end: no next page (the total says so, not an extra row).
    await r.searchPatients({ first: two.rows.length - 1, offset: 1, departments: ['cardiology', 'oncology'] }),
    await r.searchPatients({ first: 1, offset: 0, departments: ['pediatrics', 'primary-care'], name: page1.rows[0]!.name!.split(' ')[0]! }),
    await r.searchPatients({ first: 3, offset: 1_000 }),
  ];
  expect(new Set(departments[0]!.rows.map((row) => row.department))).toEqual(new Set(['cardiology', 'oncology']));
  expect(departments[2]!.rows).toEqual([]);
  const lists = await Promise.all(
    [...page1.rows, ...page2.rows].map(async (p) => ({
      p,
      conditions: await r.conditions(p),
      observations: await r.observations(p, { count: 3 }),
      weight: await r.observations(p, { code: '29463-7', count: 2 }),
      medications: await r.medications(p),
      allergies: await r.allergies(p),
      immunizations: await r.immunizations(p),
      encounters: await r.encounters(p),
      carePlans: await r.carePlans(p),
      notes: await r.notes(p),
      coverage: await r.coverage(p),
      claims: await r.claims(p),
      eobs: await r.explanationOfBenefits(p),
    })),
  );
  const encounter = await r.encounter(lists[0]!.encounters[0]!.id);
  const one = await r.patient(page1.rows[1]!.id);
  const missing = await r.patient('no-such-patient');
  return { page1, page2, byName, subset, departments, lists, encounter, one, missing, stats: await r.statistics(2) };
}

describe('in-memory FHIR transport == embedded FHIR server over HTTP', () => {
  it.each(['acme', 'globex'])('tenant %s: same rows for every reader method, same number of searches', async (tenant) => {
    counts.http = 0;
    counts.memory = 0;
    const viaHttp = await everything(http, tenant);
    const viaMemory = await everything(memory, tenant);
    expect(viaMemory).toEqual(viaHttp);
    expect(viaHttp.lists.some((l) => l.conditions.length > 0 && l.notes.length > 0)).toBe(true);
    // The subset kept what was asked and the guard, and nothing else.
    viaHttp.subset.rows.forEach((row, i) => {
      const whole = viaHttp.page1.rows[i]!;
      expect({ guard: row.guard, id: row.id, name: row.name, mrn: row.mrn, department: row.department }).toEqual({
        guard: whole.guard,
        id: whole.id,
        name: whole.name,
        mrn: whole.mrn,
        department: whole.department,
      });
      // (ssn comes with mrn: both are Patient.identifier.)
      expect([row.birthDate, row.gender, row.address, row.telecom, row.language]).toEqual([null, null, [], [], null]);
    });
    expect(counts.memory).toBe(counts.http);
  });
});
