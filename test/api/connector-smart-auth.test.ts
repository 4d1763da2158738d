import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedFhirServer } from '../../connectors/ehr/embedded-fhir-server.js';
import { defaultTenantSeed } from '../../connectors/ehr/seed.js';
import { DENNIS } from '../connectors/ehr/helpers.js';
import { memoryStores } from '../../src/stores/create-store.js';
import { startHarness, type GqlResponse, type Harness } from '../support/harness.js';
import {
  actors,
  APPROVE,
  CHANGE_REQUEST,
  ok,
  SET_WRITE_BACK,
  UPDATE_SETTING,
  type Change,
  type ChangeResult,
} from './governance-operations.js';

// Issue 16, "must hold", over real HTTP with the embedded FHIR server in SMART Backend Services auth mode: Clearance
// generates its key, publishes the JWKS, the EHR registers it; testConnector reports each step; reads and writes
// go out with a token from the assertion flow through one client; a governed change of the base URL moves reads
// and writes together; production credentials wait for approvals (security among them) with only a fingerprint in
// the diff, the old credential in use and both keys published meanwhile; and no secret shows in any response,
// audit record or log line.

const GENERATE = `mutation($e: Environment!, $r: String) { generateConnectorKey(connectorId: "ehr", environment: $e, clientId: ` +
  `"clearance-gw", reason: $r) {
  credentials { configured clientId method keyId version } change { key status changeRequestId } jwks jwksPath } }`;
const TEST = `mutation($e: Environment!) { testConnector(connectorId: "ehr", environment: $e) { reachable authenticated fhirVersion ` +
  `software error steps { name outcome error } } }`;
const NOTE = `mutation($p: ID!, $i: WriteBackNoteInput!) { writeBackNote(patientId: $p, input: $i) { resourceType id created } }`;
const READ = `query($p: ID!) { patient(id: $p) { id conditions { id } } }`;
const CONFIGURE = `mutation($i: ConfigureConnectorInput!) { configureConnector(input: $i) { changes { key status changeRequestId } } }`;
const ROTATE = `mutation($s: String!) { rotateConnectorSecret(connectorId: "ehr", environment: PRODUCTION, clientId: "clearance-basic", ` +
  `clientSecret: $s, reason: "rotation") {
  configured method change { key status changeRequestId } } }`;
const SECRET = 'canary-basic-secret-3c1f9b7e';

type Jwks = { keys: { kid: string; d?: string }[] };
const stores = memoryStores();
const responses: unknown[] = [];
let h: Harness;
let serverB: EmbeddedFhirServer;
let t: Record<'admin' | 'eng1' | 'eng2' | 'clin' | 'sec', string>;

async function call<D>(token: string, query: string, variables?: Record<string, unknown>): Promise<GqlResponse<D>> {
  const r = await h.gql<D>(token, query, variables);
  responses.push(r.body);
  return r;
}

