import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_500_BODY } from '../../connectors/ehr/embedded-fhir-server.js';
import { DENNIS } from '../connectors/ehr/helpers.js';
import { errorAt } from '../support/api-assertions.js';
import { startHarness, type GqlResponse, type Harness } from '../support/harness.js';

// Issue 2, "must hold": when the FHIR server is down, failing or slow, the answer is UPSTREAM_UNAVAILABLE naming the
// connector and the kind of failure, never the upstream body; the gateway stays up and recovers by itself. Reads are
// retried, and repeated outages open the EHR read circuit: reads then fail fast until it half-opens and recovers.

const Q = `query ($id: ID!) { patient(id: $id) { id name conditions { display } } }`;
const SECRETS = ['Secretpatient', '999-12-3456', 'database error', 'OperationOutcome', 'diagnostics'];

let h: Harness;
let token: string;
let eng: string;
/** Moves the gateway's clock (the read circuit's cool-down) without waiting. */
let skewMs = 0;

beforeAll(async () => {
  h = await startHarness({ now: () => Date.now() + skewMs });
  token = await h.token({ roles: ['clinician'], departments: ['cardiology'] });
  eng = await h.token({ sub: 'eng-ana', roles: ['integration-engineer'] });
  expect(DEFAULT_500_BODY).toContain('Secretpatient');
});
afterEach(async () => {
  h.running.fhir!.setFault('none');
  if (!h.running.fhir!.listening) await h.running.fhir!.start();
});
afterAll(() => h.stop());

async function healthz(harness: Harness): Promise<number> {
  return (await fetch(harness.url.replace(/\/graphql$/, '/healthz'))).status;
}

