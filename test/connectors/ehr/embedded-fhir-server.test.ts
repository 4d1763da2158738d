import type { Bundle, CapabilityStatement, Condition, Observation, Patient } from '@medplum/fhirtypes';
import { Client } from 'fhir-kit-client';
import type { FhirResource } from 'fhir-kit-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEhrConnector } from '../../../connectors/ehr/create-ehr-connector.js';
import { DEFAULT_500_BODY, EmbeddedFhirServer } from '../../../connectors/ehr/embedded-fhir-server.js';
import type { RecordedRequest } from '../../../connectors/ehr/embedded-fhir-server.js';
import { defaultTenantSeed } from '../../../connectors/ehr/seed.js';
import { ensureFhirDefinitionsIndexed } from '../../../connectors/ehr/server/medplum-definitions.js';
import { ConnectorError } from '../../../connectors/common/connector-error.js';
import { CARROLL, CHET, KARENA } from './helpers.js';

// The embedded server over real HTTP, spoken to with fhir-kit-client like the connector does.

let server: EmbeddedFhirServer;
let acme: Client;

function headersOf(result: FhirResource): Headers {
  const response = Client.httpFor(result).response;
  if (!response) throw new Error('no response attached');
  return response.headers;
}

async function failure(promise: Promise<unknown>): Promise<{ status: number; data: unknown }> {
  try {
    await promise;
  } catch (err) {
    return (err as { response: { status: number; data: unknown } }).response;
  }
  throw new Error('expected the request to fail');
}

beforeAll(async () => {
  // No speed assertion here: how fast seeding is belongs in `npm run bench`, not in a test a loaded machine can fail.
  ensureFhirDefinitionsIndexed();
  server = await new EmbeddedFhirServer({ tenants: await defaultTenantSeed() }).start();
  acme = new Client({ baseUrl: server.baseUrl('acme') });
});

afterAll(async () => {
  await server.stop();
});

