import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DENNIS } from '../connectors/ehr/helpers.js';
import { startHarness, type Harness } from '../support/harness.js';
import { ok } from './governance-operations.js';

// Two findings, over real HTTP:
// 1. A connector that sends no credentials (the webhooks connector, whose secret only signs; any id other than ehr)
//    never sends them: an integration engineer points it at a server of theirs, a system-admin rotates its secret,
//    the engineer runs testConnector; the server receives no credential and no token request.
// 2. The EHR's FHIR data calls follow no redirect: the EHR base URL answering 301/302/303/307/308 to another server,
//    reads, searches and testConnector fail with REJECTED and the other server receives nothing.

const SECRET = 'whsec-canary-6f1a93d2';
const STATUSES = [301, 302, 303, 307, 308] as const;
type Seen = { method: string; url: string; headers: Record<string, unknown>; body: string };

function recorder(seen: Seen[], answer: (url: string) => { status: number; headers?: Record<string, string>; body?: unknown }) {
  return createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const a = answer(req.url ?? '');
      res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
      res.end(a.body === undefined ? '' : JSON.stringify(a.body));
    });
  });
}
const listen = async (s: Server) => {
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
};

const engSeen: Seen[] = [];
let engUrl = '';
const engServer = recorder(engSeen, (url) => ({
  status: 200,
  body: url.endsWith('smart-configuration')
    ? { token_endpoint: `${engUrl}/token` }
    : { access_token: 'x', expires_in: 300, resourceType: 'CapabilityStatement', fhirVersion: '4.0.1' },
}));
const targetSeen: Seen[] = [];
const redirectSeen: Seen[] = [];
let targetUrl = '';
let redirectStatus = 307;
const target = recorder(targetSeen, () => ({ status: 200, body: { resourceType: 'Bundle', type: 'searchset', entry: [] } }));
const redirecting = recorder(redirectSeen, (url) => ({ status: redirectStatus, headers: { location: `${targetUrl}${url}` } }));
let redirectUrl = '';

const CONFIGURE = `mutation($c: String!, $u: String!) { configureConnector(input: { connectorId: $c, environment: STAGING, ` +
  `baseUrl: $u, reason: "debug" }) { changes { status } } }`;
const ROTATE = `mutation($c: String!, $s: String!) { rotateConnectorSecret(connectorId: $c, environment: STAGING, ` +
  `clientId: "clearance", clientSecret: $s, reason: "rotation") { configured change { status } } }`;
const TEST = `mutation($c: String!) { testConnector(connectorId: $c, environment: STAGING) { reachable authenticated error ` +
  `steps { name outcome error } } }`;
const READ = `query($p: ID!) { patient(id: $p) { id } }`;
const SEARCH = `query { patients(name: "Durgan") { edges { node { id } } } }`;

let h: Harness;
let admin: string;
let eng: string;
let clin: string;

beforeAll(async () => {
  h = await startHarness({ env: { GATEWAY_ENVIRONMENT: 'STAGING' } });
  admin = await h.token({ sub: 'sys-sam', roles: ['system-admin'] });
  eng = await h.token({ sub: 'eng-ana', roles: ['integration-engineer'] });
  clin = await h.token({ sub: 'dr-grey', roles: ['clinician'], departments: ['cardiology'] });
  engUrl = await listen(engServer);
  targetUrl = await listen(target);
  redirectUrl = await listen(redirecting);
}, 90_000);
afterAll(async () => {
  await h.stop();
  await Promise.all([engServer, target, redirecting].map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('only the EHR connector sends its credentials', () => {
  for (const id of ['webhooks', 'lab-results']) {
    it(`${id}: a secret rotated after an engineer moved the base URL is sent nowhere by testConnector`, async () => {
      engSeen.length = 0;
      const moved = ok<{ configureConnector: { changes: { status: string }[] } }>(
        await h.gql(eng, CONFIGURE, { c: id, u: `${engUrl}/wh` }),
      );
      expect(moved.configureConnector.changes).toEqual([{ status: 'APPLIED' }]);
      const r = ok<{ rotateConnectorSecret: { configured: boolean; change: { status: string } } }>(
        await h.gql(admin, ROTATE, { c: id, s: SECRET }),
      );
      expect(r.rotateConnectorSecret).toEqual({ configured: true, change: { status: 'APPLIED' } });
      const t = ok<{ testConnector: { authenticated: boolean; steps: { name: string; outcome: string }[] } }>(
        await h.gql(eng, TEST, { c: id }),
      ).testConnector;
      expect(t.authenticated).toBe(false);
      expect(t.steps.slice(0, 2)).toEqual([
        { name: 'DISCOVERY', outcome: 'SKIPPED', error: null },
        { name: 'TOKEN', outcome: 'SKIPPED', error: null },
      ]);
      const encoded = Buffer.from(`clearance:${SECRET}`).toString('base64');
      expect(engSeen.filter((s) => s.url.includes('token') || s.url.includes('smart-configuration'))).toEqual([]);
      for (const s of engSeen) {
        expect(s.headers.authorization).toBeUndefined();
        expect(JSON.stringify(s)).not.toContain(SECRET);
        expect(JSON.stringify(s)).not.toContain(encoded);
      }
      // The governed reference names no destination: the secret is bound to nothing.
      const SETTING = `query($k: String!) { setting(key: $k, environment: STAGING) { value } }`;
      const setting = ok<{ setting: { value: { boundOrigin: unknown } } }>(
        await h.gql(admin, SETTING, { k: `integration.${id}.credentials` }),
      ).setting;
      expect(setting.value.boundOrigin).toBeNull();
    });
  }
});

describe('EHR FHIR calls follow no redirect', () => {
  beforeAll(async () => {
    ok(await h.gql(eng, CONFIGURE, { c: 'ehr', u: `${redirectUrl}/rfhir` }));
  });
  for (const status of STATUSES) {
    it(`answered ${status}: reads, searches and testConnector fail REJECTED; the Location receives nothing`, async () => {
      redirectStatus = status;
      redirectSeen.length = 0;
      targetSeen.length = 0;
      const read = await h.gql(clin, READ, { p: DENNIS });
      expect(read.body.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', connector: 'ehr', kind: 'REJECTED' });
      const search = await h.gql(clin, SEARCH);
      expect(search.body.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', connector: 'ehr', kind: 'REJECTED' });
      const t = ok<{ testConnector: { reachable: boolean; error: string; steps: { name: string; outcome: string }[] } }>(
        await h.gql(eng, TEST, { c: 'ehr' }),
      ).testConnector;
      expect(t).toMatchObject({ reachable: false, error: 'REJECTED' });
      expect(t.steps.find((s) => s.name === 'SEARCH')?.outcome).not.toBe('OK');
      expect(redirectSeen.length).toBeGreaterThan(0);
      expect(targetSeen).toEqual([]);
    });
  }
});