async function fetchJwks(path: string): Promise<Jwks> {
  const res = await fetch(`${h.url.replace(/\/graphql$/, '')}${path}`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as Jwks;
  responses.push(body);
  return body;
}

beforeAll(async () => {
  h = await startHarness({ stores, env: { GATEWAY_ENVIRONMENT: 'STAGING', LOG_LEVEL: 'trace' }, fhirAuth: {} });
  serverB = await new EmbeddedFhirServer({ tenants: await defaultTenantSeed(), auth: {} }).start();
  t = await actors(h, {
    admin: { roles: ['system-admin'] },
    eng1: { roles: ['integration-engineer'] },
    eng2: { roles: ['integration-engineer'] },
    clin: { roles: ['clinician'] },
    sec: { roles: ['security-admin'], mfa: true },
  });
  t.clin = await h.token({ sub: 'dr-grey', roles: ['clinician'], departments: ['cardiology'] });
}, 90_000);
afterAll(async () => {
  await h.stop();
  await serverB.stop();
});

describe('connectors authenticate as SMART backend services', () => {
  it('refuses reads before Clearance is registered, with a stable connector error', async () => {
    const r = await call<{ patient: unknown }>(t.clin, READ, { p: DENNIS });
    expect(r.body.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', connector: 'ehr', kind: 'REJECTED' });
  });

  it('generates a key, publishes its JWKS, and authenticates reads, writes and testConnector with it', async () => {
    const g = ok<{
      generateConnectorKey: { credentials: Record<string, unknown>; change: { status: string }; jwks: Jwks; jwksPath: string };
    }>(await call(t.admin, GENERATE, { e: 'STAGING', r: 'onboarding' })).generateConnectorKey;
    expect(g.change.status).toBe('APPLIED');
    expect(g.credentials).toMatchObject({
      configured: true,
      clientId: 'clearance-gw',
      method: 'PRIVATE_KEY_JWT',
      keyId: g.jwks.keys[0]!.kid,
    });
    expect(g.jwks.keys).toHaveLength(1);
    expect(g.jwks.keys[0]).not.toHaveProperty('d');
    expect(g.jwksPath).toBe('/connectors/jwks/acme/STAGING/ehr.json');
    const published = await fetchJwks(g.jwksPath);
    expect(published).toEqual(g.jwks);
    // The EHR side: register Clearance as a backend service with the published JWKS.
    for (const server of [h.running.fhir!, serverB])
      server.registerClient('acme', { clientId: 'clearance-gw', jwks: published as never, scopes: ['system/*.cruds'] });

    const test = ok<{ testConnector: Record<string, unknown> }>(await call(t.eng1, TEST, { e: 'STAGING' })).testConnector;
    expect(test).toMatchObject({ reachable: true, authenticated: true, fhirVersion: '4.0.1', software: null, error: null });
    expect(test.steps).toEqual(['DISCOVERY', 'TOKEN', 'METADATA', 'SEARCH'].map((name) => ({ name, outcome: 'OK', error: null })));

    // Write-back on, with scopes that allow reading and writing notes.
    ok(
      await call(t.eng1, UPDATE_SETTING, {
        input: {
          key: 'integration.ehr.scopes',
          environment: 'STAGING',
          reason: 'go-live',
          value: ['system/*.rs', 'system/DocumentReference.cu', 'system/Provenance.cu'],
        },
      }),
    );
    const proposed = ok<{ setWriteBack: ChangeResult }>(
      await call(t.eng1, SET_WRITE_BACK, { connectorId: 'ehr', environment: 'STAGING', enabled: true, reason: 'go-live' }),
    );
    expect(
      ok<{ approveChange: Change }>(await call(t.eng2, APPROVE, { id: proposed.setWriteBack.changeRequest.id })).approveChange.status,
    ).toBe('APPLIED');

    const a = h.running.fhir!;
    const from = a.requests.length;
    expect(ok<{ patient: { id: string } }>(await call(t.clin, READ, { p: DENNIS })).patient.id).toBe(DENNIS);
    expect(
      ok<{ writeBackNote: { created: boolean } }>(
        await call(t.clin, NOTE, { p: DENNIS, i: { idempotencyKey: 'smart-note-0001', title: 'Follow-up', text: 'Stable.' } }),
      ).writeBackNote.created,
    ).toBe(true);
    const sent = a.requests.slice(from).map((r) => `${r.method} ${r.url.split('?')[0]!.split('/')[0]}`);
    expect(sent).toEqual(expect.arrayContaining(['GET Patient', 'GET Condition', 'POST DocumentReference', 'PUT Provenance']));
    // Every call was authorized (the server answers 401 otherwise) with tokens of the one client: reads and writes share it.
    expect(a.auth!.issued.filter((i) => i.clientId === 'clearance-gw').length).toBeLessThanOrEqual(2);
  });

  it('moves reads and writes together to a new base URL once credentials are set for it: never takes them along', async () => {
    const a = h.running.fhir!;
    const r = ok<{ configureConnector: { changes: { status: string }[] } }>(
      await call(t.eng1, CONFIGURE, {
        i: { connectorId: 'ehr', environment: 'STAGING', baseUrl: serverB.baseUrl('acme'), reason: 'EHR migration' },
      }),
    );
    expect(r.configureConnector.changes.map((c) => c.status)).toEqual(['APPLIED']);
    // The credentials were set for A's origin: the moved connector sends them nowhere, and says why.
    const beforeB = serverB.requests.length;
    const refused = await call(t.clin, READ, { p: DENNIS });
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      connector: 'ehr',
      kind: 'CREDENTIALS_NOT_BOUND',
    });
    expect(serverB.requests.length).toBe(beforeB);
    // A holder of write:credentials sets them for B (a new key, registered there): now reads and writes move together.
    const g = ok<{ generateConnectorKey: { change: { status: string }; jwks: Jwks } }>(
      await call(t.admin, GENERATE, { e: 'STAGING', r: 'EHR migration' }),
    ).generateConnectorKey;
    expect(g.change.status).toBe('APPLIED');
    serverB.registerClient('acme', { clientId: 'clearance-gw', jwks: g.jwks as never, scopes: ['system/*.cruds'] });
    const fromA = a.requests.length;
    const fromB = serverB.requests.length;
    expect(ok<{ patient: { id: string } }>(await call(t.clin, READ, { p: DENNIS })).patient.id).toBe(DENNIS);
    ok(await call(t.clin, NOTE, { p: DENNIS, i: { idempotencyKey: 'smart-note-0002', title: 'After move', text: 'Stable.' } }));
    expect(a.requests.length - fromA).toBe(0);
    const onB = serverB.requests.slice(fromB).map((r) => `${r.method} ${r.url.split('?')[0]!.split('/')[0]}`);
    expect(onB).toEqual(expect.arrayContaining(['GET .well-known', 'POST auth', 'GET Patient', 'POST DocumentReference']));
    expect(serverB.auth!.issued.length).toBe(1);
  });

  it('asks for the governed scopes: narrowed to Patient.rs, reads go on with a new token and a write is refused', async () => {
    ok(
      await call(t.eng1, UPDATE_SETTING, {
        input: { key: 'integration.ehr.scopes', environment: 'STAGING', reason: 'least privilege', value: ['system/Patient.rs'] },
      }),
    );
    const issued = serverB.auth!.issued.length;
    expect(ok<{ patient: { id: string } }>(await call(t.clin, `query($p: ID!) { patient(id: $p) { id } }`, { p: DENNIS })).patient.id).toBe(
      DENNIS,
    );
    expect(serverB.auth!.issued.length - issued).toBe(1);
    const from = serverB.requests.length;
    const r = await call(t.clin, NOTE, { p: DENNIS, i: { idempotencyKey: 'smart-note-0003', title: 'Refused', text: 'Stable.' } });
    // The gateway asks the same governed scopes before writing: refused here, nothing sent to the EHR.
    expect(r.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(serverB.requests.slice(from).filter((q) => q.method !== 'GET')).toEqual([]);
  });

  it('queues production credentials for approval (security required), keeps the old one, and diffs only a fingerprint', async () => {
    const first = ok<{
      generateConnectorKey: { change: { status: string; changeRequestId: string }; credentials: { configured: boolean }; jwks: Jwks };
    }>(await call(t.admin, GENERATE, { e: 'PRODUCTION', r: 'production onboarding' })).generateConnectorKey;
    expect(first.change.status).toBe('PENDING_APPROVAL');
    expect(first.credentials.configured).toBe(false);
    const change = ok<{ changeRequest: Change & { risk: string; requirement: Record<string, unknown> } }>(
      await call(t.sec, CHANGE_REQUEST, { id: first.change.changeRequestId }),
    ).changeRequest;
    expect(change).toMatchObject({
      key: 'integration.ehr.credentials',
      risk: 'CRITICAL',
      requirement: { requiredApprovals: 2, requiredFunction: 'security', ownerFunctionRequired: true },
    });
    // Bound to the origin of the production base URL (here the deployment's): approvers see where it will be sent.
    const boundOrigin = new URL(h.running.fhir!.baseUrl('acme')).origin;
    expect(change.after).toEqual({
      method: 'private_key_jwt',
      clientId: 'clearance-gw',
      fingerprint: `jwk:${first.jwks.keys[0]!.kid}`,
      boundOrigin,
    });
    // Published before approval, so the EHR can register it ahead of the switch.
    expect((await fetchJwks('/connectors/jwks/acme/PRODUCTION/ehr.json')).keys.map((k) => k.kid)).toEqual([first.jwks.keys[0]!.kid]);

    const rotated = ok<{ rotateConnectorSecret: { configured: boolean; change: { status: string; changeRequestId: string } } }>(
      await call(t.admin, ROTATE, { s: SECRET }),
    ).rotateConnectorSecret;
    expect(rotated).toMatchObject({ configured: false, change: { status: 'PENDING_APPROVAL' } });
    const secretChange = ok<{ changeRequest: Change }>(
      await call(t.sec, CHANGE_REQUEST, { id: rotated.change.changeRequestId }),
    ).changeRequest;
    expect(secretChange.after).toMatchObject({
      method: 'client_secret_basic',
      clientId: 'clearance-basic',
      fingerprint: expect.stringMatching(/^hmac:[0-9a-f]{32}$/),
      boundOrigin,
    });
  });

  it('shows no secret and no private key in any response, audit record or log line', async () => {
    const records = await stores.audit.records('acme', 1, 100_000);
    const audit = ok<{ auditEvents: { edges: { node: { action: string } }[] } }>(
      await call(t.sec, `{ auditEvents(first: 100) { edges { node { action target detail before after } } } }`),
    );
    expect(audit.auditEvents.edges.map((e) => e.node.action)).toEqual(
      expect.arrayContaining(['connector.credentials.key-generated', 'connector.credentials.rotated']),
    );
    const haystacks = { responses: JSON.stringify(responses), audit: records.join('\n'), logs: h.logLines.join('\n') };
    expect(h.logLines.length).toBeGreaterThan(0);
    for (const [where, text] of Object.entries(haystacks)) {
      expect(text.includes(SECRET), `${where} holds the client secret`).toBe(false);
      // A private JWK member, the assertion type or a bearer token value would show as these.
      expect(/"d":"|client_assertion|Bearer [A-Za-z0-9_-]{20}/.test(text), `${where} holds key material or a token`).toBe(false);
    }
  });
});