describe('FHIR REST over HTTP', () => {
  it('serves a CapabilityStatement at /metadata', async () => {
    const statement = (await acme.capabilityStatement()) as unknown as CapabilityStatement;
    expect(statement.resourceType).toBe('CapabilityStatement');
    expect(statement.fhirVersion).toBe('4.0.1');
    const patient = statement.rest?.[0]?.resource?.find((resource) => resource.type === 'Patient');
    expect(patient?.interaction?.map((interaction) => interaction.code)).toEqual(
      expect.arrayContaining(['read', 'vread', 'update', 'delete', 'create', 'search-type']),
    );
    expect(statement.rest?.[0]?.interaction?.map((interaction) => interaction.code)).toEqual(['transaction', 'batch']);
  });

  it('reads with ETag and Last-Modified, and vreads the version', async () => {
    const patient = (await acme.read({ resourceType: 'Patient', id: CARROLL })) as unknown as Patient & FhirResource;
    const headers = headersOf(patient);
    expect(headers.get('etag')).toBe(`W/"${patient.meta?.versionId}"`);
    expect(headers.get('last-modified')).toBe(new Date(patient.meta?.lastUpdated ?? '').toUTCString());
    const version = await acme.vread({ resourceType: 'Patient', id: CARROLL, version: patient.meta?.versionId ?? '' });
    expect(version['id']).toBe(CARROLL);
  });

  it('creates with 201, Location and ETag, ignoring a client-sent id', async () => {
    const created = (await acme.create({
      resourceType: 'Patient',
      body: { resourceType: 'Patient', id: 'chosen-by-client', gender: 'other' },
    })) as Patient & FhirResource;
    const response = Client.httpFor(created).response;
    expect(response?.status).toBe(201);
    expect(created.id).not.toBe('chosen-by-client');
    expect(response?.headers.get('location')).toBe(`${server.baseUrl('acme')}/Patient/${created.id}/_history/${created.meta?.versionId}`);
    expect(response?.headers.get('etag')).toBe(`W/"${created.meta?.versionId}"`);
  });

  it('updates with If-Match and answers 412 to a stale version, quoted or bare', async () => {
    const created = (await acme.create({
      resourceType: 'Patient',
      body: { resourceType: 'Patient', gender: 'female' },
    })) as unknown as Patient & FhirResource;
    const first = created.meta?.versionId ?? '';
    const body = { resourceType: 'Patient', id: created.id, gender: 'male' };
    const updated = (await acme.update({
      resourceType: 'Patient',
      id: created.id ?? '',
      body,
      options: { headers: { 'If-Match': `W/"${first}"` } },
    })) as Patient;
    expect(updated.meta?.versionId).not.toBe(first);
    const stale = await failure(
      acme.update({ resourceType: 'Patient', id: created.id ?? '', body, options: { headers: { 'If-Match': `W/"${first}"` } } }),
    );
    expect(stale.status).toBe(412);
    // medplum alone ignores an unquoted If-Match; the server quotes it so it still guards.
    const bare = await failure(
      acme.update({ resourceType: 'Patient', id: created.id ?? '', body, options: { headers: { 'If-Match': first } } }),
    );
    expect(bare.status).toBe(412);
  });

  it('creates on PUT to a new id (201) and keeps that id', async () => {
    const result = await acme.update({
      resourceType: 'Patient',
      id: 'put-created-1',
      body: { resourceType: 'Patient', id: 'put-created-1' },
    });
    expect(Client.httpFor(result).response?.status).toBe(201);
    expect((await acme.read({ resourceType: 'Patient', id: 'put-created-1' }))['id']).toBe('put-created-1');
  });

  it('does not duplicate on conditional create with If-None-Exist', async () => {
    const body = { resourceType: 'Patient', identifier: [{ system: 'urn:test', value: 'cond-1' }] };
    const options = { headers: { 'If-None-Exist': 'identifier=urn:test|cond-1' } };
    const first = await acme.create({ resourceType: 'Patient', body, options });
    const second = await acme.create({ resourceType: 'Patient', body, options });
    expect(Client.httpFor(first).response?.status).toBe(201);
    expect(Client.httpFor(second).response?.status).toBe(200);
    expect(second['id']).toBe(first['id']);
    const found = (await acme.search({ resourceType: 'Patient', searchParams: { identifier: 'urn:test|cond-1' } })) as unknown as Bundle;
    expect(found.entry).toHaveLength(1);
  });

  it('deletes', async () => {
    const created = await acme.create({
      resourceType: 'Observation',
      body: { resourceType: 'Observation', status: 'final', code: { text: 'x' } },
    });
    await acme.delete({ resourceType: 'Observation', id: String(created['id']) });
    expect((await failure(acme.read({ resourceType: 'Observation', id: String(created['id']) }))).status).toBe(404);
  });

  it('searches by patient, with GET and with a form-encoded POST _search', async () => {
    const searchParams = { patient: `Patient/${CHET}`, _count: 100 };
    const byGet = (await acme.search({ resourceType: 'Condition', searchParams })) as unknown as Bundle<Condition>;
    expect(byGet.entry?.length).toBe(4);
    expect(byGet.entry?.every((entry) => entry.resource?.subject.reference === `Patient/${CHET}`)).toBe(true);
    const byPost = (await acme.search({
      resourceType: 'Condition',
      searchParams,
      options: { postSearch: true },
    })) as unknown as Bundle<Condition>;
    expect(byPost.entry?.map((entry) => entry.resource?.id).sort()).toEqual(byGet.entry?.map((entry) => entry.resource?.id).sort());
    const observations = (await acme.search({
      resourceType: 'Observation',
      searchParams: { ...searchParams, code: 'http://loinc.org|8302-2', _sort: '-date' },
    })) as unknown as Bundle<Observation>;
    const dates = observations.entry?.map((entry) => entry.resource?.effectiveDateTime ?? '') ?? [];
    expect(dates.length).toBeGreaterThan(1);
    expect([...dates].sort().reverse()).toEqual(dates);
  });

  it('sorts by several keys with the first one primary', async () => {
    const bundle = (await acme.search({
      resourceType: 'Patient',
      searchParams: { _sort: 'gender,family', identifier: 'http://hospital.smarthealthit.org|' },
    })) as unknown as Bundle<Patient>;
    const keys = bundle.entry?.map((entry) => `${entry.resource?.gender} ${entry.resource?.name?.[0]?.family}`) ?? [];
    expect(keys).toHaveLength(8);
    expect(keys).toEqual([...keys].sort());
  });

  it('processes a transaction, resolving urn:uuid references', async () => {
    const transaction = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: 'urn:uuid:6f1a1c46-7d41-4bd7-8a8b-000000000001',
          resource: { resourceType: 'Patient', gender: 'female' },
          request: { method: 'POST', url: 'Patient' },
        },
        {
          resource: {
            resourceType: 'Observation',
            status: 'final',
            code: { text: 'note' },
            subject: { reference: 'urn:uuid:6f1a1c46-7d41-4bd7-8a8b-000000000001' },
          },
          request: { method: 'POST', url: 'Observation' },
        },
      ],
    };
    const response = (await acme.transaction({ body: transaction })) as unknown as Bundle;
    expect(response.type).toBe('transaction-response');
    const observation = response.entry?.[1]?.resource as Observation;
    expect(observation.subject?.reference).toMatch(/^Patient\/[0-9a-f-]{36}$/);
    const batch = (await acme.batch({
      body: { resourceType: 'Bundle', type: 'batch', entry: [{ request: { method: 'GET', url: `Patient/${CARROLL}` } }] },
    })) as unknown as Bundle;
    expect(batch.entry?.[0]?.response?.status).toMatch(/^200/);
  });

  it('isolates tenants', async () => {
    const globex = new Client({ baseUrl: server.baseUrl('globex') });
    expect((await failure(globex.read({ resourceType: 'Patient', id: CARROLL }))).status).toBe(404);
    expect((await globex.read({ resourceType: 'Patient', id: KARENA }))['id']).toBe(KARENA);
    const unknown = new Client({ baseUrl: server.baseUrl('initech') });
    expect((await failure(unknown.read({ resourceType: 'Patient', id: CARROLL }))).status).toBe(404);
  });

  it('records requests and tells listeners', async () => {
    const seen: RecordedRequest[] = [];
    const unsubscribe = server.onRequest((request) => seen.push(request));
    const from = server.requests.length;
    await acme.read({ resourceType: 'Patient', id: CHET });
    unsubscribe();
    await acme.read({ resourceType: 'Patient', id: CHET });
    expect(seen).toEqual([{ tenant: 'acme', method: 'GET', url: `Patient/${CHET}` }]);
    expect(server.requests.length - from).toBe(2);
  });
});

