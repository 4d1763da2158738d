import type { DocumentReference } from '@medplum/fhirtypes';
import { exportJWK, generateKeyPair, calculateJwkThumbprint, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../connectors/common/connector-error.js';
import { FhirClientPool, type EhrEndpoint } from '../../../connectors/ehr/client/fhir-client-pool.js';
import type { ConnectorCredential } from '../../../connectors/ehr/client/smart-token-source.js';
import { createEhrConnector } from '../../../connectors/ehr/create-ehr-connector.js';
import { EmbeddedFhirServer } from '../../../connectors/ehr/embedded-fhir-server.js';
import { defaultTenantSeed } from '../../../connectors/ehr/seed.js';
import { FhirWriter } from '../../../connectors/ehr/write/fhir-writer.js';
import { CHET } from './helpers.js';

// The EHR connector against the embedded FHIR server in auth mode (SMART Backend Services over real HTTP): a read and
// a write with one token obtained through the JWT assertion flow, a dead token refreshed once, a wrong key or secret
// refused with a stable connector error, scopes enforced per request, and one client shared by reads and writes.

let server: EmbeddedFhirServer;
/** The server's clock runs ahead of the real one by this much (tests age tokens with it). */
let serverSkewMs = 0;
/** The connector's clock, likewise (its token cache and assertions). */
let clientSkewMs = 0;
const author = { sub: 'dr-who', kind: 'user' as const };
/** Credentials here are set for the server's origin (test/connectors/ehr/credential-binding.test.ts: any other is refused). */
const bound = () => new URL(server.baseUrl('acme')).origin;

async function keyCredential(
  alg: 'ES384' | 'RS384',
  clientId: string,
): Promise<{ credential: ConnectorCredential; jwks: { keys: JWK[] } }> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const pub = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(pub);
  return {
    credential: {
      method: 'private_key_jwt',
      clientId,
      kid,
      alg,
      privateJwk: { ...(await exportJWK(privateKey)), kid, alg },
      boundOrigin: bound(),
    },
    jwks: { keys: [{ ...pub, kid, alg, use: 'sig' }] },
  };
}

function setup(credential: ConnectorCredential | null, scopes: readonly string[] = ['system/*.rs', 'system/*.cu']) {
  const pool = new FhirClientPool({
    timeoutMs: 5_000,
    resilience: { retry: { attempts: 2, baseDelayMs: 5 } },
    now: () => Date.now() + clientSkewMs,
  });
  const endpoint: EhrEndpoint = {
    baseUrl: server.baseUrl('acme'),
    credential,
    credentialKey: credential ? `${credential.clientId}|k` : null,
    scopes,
  };
  const client = () => pool.client('acme', 'acme', endpoint);
  const reader = createEhrConnector({ baseUrls: {}, timeoutMs: 5_000, clientFor: async () => client() }).forRequest('acme');
  const writer = new FhirWriter({ timeoutMs: 5_000, clientFor: async () => client() });
  return { pool, client, reader, writer, target: { tenant: 'acme', baseUrl: server.baseUrl('acme') } };
}

const note = (text: string): DocumentReference => ({
  resourceType: 'DocumentReference',
  status: 'current',
  subject: { reference: `Patient/${CHET}` },
  content: [{ attachment: { contentType: 'text/plain', data: Buffer.from(text).toString('base64') } }],
});

beforeAll(async () => {
  const auth = { tokenTtlSec: 300, now: () => Date.now() + serverSkewMs };
  server = await new EmbeddedFhirServer({ tenants: await defaultTenantSeed(), auth }).start();
}, 60_000);
afterAll(() => server.stop());

