import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedFhirServer } from '../../connectors/ehr/embedded-fhir-server.js';
import { defaultTenantSeed } from '../../connectors/ehr/seed.js';
import { DENNIS } from '../connectors/ehr/helpers.js';
import { startHarness, type Harness } from '../support/harness.js';
import { ok } from './governance-operations.js';

// The tester's finding, over real HTTP: an integration engineer (no write:credentials) moves the STAGING base URL of
// the `ehr` connector (applied at once) to a server of theirs whose SMART discovery names its own token endpoint,
// then runs testConnector. The credentials (a client secret, then a generated key) were set for the embedded EHR's
// origin: for each way of moving the connector (another port, any https host) testConnector, reads and writes fail
// with CREDENTIALS_NOT_BOUND and the attacker's server receives nothing at all; moved back to the origin they were
// set for, they work again without anyone touching them.

const SECRET = 'canary-binding-secret-9d2e';
const ROTATE = `mutation($s: String!) { rotateConnectorSecret(connectorId: "ehr", environment: STAGING, clientId: "clearance-basic", ` +
  `clientSecret: $s, reason: "onboarding") { configured change { status } } }`;
const GENERATE = `mutation { generateConnectorKey(connectorId: "ehr", environment: STAGING, clientId: "clearance-gw", ` +
  `reason: "onboarding") { change { status } jwks } }`;
const CONFIGURE = `mutation($u: String!) { configureConnector(input: { connectorId: "ehr", environment: STAGING, baseUrl: $u, ` +
  `reason: "debug" }) { changes { status } } }`;
const TEST = `mutation { testConnector(connectorId: "ehr", environment: STAGING) { reachable authenticated error ` +
  `steps { name outcome error } } }`;
const READ = `query($p: ID!) { patient(id: $p) { id } }`;
const NOTE = `mutation($p: ID!, $i: WriteBackNoteInput!) { writeBackNote(patientId: $p, input: $i) { id } }`;

const seen: { method: string; url: string; headers: Record<string, unknown>; body: string }[] = [];
let attackerUrl = '';
const attacker = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(
        req.url?.endsWith('smart-configuration')
          ? { token_endpoint: `${attackerUrl}/token` }
          : { access_token: 'x', expires_in: 300, resourceType: 'CapabilityStatement' },
      ),
    );
  });
});

let h: Harness;
let admin: string;
let eng: string;
let clin: string;

beforeAll(async () => {
  h = await startHarness({ env: { GATEWAY_ENVIRONMENT: 'STAGING' }, fhirAuth: {} });
  admin = await h.token({ sub: 'sys-sam', roles: ['system-admin'] });
  eng = await h.token({ sub: 'eng-ana', roles: ['integration-engineer'] });
  clin = await h.token({ sub: 'dr-grey', roles: ['clinician'], departments: ['cardiology'] });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
}, 90_000);
afterAll(async () => {
  await h.stop();
  await new Promise((resolve) => attacker.close(resolve));
});

type TestAnswer = {
  reachable: boolean;
  authenticated: boolean;
  error: string | null;
  steps: { name: string; outcome: string; error: string | null }[];
};

const METHODS = {
  client_secret_basic: async () => {
    const r = ok<{ rotateConnectorSecret: { change: { status: string } } }>(await h.gql(admin, ROTATE, { s: SECRET }));
    expect(r.rotateConnectorSecret.change).toEqual({ status: 'APPLIED' });
    h.running.fhir!.registerClient('acme', { clientId: 'clearance-basic', secret: SECRET, scopes: ['system/*.cruds'] });
  },
  private_key_jwt: async () => {
    const g = ok<{ generateConnectorKey: { change: { status: string }; jwks: unknown } }>(await h.gql(admin, GENERATE))
      .generateConnectorKey;
    expect(g.change.status).toBe('APPLIED');
    h.running.fhir!.registerClient('acme', { clientId: 'clearance-gw', jwks: g.jwks as never, scopes: ['system/*.cruds'] });
  },
} as const;

