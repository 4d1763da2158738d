import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, base64url, type CryptoKey, type JWTHeaderParameters, type JWTPayload } from 'jose';

// Helpers for the auth tests: raw token signing with any header and payload, so tests can build exactly the bad
// tokens an attacker would.

export const ISSUER = 'https://idp.test';
export const AUDIENCE = 'clearance-test';

export function nowSec(): number {
  return Math.floor(Date.now() / 1000);
}

/** A claims set the verifier accepts, to be broken one claim at a time. */
export function goodClaims(overrides: Record<string, unknown> = {}): JWTPayload {
  const now = nowSec();
  return {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'dr-who@acme',
    tenant: 'acme',
    roles: ['clinician'],
    iat: now,
    exp: now + 600,
    ...overrides,
  };
}

export function withoutClaim(claim: string): JWTPayload {
  const claims = goodClaims();
  delete claims[claim];
  return claims;
}

export function sign(
  key: CryptoKey | Uint8Array,
  payload: JWTPayload,
  header: JWTHeaderParameters,
): Promise<string> {
  return new SignJWT(payload).setProtectedHeader(header).sign(key);
}

/** `alg: none` (RFC 7519 section 6): header.payload. with an empty signature. */
export function unsecuredToken(payload: JWTPayload): string {
  const enc = (v: unknown) => base64url.encode(JSON.stringify(v));
  return `${enc({ alg: 'none', typ: 'JWT' })}.${enc(payload)}.`;
}

export function tempDir(prefix = 'clearance-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}
