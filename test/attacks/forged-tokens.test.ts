import { SignJWT, base64url, exportJWK, generateKeyPair, type JWTHeaderParameters, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROD_AUDIENCE, PROD_ISSUER, startProductionHarness, type ProductionHarness } from '../support/production-harness.js';
import { postJson } from './attack-http.js';

// Issue 7, "must hold": forged identities over HTTP against the gateway in production mode, whose keys are pinned
// from a JWKS file (test/api/bad-tokens.test.ts covers the rest on the embedded default). Each token differs from
// one the gateway accepts in one respect; each is 401 UNAUTHENTICATED with a stable reason, and no data.

let h: ProductionHarness;

beforeAll(async () => {
  // Failed logins are rate limited per IP; this file sends many on purpose from one IP.
  h = await startProductionHarness({ env: { RATE_LIMIT_FAILED_AUTH_PER_IP: '10000' } });
});
afterAll(() => h.stop());

const now = () => Math.floor(Date.now() / 1000);
function claims(overrides: Record<string, unknown> = {}, omit: string[] = []): JWTPayload {
  const payload: JWTPayload = {
    iss: PROD_ISSUER,
    aud: PROD_AUDIENCE,
    sub: 'dr-forge',
    tenant: 'acme',
    roles: ['clinician'],
    iat: now(),
    exp: now() + 600,
    ...overrides,
  };
  for (const claim of omit) delete payload[claim];
  return payload;
}
const signIdp = (payload: JWTPayload, header: Partial<JWTHeaderParameters> = {}) =>
  new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: h.idp.kid, typ: 'JWT', ...header }).sign(h.idp.privateKey);
const unsigned = (header: object, payload: object) =>
  `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(payload))}.`;

async function attackerSigned(header: (jwk: Record<string, unknown>) => Partial<JWTHeaderParameters>): Promise<string> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = (await exportJWK(publicKey)) as Record<string, unknown>;
  return new SignJWT(claims()).setProtectedHeader({ alg: 'ES256', ...header(jwk) }).sign(privateKey);
}

const cases: { name: string; reason: string; token: () => Promise<string> }[] = [
  { name: 'alg none', reason: 'UNSUPPORTED_ALGORITHM', token: async () => unsigned({ alg: 'none', typ: 'JWT', kid: h.idp.kid }, claims()) },
  {
    name: 'HS256 signed with the public key (RS/HS confusion)',
    reason: 'UNSUPPORTED_ALGORITHM',
    token: async () =>
      new SignJWT(claims())
        .setProtectedHeader({ alg: 'HS256', kid: h.idp.kid })
        .sign(new TextEncoder().encode(JSON.stringify(h.idp.publicJwks.keys[0]))),
  },
  { name: 'expired', reason: 'EXPIRED', token: () => signIdp(claims({ iat: now() - 7200, exp: now() - 3600 })) },
  { name: 'not yet valid (nbf in an hour)', reason: 'NOT_YET_VALID', token: () => signIdp(claims({ nbf: now() + 3600 })) },
  { name: 'wrong issuer', reason: 'WRONG_ISSUER', token: () => signIdp(claims({ iss: 'https://evil.example' })) },
  { name: 'wrong audience', reason: 'WRONG_AUDIENCE', token: () => signIdp(claims({ aud: 'another-api' })) },
  { name: 'kid that is a path', reason: 'UNKNOWN_KEY', token: () => signIdp(claims(), { kid: '../../../../dev/null' }) },
  { name: 'kid that is SQL', reason: 'UNKNOWN_KEY', token: () => signIdp(claims(), { kid: "' OR '1'='1' --" }) },
  {
    name: 'attacker key embedded as jwk header (with the real kid)',
    reason: 'BAD_SIGNATURE',
    token: () => attackerSigned((jwk) => ({ jwk, kid: h.idp.kid })),
  },
  { name: 'attacker key embedded as jwk header (no kid)', reason: 'BAD_SIGNATURE', token: () => attackerSigned((jwk) => ({ jwk })) },
  {
    name: 'jku header pointing at an attacker JWKS',
    reason: 'BAD_SIGNATURE',
    token: () => attackerSigned(() => ({ jku: 'https://evil.example/jwks.json', kid: h.idp.kid })),
  },
  { name: 'tenant claim missing', reason: 'MISSING_CLAIM', token: () => signIdp(claims({}, ['tenant'])) },
  { name: 'tenant claim a number', reason: 'INVALID_CLAIM', token: () => signIdp(claims({ tenant: 42 })) },
  { name: 'tenant claim an array', reason: 'INVALID_CLAIM', token: () => signIdp(claims({ tenant: ['acme', 'globex'] })) },
  { name: 'tenant claim an object', reason: 'INVALID_CLAIM', token: () => signIdp(claims({ tenant: { $ne: null } })) },
  { name: 'tenant claim a path', reason: 'INVALID_CLAIM', token: () => signIdp(claims({ tenant: '../globex' })) },
  { name: 'roles claim a string', reason: 'INVALID_CLAIM', token: () => signIdp(claims({ roles: 'system-admin' })) },
];

describe('forged identities (production mode, JWKS-pinned keys)', () => {
  it('the control: a token of the IdP key is accepted', async () => {
    const r = await postJson(h.url, await signIdp(claims()), { query: '{ me { sub tenant roles } }' });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ data: { me: { sub: 'dr-forge', tenant: 'acme', roles: ['clinician'] } } });
  });

  it.each(cases)('$name → 401 UNAUTHENTICATED ($reason)', async ({ token, reason }) => {
    const t = await token();
    const logFrom = h.logLines.length;
    const first = await postJson(h.url, t, { query: '{ me { sub tenant } }' });
    const second = await postJson(h.url, t, { query: '{ me { sub tenant } }' });
    for (const r of [first, second]) {
      expect(r.status).toBe(401);
      expect(r.json?.data ?? null).toBeNull();
      expect(r.json?.errors?.map((e) => e.extensions)).toEqual([{ code: 'UNAUTHENTICATED', reason }]);
    }
    expect(second.text).toBe(first.text);
    const logs = h.logLines.slice(logFrom).join('\n');
    for (const piece of t.split('.').filter((p) => p.length >= 8)) {
      expect(first.text).not.toContain(piece);
      expect(logs).not.toContain(piece);
    }
  });
});