/** Where an integration engineer could move the connector: each a different origin from the one the credential was set for. */
const AWAY = [
  ['a server of theirs (another port on the same host)', () => `${attackerUrl}/fhir`],
  ['any https host', () => 'https://ehr-attacker.example/fhir'],
] as const;

describe('connector credentials go only where they were set for', () => {
  for (const [method, setUp] of Object.entries(METHODS)) {
    describe(method, () => {
      it('authenticates at the origin the credentials were set for', async () => {
        await setUp();
        const t = ok<{ testConnector: TestAnswer }>(await h.gql(eng, TEST)).testConnector;
        expect(t).toMatchObject({ reachable: true, authenticated: true, error: null });
      });

      for (const [where, url] of AWAY) {
        it(`moved by an integration engineer to ${where}: testConnector and reads send nothing there`, async () => {
          const moved = ok<{ configureConnector: { changes: { status: string }[] } }>(await h.gql(eng, CONFIGURE, { u: url() }));
          expect(moved.configureConnector).toEqual({ changes: [{ status: 'APPLIED' }] });
          const t = ok<{ testConnector: TestAnswer }>(await h.gql(eng, TEST)).testConnector;
          expect(t).toEqual({
            reachable: false,
            authenticated: false,
            error: 'CREDENTIALS_NOT_BOUND',
            steps: [
              { name: 'DISCOVERY', outcome: 'FAILED', error: 'CREDENTIALS_NOT_BOUND' },
              { name: 'TOKEN', outcome: 'SKIPPED', error: null },
              { name: 'METADATA', outcome: 'SKIPPED', error: null },
              { name: 'SEARCH', outcome: 'SKIPPED', error: null },
            ],
          });
          const read = await h.gql(clin, READ, { p: DENNIS });
          expect(read.body.errors?.[0]?.extensions).toMatchObject({
            code: 'UPSTREAM_UNAVAILABLE',
            connector: 'ehr',
            kind: 'CREDENTIALS_NOT_BOUND',
          });
          expect(seen).toEqual([]);
        });
      }

      it('moved back to the origin they were set for, they work again untouched', async () => {
        ok(await h.gql(eng, CONFIGURE, { u: h.running.fhir!.baseUrl('acme') }));
        expect(ok<{ testConnector: TestAnswer }>(await h.gql(eng, TEST)).testConnector).toMatchObject({ authenticated: true, error: null });
      });
    });
  }

  it('credentials given with a new base URL (by a holder of write:credentials) are set for that URL', async () => {
    const serverB = await new EmbeddedFhirServer({ tenants: await defaultTenantSeed(), auth: {} }).start();
    try {
      serverB.registerClient('acme', { clientId: 'clearance-b', secret: `${SECRET}-b`, scopes: ['system/*.cruds'] });
      const r = ok<{ configureConnector: { changes: { key: string; status: string }[] } }>(
        await h.gql(admin, `mutation($i: ConfigureConnectorInput!) { configureConnector(input: $i) { changes { key status } } }`, {
          i: {
            connectorId: 'ehr',
            environment: 'STAGING',
            baseUrl: serverB.baseUrl('acme'),
            clientId: 'clearance-b',
            clientSecret: `${SECRET}-b`,
            reason: 'migration',
          },
        }),
      );
      expect(r.configureConnector.changes.map((c) => c.status)).toEqual(['APPLIED', 'APPLIED']);
      expect(ok<{ testConnector: TestAnswer }>(await h.gql(eng, TEST)).testConnector).toMatchObject({ authenticated: true, error: null });
      expect(serverB.auth!.issued.map((i) => i.clientId)).toEqual(['clearance-b']);
    } finally {
      await serverB.stop();
    }
  });

  it('sent nothing to the attacker in the whole run, and no response or log line holds the secret', async () => {
    // Write-back is off here, so a write is refused before the EHR; what matters is that nothing reached the attacker.
    await h.gql(clin, NOTE, { p: DENNIS, i: { idempotencyKey: 'binding-note-1', title: 'x', text: 'y' } });
    expect(seen).toEqual([]);
    expect(h.logLines.join('\n')).not.toContain(SECRET);
  });
});
