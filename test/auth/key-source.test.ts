import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateDevKeys } from '../../src/auth/dev-keys.js';
import {
  createDiscoveredKeyGetter,
  createFileKeyGetter,
  createKeyGetter,
  createRemoteKeyGetter,
  loadJwksFile,
} from '../../src/auth/key-source.js';
import { createTokenVerifier } from '../../src/auth/verify-token.js';
import { ParseError } from '../../src/errors/parse-error.js';
import { UnauthenticatedError, UpstreamUnavailableError } from '../../src/errors/errors.js';
import { AUDIENCE, ISSUER, goodClaims, sign, tempDir } from './token-fixtures.js';

async function rsaFixture(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const privateJwk = { ...(await exportJWK(privateKey)), kid };
  return { privateKey, publicJwk, privateJwk };
}

const verifierFor = (keys: Parameters<typeof createTokenVerifier>[0]['keys']) =>
  createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, algorithms: ['ES256', 'RS256'], keys });

describe('JWKS file', () => {
  it('verifies an RS256 token against a local JWKS file', async () => {
    const rsa = await rsaFixture('rsa-2025');
    const file = join(await tempDir(), 'jwks.json');
    await writeFile(file, JSON.stringify({ keys: [rsa.publicJwk] }));
    const token = await sign(rsa.privateKey, goodClaims({ roles: ['auditor'] }), { alg: 'RS256', kid: 'rsa-2025' });
    const principal = await verifierFor(await createFileKeyGetter(file)).verify(`Bearer ${token}`);
    expect(principal.roles).toEqual(['auditor']);
  });

  it('refuses a JWKS file holding private or symmetric key material, naming each key but no key material', async () => {
    const rsa = await rsaFixture('leaked');
    const file = join(await tempDir(), 'jwks.json');
    await writeFile(file, JSON.stringify({ keys: [rsa.publicJwk, rsa.privateJwk, { kty: 'oct', k: 'c2VjcmV0' }] }));
    const error = await loadJwksFile(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParseError);
    const problems = (error as ParseError).problems;
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/key #2 .*\bd\b/);
    expect(problems[1]).toMatch(/key #3 .*\bk\b/);
    expect((error as ParseError).message).not.toContain(rsa.privateJwk.d!);
  });

  it('reports a missing file or a non-JWKS file as a ParseError', async () => {
    const dir = await tempDir();
    await expect(loadJwksFile(join(dir, 'nope.json'))).rejects.toThrow(/ENOENT/);
    await writeFile(join(dir, 'x.json'), '{"foo":1}');
    await expect(loadJwksFile(join(dir, 'x.json'))).rejects.toBeInstanceOf(ParseError);
  });
});

describe('remote JWKS (node:http on 127.0.0.1)', () => {
  let server: Server;
  let baseUrl: string;
  let jwks: JSONWebKeySet = { keys: [] };
  let status = 200;
  let requests = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests += 1;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(jwks));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
  });

  it('fetches the key set once and verifies tokens signed with it', async () => {
    const rsa = await rsaFixture('remote-1');
    jwks = { keys: [rsa.publicJwk] };
    status = 200;
    const before = requests;
    const verifier = verifierFor(createRemoteKeyGetter(`${baseUrl}/.well-known/jwks.json`));
    const token = await sign(rsa.privateKey, goodClaims(), { alg: 'RS256', kid: 'remote-1' });
    await expect(verifier.verify(`Bearer ${token}`)).resolves.toMatchObject({ tenant: 'acme' });
    await expect(verifier.verify(`Bearer ${token}`)).resolves.toMatchObject({ tenant: 'acme' });
    expect(requests - before).toBe(1);
  });

  it('an unknown kid from the remote set is UNKNOWN_KEY', async () => {
    const rsa = await rsaFixture('remote-2');
    jwks = { keys: [rsa.publicJwk] };
    const token = await sign(rsa.privateKey, goodClaims(), { alg: 'RS256', kid: 'not-published' });
    const error = await verifierFor(createRemoteKeyGetter(`${baseUrl}/jwks`)).verify(`Bearer ${token}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthenticatedError);
    expect((error as UnauthenticatedError).extensions.reason).toBe('UNKNOWN_KEY');
  });

  it('a failing JWKS endpoint is UPSTREAM_UNAVAILABLE, not a 401', async () => {
    const rsa = await rsaFixture('remote-3');
    status = 503;
    const token = await sign(rsa.privateKey, goodClaims(), { alg: 'RS256', kid: 'remote-3' });
    const error = await verifierFor(createRemoteKeyGetter(`${baseUrl}/jwks`)).verify(`Bearer ${token}`).catch((e: unknown) => e);
    status = 200;
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect((error as UpstreamUnavailableError).extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', connector: 'jwks' });
  });

  it('a remote set serving a private key is refused (UPSTREAM_UNAVAILABLE)', async () => {
    const rsa = await rsaFixture('remote-4');
    jwks = { keys: [{ ...rsa.privateJwk, alg: 'RS256' }] };
    const token = await sign(rsa.privateKey, goodClaims(), { alg: 'RS256', kid: 'remote-4' });
    const error = await verifierFor(createRemoteKeyGetter(`${baseUrl}/jwks`)).verify(`Bearer ${token}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
  });
});

