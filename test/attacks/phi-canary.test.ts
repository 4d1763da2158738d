import type { Bundle, Patient } from '@medplum/fhirtypes';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEPARTMENT_CODES,
  departmentForPatient,
  loadSyntheaFixtures,
  seedBundles,
  splitBetweenDefaultTenants,
  syntheticPatients,
} from '../../connectors/ehr/seed.js';
import { PROD_AUDIENCE, PROD_ISSUER, startProductionHarness, type ProductionHarness } from '../support/production-harness.js';
import { ATTACKS, type AttackTarget } from './attack-catalogue.js';
import { postJson, type RawResponse } from './attack-http.js';

// Issue 7, "must hold": a PHI canary. One acme patient's name (and so its progress note) is a unique string. Every
// error path of the attack suite runs with the canary's id, and the canary itself planted wherever an attacker
// could put it (variables, literals, tokens, paths, an upstream error body). Then every response and every log
// line is searched: zero hits. Only the successful reads of an allowed clinician may contain it (the control).

const CANARY = 'Zqx-CANARY-7731';
let h: ProductionHarness;
let canaryId: string;
let department: string;
const errorResponses: { name: string; r: RawResponse }[] = [];

function canaryBundle(source: Bundle): { bundle: Bundle; id: string } {
  const [bundle] = syntheticPatients([source], 1) as [Bundle];
  const patient = bundle.entry!.find((e) => e.resource?.resourceType === 'Patient')!.resource as Patient & { id: string };
  patient.name = [{ use: 'official', given: [CANARY], family: CANARY }];
  return { bundle, id: patient.id };
}

beforeAll(async () => {
  const fixtures = await loadSyntheaFixtures();
  const split = splitBetweenDefaultTenants(fixtures);
  const canary = canaryBundle(fixtures[0]!);
  canaryId = canary.id;
  department = departmentForPatient(canaryId);
  h = await startProductionHarness({
    fhirSeed: { acme: seedBundles([...split.acme!, canary.bundle]), globex: seedBundles(split.globex!) },
    env: { RATE_LIMIT_FAILED_AUTH_PER_IP: '40' },
  });
});
afterAll(() => h.stop());

const record = (name: string, r: RawResponse) => (errorResponses.push({ name, r }), r);
const read = (token: string, query: string, variables?: unknown) => postJson(h.url, token, { query, variables });
const CHART = 'query($id: ID!) { patient(id: $id) { id name notes { text } conditions { display } } }';

describe('PHI canary', () => {
  it('control: an allowed clinician reads the canary (it is really there)', async () => {
    const token = await h.token({ roles: ['clinician'], departments: [department] });
    const r = await read(token, CHART, { id: canaryId });
    expect(r.status).toBe(200);
    expect(r.text).toContain(CANARY);
    expect(JSON.stringify((r.json?.data as { patient: { notes: unknown } }).patient.notes)).toContain(CANARY);
  });

  it('every attack of the catalogue, aimed at the canary', async () => {
    const token = await h.token({ roles: ['clinician'], departments: [...DEPARTMENT_CODES] });
    const target: AttackTarget = { url: h.url, token, patientId: canaryId, plant: CANARY };
    for (const attack of ATTACKS) expect(record(attack.name, await attack.send(target)).status).toBe(attack.status);
  });

  it('denials: roles and departments without access, another tenant, introspection', async () => {
    const other = DEPARTMENT_CODES.find((d) => d !== department)!;
    const cases: [string, string][] = [
      ['front-desk reads notes', await h.token({ roles: ['front-desk'] })],
      ['billing reads clinical data', await h.token({ roles: ['billing-manager'] })],
      ['clinician of another department', await h.token({ roles: ['clinician'], departments: [other] })],
      ['marketing analyst', await h.token({ roles: ['marketing-analyst'] })],
      ['globex clinician', await h.token({ roles: ['clinician'], tenant: 'globex', departments: [...DEPARTMENT_CODES] })],
    ];
    for (const [name, token] of cases) {
      const r = record(
        name,
        await read(token, 'query($id: ID!) { patient(id: $id) { notes { text } conditions { display } claims { total } } }', {
          id: canaryId,
        }),
      );
      expect(r.status).toBe(200);
    }
    const clinician = await h.token({ roles: ['clinician'], departments: [department] });
    record('introspection', await read(clinician, `{ __type(name: "Patient") { name } p: patient(id: "${canaryId}") { name } }`));
    record('node of another tenant', await read(cases[4]![1], `{ node(id: "Patient/${canaryId}") { id ... on Patient { name } } }`));
    record('canary as an id', await read(clinician, CHART, { id: CANARY }));
    record(
      'canary as a search',
      await read(cases[3]![1], 'query($n: String) { patients(name: $n) { edges { node { id name } } } }', { n: CANARY }),
    );
  });

  it('forged tokens carrying the canary in their claims, then over the failed-auth budget (429)', async () => {
    const forged = await new SignJWT({ sub: CANARY, tenant: CANARY, roles: [CANARY] })
      .setProtectedHeader({ alg: 'ES256', kid: h.idp.kid })
      .setIssuer(PROD_ISSUER)
      .setAudience(PROD_AUDIENCE)
      .setExpirationTime('5m')
      .sign(h.idp.privateKey);
    const statuses = new Set<number>();
    for (let i = 0; i < 45; i++) statuses.add(record('forged canary token', await read(forged, CHART, { id: canaryId })).status);
    expect([...statuses].sort()).toEqual([401, 429]);
  });

  it('an upstream error whose body holds the canary', async () => {
    const token = await h.token({ roles: ['clinician'], departments: [department] });
    h.fhir.setFault('error500', {
      body: `{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"exception","diagnostics":"cannot read ${CANARY}"}]}`,
    });
    try {
      const r = record('FHIR 500', await read(token, CHART, { id: canaryId }));
      expect(r.json?.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    } finally {
      h.fhir.setFault('none');
    }
  });

  it('zero hits in every error response and in every log line', async () => {
    expect(errorResponses.length).toBeGreaterThan(60);
    const hits = errorResponses.filter(({ r }) => r.text.includes(CANARY) || r.text.includes('CANARY')).map(({ name }) => name);
    expect(hits).toEqual([]);
    expect(h.logLines.length).toBeGreaterThan(60);
    expect(h.logLines.filter((l) => l.includes('CANARY'))).toEqual([]);
    expect(h.logLines.filter((l) => l.includes(canaryId))).toEqual([]);
  });
});
