import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEhrConnector } from '../../../connectors/ehr/create-ehr-connector.js';
import type { FhirRequestEvent } from '../../../connectors/ehr/create-ehr-connector.js';
import type { EmbeddedFhirServer } from '../../../connectors/ehr/embedded-fhir-server.js';
import type { EhrConnector } from '../../../connectors/ehr/ehr-reader.js';
import { suppressBuckets } from '../../../connectors/ehr/reader/patient-statistics.js';
import { TenantFhirClient } from '../../../connectors/ehr/reader/tenant-fhir-client.js';
import { ConnectorError } from '../../../connectors/common/connector-error.js';
import { CARROLL, CHET, DENNIS, FRANKIE, KARENA, startDefaultServer } from './helpers.js';

// The EhrReader against the default two-tenant embedded server.

let server: EmbeddedFhirServer;
let connector: EhrConnector;
let sent: FhirRequestEvent[];

beforeAll(async () => {
  server = await startDefaultServer();
  connector = createEhrConnector({
    baseUrls: server.baseUrls(),
    timeoutMs: 5000,
    onRequest: (event) => sent.push(event),
    now: () => new Date('2020-06-01T00:00:00Z'),
  });
});

beforeEach(() => {
  sent = [];
});

afterAll(async () => {
  await server.stop();
});

describe('patients', () => {
  it('batches concurrent patient reads into one _id search', async () => {
    const reader = connector.forRequest('acme');
    const rows = await Promise.all([
      reader.patient(CARROLL),
      reader.patient(CHET),
      reader.patient(CARROLL),
      reader.patient('no-such-patient'),
    ]);
    expect(rows.map((row) => row?.id ?? null)).toEqual([CARROLL, CHET, CARROLL, null]);
    expect(sent).toHaveLength(1);
    expect(decodeURIComponent(sent[0]?.url ?? '')).toContain(`_id=${CARROLL},${CHET},no-such-patient`);
    expect(await reader.patient(CHET)).toBe(rows[1]);
    expect(sent).toHaveLength(1);
  });

  it('answers null for an invalid id without any request', async () => {
    const reader = connector.forRequest('acme');
    expect(await reader.patient('../Patient?_id=x')).toBeNull();
    expect(await reader.patient('a'.repeat(65))).toBeNull();
    expect(await reader.encounter('bad id')).toBeNull();
    expect(sent).toHaveLength(0);
  });

  it('pages a name-sorted search without overlap', async () => {
    const reader = connector.forRequest('acme');
    const pages = [
      await reader.searchPatients({ first: 3, offset: 0 }),
      await reader.searchPatients({ first: 3, offset: 3 }),
      await reader.searchPatients({ first: 3, offset: 6 }),
    ];
    expect(pages.map((page) => page.hasMore)).toEqual([true, true, false]);
    const names = pages.flatMap((page) => page.rows.map((row) => row.name ?? ''));
    expect(names).toHaveLength(8);
    const families = names.map((name) => name.split(' ').pop() ?? '');
    expect(families).toEqual([...families].sort());
    expect(await reader.searchPatients({ first: 10, offset: 0, name: 'hoeger' })).toMatchObject({ rows: [{ id: CHET }], hasMore: false });
    // Rows found by search prime the patient loader: no request for a patient already listed.
    const before = sent.length;
    await reader.patient(pages[0]?.rows[0]?.id ?? '');
    expect(sent.length).toBe(before);
  });

  it('keeps tenants apart', async () => {
    expect(await connector.forRequest('globex').patient(CARROLL)).toBeNull();
    expect((await connector.forRequest('globex').patient(KARENA))?.guard.tenant).toBe('globex');
    const acmeRow = await connector.forRequest('acme').patient(CARROLL);
    if (!acmeRow) throw new Error('missing');
    await expect(connector.forRequest('globex').conditions(acmeRow)).rejects.toMatchObject({ kind: 'REJECTED' });
  });

  it('gives an unknown tenant an empty reader that sends nothing', async () => {
    const reader = connector.forRequest('initech');
    expect(await reader.patient(CARROLL)).toBeNull();
    expect(await reader.searchPatients({ first: 5, offset: 0 })).toEqual({ rows: [], hasMore: false });
    expect((await reader.statistics(5)).total).toBe(0);
    expect(sent).toHaveLength(0);
  });
});

