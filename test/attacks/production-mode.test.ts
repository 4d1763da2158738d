import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProductionHarness, type ProductionHarness } from '../support/production-harness.js';
import { ATTACKS, type AttackTarget } from './attack-catalogue.js';
import { codesOf, postJson, reasonsOf, send } from './attack-http.js';

// Issue 7, "must hold", production mode (NODE_ENV=production, Redis, JWKS file, FHIR by URL, INTROSPECTION_ROLES
// security-admin): probes for field names and the schema reveal nothing to other roles, every hostile request of
// the catalogue is refused as on the embedded default, and /readyz names a failed dependency without its URL.

const PATIENT = '0ac13d55-d566-450a-aea0-f6a71f1ad73b';
let h: ProductionHarness;
let clinician: string;
let securityAdmin: string;

beforeAll(async () => {
  h = await startProductionHarness();
  clinician = await h.token({ roles: ['clinician'], departments: ['cardiology'] });
  securityAdmin = await h.token({ roles: ['security-admin'] });
});
afterAll(() => h.stop());

const ask = (token: string, query: string) => postJson(h.url, token, { query });

describe('introspection in production: only for the roles named in INTROSPECTION_ROLES', () => {
  const probes = {
    '__schema': '{ __schema { types { name fields { name } } } }',
    '__type': '{ __type(name: "Patient") { fields { name } } }',
    'aliased __schema': '{ s: __schema { queryType { name } } }',
    '__schema inside a fragment': '{ me { sub } ...F } fragment F on Query { __schema { queryType { name } } }',
    '__type nested under a field': '{ me { sub } patient(id: "x") { id } t: __type(name: "Me") { name } }',
  };

  it.each(
    Object.entries(probes),
  )('%s: FORBIDDEN (INTROSPECTION_NOT_ALLOWED) for a clinician, no data, no field names', async (_name, query) => {
    const r = await ask(clinician, query);
    expect(r.status).toBe(403);
    expect(r.json?.data ?? null).toBeNull();
    expect(r.json?.errors?.map((e) => e.extensions)).toEqual([{ code: 'FORBIDDEN', reason: 'INTROSPECTION_NOT_ALLOWED' }]);
    expect(r.text).not.toMatch(/notes|ssn|Patient"|PatientConnection/);
  });

  it('a security-admin may introspect', async () => {
    const r = await ask(securityAdmin, '{ __type(name: "Patient") { fields { name } } }');
    expect(r.status).toBe(200);
    expect((r.json?.data as { __type: { fields: { name: string }[] } }).__type.fields.map((f) => f.name)).toContain('notes');
  });

  it('__typename is not introspection', async () => {
    const r = await ask(clinician, '{ __typename me { __typename sub } }');
    expect(r.json).toEqual({ data: { __typename: 'Query', me: { __typename: 'Me', sub: 'clinician-1' } } });
  });
});

describe('field suggestions in production', () => {
  it.each(['nots', 'note', 'notess', 'ssnn', 'claim'])('a typo of a field (%s) gets no "did you mean"', async (typo) => {
    const r = await ask(clinician, `{ patient(id: "x") { ${typo} } }`);
    expect(r.status).toBe(400);
    expect(codesOf(r)).toEqual(['BAD_USER_INPUT']);
    expect(r.text).not.toMatch(/Did you mean|notes"|"ssn"|"claims"/);
  });

  it('a typo of an argument or enum value gets no suggestion either', async () => {
    const r = await ask(
      clinician,
      '{ patients(frist: 1) { edges { cursor } } settingHistory(key: "k", environment: PRODUCTON) { version } }',
    );
    expect(r.text).not.toMatch(/Did you mean|"first"|PRODUCTION/);
  });
});

describe('the attack catalogue in production mode', () => {
  it.each(ATTACKS)('$name → $status $code', async (attack) => {
    const target: AttackTarget = { url: h.url, token: clinician, patientId: PATIENT, plant: 'Zqx-PLANT-0002' };
    const r = await attack.send(target);
    expect(r.status).toBe(attack.status);
    expect(codesOf(r).every((c) => c === attack.code)).toBe(true);
    if (attack.reason) expect(reasonsOf(r)).toContain(attack.reason);
    expect(r.text).not.toMatch(/stacktrace|    at /);
  });

  it('the gateway still serves after all of them', async () => {
    expect((await send(h.url.replace(/\/graphql$/, '/healthz'), {})).status).toBe(200);
    const r = await postJson(h.url, clinician, { query: `{ patient(id: "${PATIENT}") { name } }` });
    expect(r.json).toEqual({ data: { patient: { name: 'Dennis Durgan' } } });
  });
});

describe('/readyz', () => {
  const readyz = () => send(h.url.replace(/\/graphql$/, '/readyz'), {});

  it('200 when Redis and every tenant FHIR server answer', async () => {
    const r = await readyz();
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ status: 'ready', checks: { store: 'ok', 'fhir:acme': 'ok', 'fhir:globex': 'ok' } });
  });

  it('503 naming the FHIR dependency that fails, never its URL', async () => {
    h.fhir.setFault('error500');
    try {
      const r = await readyz();
      expect(r.status).toBe(503);
      expect(r.json).toMatchObject({ status: 'not ready', checks: { store: 'ok', 'fhir:acme': 'failed', 'fhir:globex': 'failed' } });
      const fhirPort = new URL(Object.values(h.fhir.baseUrls())[0]!).port;
      expect(r.text).not.toContain(fhirPort);
      expect(r.text).not.toContain('Secretpatient');
    } finally {
      h.fhir.setFault('none');
    }
    expect((await readyz()).status).toBe(200);
  });

  it('503 within the timeout when FHIR hangs', async () => {
    // The readiness deadline is 2 s, the FHIR answer comes after 60 s (twice the test's limit): `timeout` is the
    // deadline firing, never the answer.
    h.fhir.setFault('slow', { delayMs: 60_000 });
    try {
      const r = await readyz();
      expect(r.status).toBe(503);
      expect(r.json).toMatchObject({ checks: { 'fhir:acme': 'timeout' } });
    } finally {
      h.fhir.setFault('none');
    }
  });
});
