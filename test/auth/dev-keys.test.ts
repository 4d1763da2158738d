import { readFile, stat, writeFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  DEV_KEYS_FILE,
  createDevKeyGetter,
  loadOrCreateDevKeys,
  mintToken,
} from '../../src/auth/dev-keys.js';
import { createTokenVerifier } from '../../src/auth/verify-token.js';
import { AUDIENCE, ISSUER, nowSec, tempDir } from './token-fixtures.js';

describe('loadOrCreateDevKeys', () => {
  it('creates the state dir (0700) and a 0600 key file on first use, then reuses it', async () => {
    const stateDir = join(await tempDir(), 'nested', '.clearance');
    const first = await loadOrCreateDevKeys(stateDir);
    const file = join(stateDir, DEV_KEYS_FILE);
    expect((await stat(stateDir)).mode & 0o777).toBe(0o700);
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    const second = await loadOrCreateDevKeys(stateDir);
    expect(second.kid).toBe(first.kid);
    expect(second.publicJwks).toEqual(first.publicJwks);
  });

  it('publishes only the public half, with kid, alg and use', async () => {
    const keys = await loadOrCreateDevKeys(await tempDir());
    expect(keys.publicJwks.keys).toHaveLength(1);
    const [jwk] = keys.publicJwks.keys;
    expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', kid: keys.kid, alg: 'ES256', use: 'sig' });
    expect(jwk).not.toHaveProperty('d');
    expect(keys.privateKey.type).toBe('private');
  });

  it('is safe when the server and the CLI create the keys at the same time', async () => {
    const stateDir = await tempDir();
    const all = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateDevKeys(stateDir)));
    expect(new Set(all.map((k) => k.kid)).size).toBe(1);
  });

  it('tightens a key file that became world-readable, and refuses a corrupt one', async () => {
    const stateDir = await tempDir();
    await loadOrCreateDevKeys(stateDir);
    const file = join(stateDir, DEV_KEYS_FILE);
    await chmod(file, 0o644);
    await loadOrCreateDevKeys(stateDir);
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    await writeFile(file, '{"kty":"oct","k":"c2VjcmV0"}');
    await expect(loadOrCreateDevKeys(stateDir)).rejects.toThrow(/delete it/);
    await writeFile(file, 'not json');
    await expect(loadOrCreateDevKeys(stateDir)).rejects.toThrow(/delete it/);
  });
});

describe('mintToken', () => {
  it('mints the claims the verifier reads, with an 8 h default lifetime', async () => {
    const keys = await loadOrCreateDevKeys(await tempDir());
    const token = await mintToken(keys, { sub: 'u1', tenant: 'acme', roles: ['nurse'] }, { issuer: ISSUER, audience: AUDIENCE });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid: keys.kid, typ: 'JWT' });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ iss: ISSUER, aud: AUDIENCE, sub: 'u1', tenant: 'acme', roles: ['nurse'], amr: ['pwd'] });
    expect(claims.exp! - claims.iat!).toBe(8 * 3600);
    expect(Math.abs(claims.iat! - nowSec())).toBeLessThanOrEqual(2);

    const verifier = createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, algorithms: ['ES256'], keys: createDevKeyGetter(keys) });
    expect((await verifier.verify(`Bearer ${token}`)).mfa).toBe(false);
  });

  it('sets amr pwd+mfa for --mfa and honours ttlSeconds', async () => {
    const keys = await loadOrCreateDevKeys(await tempDir());
    const token = await mintToken(
      keys,
      { sub: 'u1', tenant: 'acme', roles: ['nurse'], mfa: true },
      { issuer: ISSUER, audience: AUDIENCE, ttlSeconds: 60 },
    );
    const claims = decodeJwt(token);
    expect(claims.amr).toEqual(['pwd', 'mfa']);
    expect(claims.exp! - claims.iat!).toBe(60);
  });

  it('refuses a tenant the verifier would reject and a non-positive ttl', async () => {
    const keys = await loadOrCreateDevKeys(await tempDir());
    const opts = { issuer: ISSUER, audience: AUDIENCE };
    await expect(mintToken(keys, { sub: 'u', tenant: 'Bad Tenant', roles: ['x'] }, opts)).rejects.toThrow(TypeError);
    await expect(mintToken(keys, { sub: 'u', tenant: 'acme', roles: ['x'] }, { ...opts, ttlSeconds: 0 })).rejects.toThrow(RangeError);
  });

  it('never writes the private key anywhere but the key file', async () => {
    const stateDir = await tempDir();
    const keys = await loadOrCreateDevKeys(stateDir);
    const stored = JSON.parse(await readFile(join(stateDir, DEV_KEYS_FILE), 'utf8')) as { d: string };
    const token = await mintToken(keys, { sub: 'u', tenant: 'acme', roles: ['x'] }, { issuer: ISSUER, audience: AUDIENCE });
    expect(token).not.toContain(stored.d);
    expect(JSON.stringify(keys.publicJwks)).not.toContain(stored.d);
  });
});