describe('createKeyGetter', () => {
  const auth = {
    issuer: ISSUER,
    audience: AUDIENCE,
    algorithms: ['ES256' as const],
    jwksUrl: null,
    jwksFile: null,
    clockToleranceSec: 0,
    maxTokenLifetimeSec: 86_400,
    maxTokenAgeSec: 86_400,
  };

  it('uses the dev key pair in embedded mode without a JWKS', async () => {
    const stateDir = await tempDir();
    const getKey = await createKeyGetter({ mode: 'embedded', stateDir, auth });
    const dev = await loadOrCreateDevKeys(stateDir);
    const token = await sign(dev.privateKey, goodClaims(), { alg: 'ES256', kid: dev.kid });
    await expect(verifierFor(getKey).verify(`Bearer ${token}`)).resolves.toMatchObject({ sub: 'dr-who@acme' });
  });

  it('never falls back to dev keys in production', async () => {
    await expect(createKeyGetter({ mode: 'production', stateDir: await tempDir(), auth })).rejects.toBeInstanceOf(ParseError);
  });
});

describe('keys from the OpenID provider discovery document', () => {
  let server: Server;
  let issuer = '';
  let docIssuer = '';
  let discoveries = 0;
  let up = true;
  const rsaP = rsaFixture('idp-1');

  beforeAll(async () => {
    const rsa = await rsaP;
    server = createServer((req, res) => {
      if (!up) return res.writeHead(503).end();
      if (req.url === '/.well-known/openid-configuration') {
        discoveries += 1;
        return res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ issuer: docIssuer, jwks_uri: `${issuer}/jwks` }));
      }
      if (req.url === '/jwks')
        return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [rsa.publicJwk] }));
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    docIssuer = issuer;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const verifierAt = (keys: Parameters<typeof createTokenVerifier>[0]['keys']) =>
    createTokenVerifier({ issuer, audience: AUDIENCE, algorithms: ['RS256'], keys });

  it('verifies with the jwks_uri the issuer names; fails closed while the IdP is down, then recovers', async () => {
    const rsa = await rsaP;
    const token = await sign(rsa.privateKey, { ...goodClaims({ roles: ['auditor'] }), iss: issuer }, { alg: 'RS256', kid: 'idp-1' });
    up = false;
    let clock = 1_000_000;
    const verifier = verifierAt(createDiscoveredKeyGetter(issuer, fetch, () => clock));
    await expect(verifier.verify(`Bearer ${token}`)).rejects.toBeInstanceOf(UpstreamUnavailableError);
    up = true;
    // Within the cool-down the IdP is not asked again: still unavailable, no new discovery request.
    const asked = discoveries;
    clock += 10_000;
    await expect(verifier.verify(`Bearer ${token}`)).rejects.toBeInstanceOf(UpstreamUnavailableError);
    expect(discoveries).toBe(asked);
    clock += 30_000;
    expect((await verifier.verify(`Bearer ${token}`)).roles).toEqual(['auditor']);
    const before = discoveries;
    expect((await verifier.verify(`Bearer ${token}`)).roles).toEqual(['auditor']);
    expect(discoveries).toBe(before);
  });

  it('refuses a discovery document that names another issuer', async () => {
    const rsa = await rsaP;
    docIssuer = 'https://impostor.example.org';
    const token = await sign(rsa.privateKey, { ...goodClaims({ roles: ['auditor'] }), iss: issuer }, { alg: 'RS256', kid: 'idp-1' });
    await expect(verifierAt(createDiscoveredKeyGetter(issuer)).verify(`Bearer ${token}`)).rejects.toBeInstanceOf(UpstreamUnavailableError);
    docIssuer = issuer;
  });

  it('is the key source when only OIDC_ISSUER is configured', async () => {
    const rsa = await rsaP;
    const token = await sign(rsa.privateKey, { ...goodClaims({ roles: ['auditor'] }), iss: issuer }, { alg: 'RS256', kid: 'idp-1' });
    const auth = {
      issuer,
      audience: AUDIENCE,
      algorithms: ['RS256'] as const,
      jwksUrl: null,
      jwksFile: null,
      clockToleranceSec: 0,
      maxTokenLifetimeSec: 86400,
      maxTokenAgeSec: 86400,
    };
    const keys = await createKeyGetter({ mode: 'production', stateDir: await tempDir(), auth, oidc: { issuer, clientId: 'c' } });
    expect((await verifierAt(keys).verify(`Bearer ${token}`)).roles).toEqual(['auditor']);
  });
});