describe('SMART Backend Services against the embedded server in auth mode', () => {
  it('refuses FHIR calls without a token, and serves /metadata and smart-configuration openly', async () => {
    expect((await fetch(`${server.baseUrl('acme')}/Patient/${CHET}`)).status).toBe(401);
    expect((await fetch(`${server.baseUrl('acme')}/metadata`)).status).toBe(200);
    const config = (await (await fetch(`${server.baseUrl('acme')}/.well-known/smart-configuration`)).json()) as { token_endpoint: string };
    expect(config.token_endpoint).toBe(server.tokenUrl('acme'));
    const { reader } = setup(null);
    const e = await reader.patient(CHET).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ConnectorError);
    expect((e as ConnectorError).kind).toBe('REJECTED');
  });

  for (const alg of ['ES384', 'RS384'] as const) {
    it(`reads and writes with one token from a ${alg} assertion, shared by reads and writes`, async () => {
      const { credential, jwks } = await keyCredential(alg, `clearance-${alg}`);
      server.registerClient('acme', { clientId: credential.clientId, jwks, scopes: ['system/*.cruds'] });
      const issued = server.auth!.issued.length;
      const { reader, writer, target, pool } = setup(credential);
      expect((await reader.patient(CHET))?.id).toBe(CHET);
      const written = await writer.create(target, note(`smart ${alg}`), `smart-${alg}`, author, new Date().toISOString());
      expect(written.created).toBe(true);
      expect(await writer.countByToken(target, 'DocumentReference', `smart-${alg}`)).toBe(1);
      // One token request for the read, the create, its Provenance and the search: one client, one cached token.
      expect(server.auth!.issued.length - issued).toBe(1);
      expect(pool.current('acme')?.resilience.health.snapshot().errors).toBe(0);
    });
  }

  it('uses a token until shortly before it expires, then gets a new one before calling', async () => {
    const { credential, jwks } = await keyCredential('ES384', 'clearance-expiry');
    server.registerClient('acme', { clientId: credential.clientId, jwks, scopes: ['system/*.rs'] });
    const { client } = setup(credential, ['system/*.rs']);
    const read = () =>
      createEhrConnector({ baseUrls: {}, timeoutMs: 5_000, clientFor: async () => client() }).forRequest('acme').patient(CHET);
    try {
      expect((await read())?.id).toBe(CHET);
      const issued = server.auth!.issued.length;
      clientSkewMs = serverSkewMs = 200_000;
      expect((await read())?.id).toBe(CHET);
      expect(server.auth!.issued.length - issued).toBe(0);
      // 300 s tokens are used until 30 s before they expire.
      clientSkewMs = serverSkewMs = 275_000;
      const before = server.requests.length;
      expect((await read())?.id).toBe(CHET);
      expect(server.auth!.issued.length - issued).toBe(1);
      expect(server.requests.slice(before).map((r) => `${r.method} ${r.url.split('?')[0]}`)).toEqual(['POST auth/token', 'GET Patient']);
    } finally {
      clientSkewMs = serverSkewMs = 0;
    }
  });

  it('refreshes a token the server no longer accepts (expired on its clock, or revoked), once, and goes on', async () => {
    const { credential, jwks } = await keyCredential('ES384', 'clearance-refresh');
    server.registerClient('acme', { clientId: credential.clientId, jwks, scopes: ['system/*.rs'] });
    const { client } = setup(credential, ['system/*.rs']);
    const read = () =>
      createEhrConnector({ baseUrls: {}, timeoutMs: 5_000, clientFor: async () => client() })
        .forRequest('acme')
        .patient(CHET);
    try {
      expect((await read())?.id).toBe(CHET);
      const issued = server.auth!.issued.length;
      // The server's clock is past the token's expiry while the connector still holds it as good: a 401, one refresh.
      clientSkewMs = 250_000;
      serverSkewMs = 301_000;
      const before = server.requests.length;
      expect((await read())?.id).toBe(CHET);
      expect(server.auth!.issued.length - issued).toBe(1);
      expect(server.requests.slice(before).map((r) => `${r.method} ${r.url.split('?')[0]}`)).toEqual([
        'GET Patient',
        'POST auth/token',
        'GET Patient',
      ]);
      server.auth!.revokeAll();
      expect((await read())?.id).toBe(CHET);
      expect(server.auth!.issued.length - issued).toBe(2);
    } finally {
      clientSkewMs = serverSkewMs = 0;
    }
  });

  it('refuses a wrong key, a wrong secret and an unknown client with UNAUTHORIZED, without retrying or repeating the server', async () => {
    const registered = await keyCredential('ES384', 'clearance-wrong');
    server.registerClient('acme', { clientId: 'clearance-wrong', jwks: registered.jwks, scopes: ['system/*.rs'] });
    server.registerClient('acme', { clientId: 'clearance-basic-wrong', secret: 'the-right-secret-1', scopes: ['system/*.rs'] });
    const impostor = await keyCredential('ES384', 'clearance-wrong');
    const cases: ConnectorCredential[] = [
      impostor.credential,
      { method: 'client_secret_basic', clientId: 'clearance-basic-wrong', secret: 'the-wrong-secret-2', boundOrigin: bound() },
      (await keyCredential('RS384', 'clearance-never-registered')).credential,
    ];
    for (const credential of cases) {
      const before = server.requests.length;
      const { reader, pool } = setup(credential, ['system/*.rs']);
      const e = (await reader.patient(CHET).catch((x: unknown) => x)) as ConnectorError;
      expect(e).toBeInstanceOf(ConnectorError);
      expect({ connector: e.connector, kind: e.kind, status: e.status }).toEqual({ connector: 'ehr', kind: 'UNAUTHORIZED', status: 401 });
      expect(e.message).toBe('ehr: token request was refused (invalid_client)');
      // Not an outage: no retry, the circuit stays closed, and no FHIR request went out without a token.
      expect(server.requests.slice(before).map((r) => `${r.method} ${r.url}`)).toEqual([
        'GET .well-known/smart-configuration',
        'POST auth/token',
      ]);
      expect(pool.current('acme')?.resilience.breaker.state).toBe('CLOSED');
    }
  });

  it('uses client_secret_basic where a server needs it', async () => {
    server.registerClient('acme', { clientId: 'clearance-basic', secret: 's3cret-basic-value', scopes: ['system/Patient.rs'] });
    const secret = 's3cret-basic-value';
    const basic = { method: 'client_secret_basic', clientId: 'clearance-basic', secret, boundOrigin: bound() } as const;
    const { reader } = setup(basic, [
      'system/Patient.rs',
    ]);
    expect((await reader.patient(CHET))?.id).toBe(CHET);
  });

  it('enforces the granted system scopes on each request: a write with a read-only token is refused', async () => {
    const { credential, jwks } = await keyCredential('ES384', 'clearance-readonly');
    server.registerClient('acme', { clientId: credential.clientId, jwks, scopes: ['system/Patient.rs'] });
    const { reader, writer, target } = setup(credential, ['system/Patient.rs', 'system/DocumentReference.c']);
    expect((await reader.patient(CHET))?.id).toBe(CHET);
    // The registration allows no DocumentReference: the token holds Patient.rs only, and the server says 403.
    const e = (await writer
      .create(target, note('nope'), 'readonly-1', author, new Date().toISOString())
      .catch((x: unknown) => x)) as ConnectorError;
    expect({ kind: e.kind, status: e.status }).toEqual({ kind: 'REJECTED', status: 403 });
    expect((await reader.conditions((await reader.patient(CHET))!).catch((x: unknown) => x)) as ConnectorError).toMatchObject({
      kind: 'REJECTED',
      status: 403,
    });
  });

  it('switches to a new client when the endpoint changes, while a request that started keeps its own', async () => {
    const one = await keyCredential('ES384', 'clearance-gen-1');
    const two = await keyCredential('ES384', 'clearance-gen-2');
    for (const c of [one, two]) server.registerClient('acme', { clientId: c.credential.clientId, jwks: c.jwks, scopes: ['system/*.rs'] });
    const pool = new FhirClientPool({ timeoutMs: 5_000 });
    let current: EhrEndpoint = {
      baseUrl: server.baseUrl('acme'),
      credential: one.credential,
      credentialKey: 'gen-1',
      scopes: ['system/*.rs'],
    };
    const connector = createEhrConnector({ baseUrls: {}, timeoutMs: 5_000, clientFor: async () => pool.client('acme', 'acme', current) });
    const started = connector.forRequest('acme');
    expect((await started.patient(CHET))?.id).toBe(CHET);
    const firstClient = pool.current('acme');
    // The governed change is committed: the next request gets a new client (new credential, new circuit).
    current = { ...current, credential: two.credential, credentialKey: 'gen-2' };
    const next = connector.forRequest('acme');
    const issued = server.auth!.issued.length;
    expect(await next.encounters((await next.patient(CHET))!)).toBeInstanceOf(Array);
    expect(server.auth!.issued.slice(issued).map((i) => i.clientId)).toEqual(['clearance-gen-2']);
    expect(pool.current('acme')).not.toBe(firstClient);
    // The request that started before the change finishes on the old client: no new token for it.
    expect(await started.conditions((await started.patient(CHET))!)).toBeInstanceOf(Array);
    expect(server.auth!.issued.slice(issued).map((i) => i.clientId)).toEqual(['clearance-gen-2']);
    expect(firstClient!.resilience.health.snapshot().calls).toBeGreaterThanOrEqual(2);
  });

  it('rejects a replayed assertion (jti seen before)', async () => {
    const { credential, jwks } = await keyCredential('ES384', 'clearance-replay');
    server.registerClient('acme', { clientId: credential.clientId, jwks, scopes: ['system/*.rs'] });
    const { SignJWT, importJWK } = await import('jose');
    const c = credential as Extract<ConnectorCredential, { method: 'private_key_jwt' }>;
    const nowSec = Math.floor((Date.now() + serverSkewMs) / 1000);
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: c.alg, kid: c.kid })
      .setIssuer(c.clientId)
      .setSubject(c.clientId)
      .setAudience(server.tokenUrl('acme'))
      .setJti('same-jti')
      .setIssuedAt(nowSec)
      .setExpirationTime(nowSec + 200)
      .sign(await importJWK(c.privateJwk, c.alg));
    const form = () =>
      new URLSearchParams({
        grant_type: 'client_credentials',
        scope: 'system/Patient.rs',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
      });
    const post = () =>
      fetch(server.tokenUrl('acme'), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form().toString(),
      });
    expect((await post()).status).toBe(200);
    expect((await post()).status).toBe(401);
  });
});