describe('patient record lists', () => {
  it('returns conditions newest first with their sensitivity, cached per request', async () => {
    const reader = connector.forRequest('acme');
    const patient = await reader.patient(CARROLL);
    if (!patient) throw new Error('missing');
    const conditions = await reader.conditions(patient);
    expect(conditions.length).toBe(6);
    expect(conditions.filter((condition) => condition.sensitive).map((condition) => condition.code)).toEqual(['36923009']);
    const dates = conditions.map((condition) => condition.onsetDate ?? '');
    expect([...dates].sort().reverse()).toEqual(dates);
    const count = sent.length;
    await reader.conditions(patient);
    expect(sent.length).toBe(count);
  });

  it('returns the newest N observations, optionally of one code', async () => {
    const reader = connector.forRequest('acme');
    const patient = await reader.patient(CHET);
    if (!patient) throw new Error('missing');
    const heights = await reader.observations(patient, { code: 'http://loinc.org|8302-2', count: 2 });
    expect(heights.map((row) => row.code)).toEqual(['8302-2', '8302-2']);
    expect((heights[0]?.effectiveDate ?? '') > (heights[1]?.effectiveDate ?? '')).toBe(true);
    const newest = await reader.observations(patient, { count: 3 });
    expect(newest).toHaveLength(3);
    expect(await reader.observations(patient, { count: 0 })).toEqual([]);
  });

  it('loads every list type for a patient, each row guarded by the patient', async () => {
    const reader = connector.forRequest('acme');
    const patient = await reader.patient(DENNIS);
    if (!patient) throw new Error('missing');
    const lists = await Promise.all([
      reader.medications(patient),
      reader.allergies(patient),
      reader.immunizations(patient),
      reader.encounters(patient),
      reader.carePlans(patient),
      reader.notes(patient),
      reader.coverage(patient),
      reader.claims(patient),
      reader.explanationOfBenefits(patient),
    ]);
    expect(lists.map((list) => list.length)).toEqual([6, 4, 11, 25, 4, 10, 1, 31, 25]);
    for (const row of lists.flat()) expect(row.guard).toMatchObject({ tenant: 'acme', patientId: DENNIS, departments: ['cardiology'] });
    const notes = lists[5] ?? [];
    expect(notes.filter((note) => note.kind === 'DOCUMENT_REFERENCE').map((note) => note.text?.split('\n')[0])).toEqual([
      'Progress note for Dennis Durgan, male, born 1949-04-19.',
    ]);
  });

  it('loads an encounter by id with its patient guard', async () => {
    const reader = connector.forRequest('acme');
    const patient = await reader.patient(FRANKIE);
    if (!patient) throw new Error('missing');
    const [first] = await reader.encounters(patient);
    const encounter = await connector.forRequest('acme').encounter(first?.id ?? '');
    expect(encounter).toMatchObject({ id: first?.id, subjectId: FRANKIE, guard: { departments: ['primary-care'] } });
    expect(await connector.forRequest('globex').encounter(first?.id ?? '')).toBeNull();
  });
});

describe('statistics', () => {
  it('counts by gender and age band with count queries, suppressing small cells', async () => {
    const stats = await connector.forRequest('acme').statistics(3);
    expect(sent).toHaveLength(9);
    expect(sent.every((event) => event.url.includes('_count=0'))).toBe(true);
    expect(stats.total).toBe(8);
    expect(stats.byGender).toEqual([
      { label: 'male', count: 4, suppressed: false },
      { label: 'female', count: 4, suppressed: false },
      { label: 'other', count: 0, suppressed: false },
      { label: 'unknown', count: 0, suppressed: false },
    ]);
    // On 2020-06-01: one child (2009), one 18-39 (1988), and 3 + 3 older; the two singletons are suppressed.
    expect(stats.byAgeBand).toEqual([
      { label: '0-17', count: null, suppressed: true },
      { label: '18-39', count: null, suppressed: true },
      { label: '40-64', count: 3, suppressed: false },
      { label: '65+', count: 3, suppressed: false },
    ]);
  });

  it('suppresses a second cell when only one would be hidden', () => {
    const buckets = suppressBuckets(
      [
        { label: 'a', count: 2 },
        { label: 'b', count: 9 },
        { label: 'c', count: 0 },
        { label: 'd', count: 6 },
      ],
      5,
    );
    expect(buckets.map((bucket) => bucket.count)).toEqual([null, 9, 0, null]);
    expect(suppressBuckets([{ label: 'a', count: 4 }], 1)).toEqual([{ label: 'a', count: 4, suppressed: false }]);
  });
});

describe('errors', () => {
  it('maps a 400 search answer to REJECTED without the body', async () => {
    const client = new TenantFhirClient({ tenant: 'acme', baseUrl: server.baseUrl('acme'), timeoutMs: 5000, pageSize: 10, maxPages: 2 });
    const error = await client.searchPage('Patient', { birthdate: 'notadate' }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ kind: 'REJECTED', status: 400, message: 'ehr: Patient search was rejected (HTTP 400)' });
  });

  it('refuses a search that needs more pages than allowed rather than truncating it', async () => {
    const client = new TenantFhirClient({ tenant: 'acme', baseUrl: server.baseUrl('acme'), timeoutMs: 5000, pageSize: 10, maxPages: 2 });
    await expect(client.searchAll('Observation', { patient: `Patient/${CHET}` })).rejects.toMatchObject({ kind: 'REJECTED' });
    expect((await client.searchAll('Condition', { patient: `Patient/${CHET}` })).length).toBe(4);
  });
});