describe('faults, seen through the EHR reader', () => {
  // Reads are retried (3 attempts, reader-resilience.test.ts): a short backoff keeps the deadline check about the deadline.
  const connector = () => createEhrConnector({ baseUrls: server.baseUrls(), timeoutMs: 300, resilience: { retry: { baseDelayMs: 10 } } });

  async function readerError(run: () => Promise<unknown>): Promise<ConnectorError> {
    try {
      await run();
    } catch (err) {
      if (err instanceof ConnectorError) return err;
      throw err;
    }
    throw new Error('expected a ConnectorError');
  }

  afterEach(async () => {
    server.setFault('none');
    if (!server.listening) await server.start();
  });

  it('a stopped server is UNAVAILABLE (connection refused), and it comes back on restart', async () => {
    await server.stop();
    const error = await readerError(() => connector().forRequest('acme').patient(CARROLL));
    expect(error).toMatchObject({ connector: 'ehr', kind: 'UNAVAILABLE', status: null });
    expect(error.message).toContain('ECONNREFUSED');
    await server.start();
    expect((await connector().forRequest('acme').patient(CARROLL))?.id).toBe(CARROLL);
  });

  it('a 500 is UNAVAILABLE and its body never reaches the message', async () => {
    server.setFault('error500');
    const error = await readerError(() => connector().forRequest('acme').patient(CARROLL));
    expect(error).toMatchObject({ kind: 'UNAVAILABLE', status: 500 });
    expect(DEFAULT_500_BODY).toContain('Secretpatient');
    expect(error.message).not.toMatch(/Secretpatient|999-12-3456|database/);
    expect(error.message).not.toContain(CARROLL);
  });

  it('a non-JSON 500 page is UNAVAILABLE too', async () => {
    server.setFault('error500', { body: '<html>Oops for patient Jane Secretpatient</html>' });
    const error = await readerError(() => connector().forRequest('acme').searchPatients({ first: 5, offset: 0 }));
    expect(error).toMatchObject({ kind: 'UNAVAILABLE', status: 500 });
    expect(error.message).not.toContain('Secretpatient');
  });

  it('a server slower than the deadline is TIMEOUT', async () => {
    // The deadline is 300 ms a try (about 1 s with retries); the server holds the answer 60 s. The bound sits many
    // times above the deadline and far below the delay, so only a client that waited for the answer fails it.
    server.setFault('slow', { delayMs: 60_000 });
    // TIMEOUT is the reader's own deadline firing; the server would answer only after twice the test's limit.
    const error = await readerError(() => connector().forRequest('acme').patient(CARROLL));
    expect(error).toMatchObject({ kind: 'TIMEOUT', status: null });
  });

  it('a dropped connection is UNAVAILABLE', async () => {
    server.setFault('down');
    const error = await readerError(() => connector().forRequest('acme').patient(CARROLL));
    expect(error).toMatchObject({ kind: 'UNAVAILABLE', status: null });
  });
});