function expectUpstreamUnavailable(r: GqlResponse, kind: string): void {
  expect(r.status).toBe(200);
  expect(r.body.data).toEqual({ patient: null });
  expect(r.body.errors).toHaveLength(1);
  const error = errorAt(r.body, ['patient']);
  expect(error.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', connector: 'ehr', kind });
  expect(error.message).toBe(`The ehr connector failed (${kind}).`);
  const text = JSON.stringify(r.body);
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

async function ehrHealth(): Promise<{ circuit: string; calls: number; errors: number; lastError: string | null }> {
  const r = await h.gql<{
    connectorHealth: { connector: string; circuit: string; calls: number; errors: number; lastError: string | null }[];
  }>(eng, '{ connectorHealth { connector circuit calls errors lastError } }');
  expect(r.body.errors).toBeUndefined();
  const { connector: _c, ...ehr } = r.body.data!.connectorHealth.find((c) => c.connector === 'ehr')!;
  return ehr;
}

async function expectNormalAnswer(harness: Harness, t: string): Promise<void> {
  const r = await harness.gql<{ patient: { id: string; name: string; conditions: unknown[] } }>(t, Q, { id: DENNIS });
  expect(r.body.errors).toBeUndefined();
  expect(r.body.data!.patient.name).toBe('Dennis Durgan');
  expect(r.body.data!.patient.conditions.length).toBeGreaterThan(0);
}

describe('FHIR server down', () => {
  it('connection dropped (fault down): UPSTREAM_UNAVAILABLE, /healthz still 200, normal again after', async () => {
    await expectNormalAnswer(h, token);
    h.running.fhir!.setFault('down');
    const before = h.running.fhir!.requests.length;
    expectUpstreamUnavailable(await h.gql(token, Q, { id: DENNIS }), 'UNAVAILABLE');
    expect(h.running.fhir!.requests.length).toBeGreaterThan(before); // it really asked the FHIR server
    expect(await healthz(h)).toBe(200);
    h.running.fhir!.setFault('none');
    await expectNormalAnswer(h, token);
  });

  it('server stopped (connection refused): UPSTREAM_UNAVAILABLE, then normal once it listens again', async () => {
    await h.running.fhir!.stop();
    expect(h.running.fhir!.listening).toBe(false);
    expectUpstreamUnavailable(await h.gql(token, Q, { id: DENNIS }), 'UNAVAILABLE');
    expect(await healthz(h)).toBe(200);
    // Other fields not needing the EHR still answer meanwhile.
    const me = await h.gql(token, '{ me { sub tenant } }');
    expect(me.body).toEqual({ data: { me: { sub: 'clinician-1', tenant: 'acme' } } });
    await h.running.fhir!.start();
    await expectNormalAnswer(h, token);
  });
});

describe('FHIR server answering 500', () => {
  it('UPSTREAM_UNAVAILABLE, and the upstream body is in no response and no log line', async () => {
    const logFrom = h.logLines.length;
    h.running.fhir!.setFault('error500');
    expectUpstreamUnavailable(await h.gql(token, Q, { id: DENNIS }), 'UNAVAILABLE');
    const list = await h.gql(token, `{ patients(first: 3) { edges { node { id } } } }`);
    expect(list.body.data).toEqual({ patients: null });
    expect(errorAt(list.body, ['patients']).extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', connector: 'ehr', kind: 'UNAVAILABLE' });
    expect(await healthz(h)).toBe(200);

    const logs = h.logLines.slice(logFrom).join('\n');
    for (const secret of SECRETS) {
      expect(JSON.stringify(list.body)).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
    // Its outages (3 attempts, then 2 more) opened the read circuit: normal again after the cool-down.
    h.running.fhir!.setFault('none');
    skewMs += 30_000;
    await expectNormalAnswer(h, token);
  });

  it('repeated outages open the read circuit: reads fail fast without a request, then it half-opens and recovers', async () => {
    await expectNormalAnswer(h, token);
    h.running.fhir!.setFault('error500');
    // Each failed search is retried (3 attempts); the circuit opens after 5 outages in a row.
    expectUpstreamUnavailable(await h.gql(token, Q, { id: DENNIS }), 'UNAVAILABLE');
    expectUpstreamUnavailable(await h.gql(token, Q, { id: DENNIS }), 'UNAVAILABLE');
    expect(await ehrHealth()).toMatchObject({ circuit: 'OPEN', lastError: 'UNAVAILABLE' });

    h.running.fhir!.setFault('none');
    const before = h.running.fhir!.requests.length;
    expectUpstreamUnavailable(await h.gql(token, Q, { id: DENNIS }), 'UNAVAILABLE');
    expect(h.running.fhir!.requests.length).toBe(before); // failed fast: the FHIR server was not asked

    skewMs += 30_000; // the default cool-down
    expect((await ehrHealth()).circuit).toBe('HALF_OPEN');
    await expectNormalAnswer(h, token);
    const health = await ehrHealth();
    expect(health.circuit).toBe('CLOSED');
    expect(health.errors).toBeGreaterThanOrEqual(5); // reads are in the ehr entry of connectorHealth
  });
});

describe('FHIR server slower than FHIR_TIMEOUT_MS', () => {
  let slow: Harness;
  let slowToken: string;
  beforeAll(async () => {
    slow = await startHarness({ env: { FHIR_TIMEOUT_MS: '300' } });
    slowToken = await slow.token({ roles: ['clinician'], departments: ['cardiology'] });
  });
  afterAll(() => slow.stop());

  it('answers UPSTREAM_UNAVAILABLE kind TIMEOUT within the deadline, not the delay, and recovers', async () => {
    slow.running.fhir!.setFault('slow', { delayMs: 60_000 });
    // 3 attempts of 300 ms with 100 + 200 ms of backoff; the server holds the answer 60 s, twice the test's limit. An
    // answer of kind TIMEOUT is the gateway's own deadline firing: a client that waited for the server never gets one.
    const r = await slow.gql(slowToken, Q, { id: DENNIS });
    expectUpstreamUnavailable(r, 'TIMEOUT');
    expect(await healthz(slow)).toBe(200);
    slow.running.fhir!.setFault('none');
    await expectNormalAnswer(slow, slowToken);
  });
});
