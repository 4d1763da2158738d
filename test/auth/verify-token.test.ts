import { decodeJwt, exportJWK, exportSPKI, generateKeyPair, importJWK, type CryptoKey } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDevKeyGetter, loadOrCreateDevKeys, mintToken, type DevKeys } from '../../src/auth/dev-keys.js';
import { createTokenVerifier, VERIFIED_TOKEN_TTL_MS, type TokenVerifier } from '../../src/auth/verify-token.js';
import { UnauthenticatedError, type UnauthenticatedReason } from '../../src/errors/errors.js';
import {
  AUDIENCE,
  ISSUER,
  goodClaims,
  nowSec,
  sign,
  tempDir,
  unsecuredToken,
  withoutClaim,
} from './token-fixtures.js';

let dev: DevKeys;
let verifier: TokenVerifier;
let attacker: { privateKey: CryptoKey; publicKey: CryptoKey };

beforeAll(async () => {
  dev = await loadOrCreateDevKeys(await tempDir());
  verifier = createTokenVerifier({
    issuer: ISSUER,
    audience: AUDIENCE,
    algorithms: ['ES256', 'RS256'],
    keys: createDevKeyGetter(dev),
  });
  attacker = await generateKeyPair('ES256', { extractable: true });
});

/** Values that must never appear in an error message: the token itself and claim values from goodClaims(). */
const SECRETS = ['dr-who', 'acme', 'clinician', ISSUER];

async function expectRejected(header: string | undefined | null, reason: UnauthenticatedReason, v = verifier) {
  const error: unknown = await v.verify(header).then(
    () => {
      throw new Error(`expected ${reason}, but the token verified`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnauthenticatedError);
  const e = error as UnauthenticatedError;
  expect(e.extensions.reason).toBe(reason);
  expect(e.extensions.code).toBe('UNAUTHENTICATED');
  expect(e.extensions.http?.status).toBe(401);
  const token = header?.replace(/^bearer(\s+|$)/i, '') ?? '';
  if (token.length > 0) expect(e.message).not.toContain(token);
  for (const secret of SECRETS) expect(e.message).not.toContain(secret);
  return e;
}

const devSigned = (payload = goodClaims(), header: Record<string, unknown> = {}) =>
  sign(dev.privateKey, payload, { alg: 'ES256', kid: dev.kid, ...header });

describe('createTokenVerifier: valid tokens', () => {
  it('accepts an ES256 dev token and maps its claims to a frozen Principal', async () => {
    const token = await mintToken(
      dev,
      {
        sub: 'nurse-1',
        tenant: 'acme',
        roles: ['nurse'],
        departments: ['cardiology'],
        mfa: true,
        kind: 'user',
        scope: 'patient/Observation.rs  patient/Patient.r',
        grants: ['sensitive'],
      },
      { issuer: ISSUER, audience: AUDIENCE },
    );
    const principal = await verifier.verify(`Bearer ${token}`);
    expect(principal).toEqual({
      sub: 'nurse-1',
      tenant: 'acme',
      kind: 'user',
      roles: ['nurse'],
      departments: ['cardiology'],
      mfa: true,
      scopes: ['patient/Observation.rs', 'patient/Patient.r'],
      grants: ['sensitive'],
      authTime: expect.any(Number),
    });
    expect(Object.isFrozen(principal)).toBe(true);
    expect(Object.isFrozen(principal.roles)).toBe(true);
  });

  it('applies defaults: kind user, no departments, no MFA, scopes null, no grants', async () => {
    const principal = await verifier.verify(`Bearer ${await devSigned()}`);
    expect(principal).toEqual({
      sub: 'dr-who@acme',
      tenant: 'acme',
      kind: 'user',
      roles: ['clinician'],
      departments: [],
      mfa: false,
      scopes: null,
      grants: [],
      authTime: expect.any(Number),
    });
  });

  it('the sign-in time is auth_time when the token has it, else iat (access.mfaPolicy ages sessions by it)', async () => {
    const withAuthTime = await verifier.verify(`Bearer ${await devSigned(goodClaims({ auth_time: 1_000 }))}`);
    expect(withAuthTime.authTime).toBe(1_000);
    const token = await devSigned();
    const withoutIt = await verifier.verify(`Bearer ${token}`);
    expect(withoutIt.authTime).toBe(decodeJwt(token).iat);
  });

  it.each([
    [['pwd'], false],
    [['pwd', 'otp'], true],
    [['hwk'], true],
    [['pwd', 'face'], true],
    [['pwd', 'totp'], true],
    [['pwd', 'kba'], false],
  ])('amr %j gives mfa %s (RFC 8176)', async (amr, mfa) => {
    const principal = await verifier.verify(`Bearer ${await devSigned(goodClaims({ amr }))}`);
    expect(principal.mfa).toBe(mfa);
  });

  it('ignores claims it does not know (no isAdmin, no identity from elsewhere)', async () => {
    const principal = await verifier.verify(`Bearer ${await devSigned(goodClaims({ isAdmin: true, email: 'x@y' }))}`);
    expect(Object.keys(principal).sort()).toEqual(['authTime', 'departments', 'grants', 'kind', 'mfa', 'roles', 'scopes', 'sub', 'tenant']);
  });

  it('accepts an agent principal, a lower-case bearer scheme and an aud array naming us', async () => {
    const token = await devSigned(goodClaims({ kind: 'agent', aud: ['other', AUDIENCE] }));
    expect((await verifier.verify(`bearer ${token}`)).kind).toBe('agent');
  });

  it('allows the configured clock tolerance on exp', async () => {
    const lenient = createTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['ES256'],
      keys: createDevKeyGetter(dev),
      clockToleranceSec: 30,
    });
    const token = await devSigned(goodClaims({ exp: nowSec() - 10 }));
    await expect(lenient.verify(`Bearer ${token}`)).resolves.toMatchObject({ tenant: 'acme' });
    await expectRejected(`Bearer ${token}`, 'EXPIRED');
  });
});

describe('createTokenVerifier: bad tokens and their reasons', () => {
  it.each([undefined, null, '', '   '])('no token (%j) -> MISSING_TOKEN', async (header) => {
    await expectRejected(header, 'MISSING_TOKEN');
  });

  it.each([
    'Basic ZHI6d2hv',
    'Bearer',
    'Bearer not-a-jwt',
    'Bearer a.b',
    'Bearer a.b.c.d',
    'Bearer eyJhbGciOiJFUzI1NiJ9.%%%.sig',
    'Bearer a.b.c',
    `Bearer ${'a'.repeat(9000)}.b.c`,
  ])('malformed header %s -> MALFORMED_TOKEN', async (header) => {
    await expectRejected(header, 'MALFORMED_TOKEN');
  });

  it('a raw JWT without the Bearer scheme -> MALFORMED_TOKEN', async () => {
    await expectRejected(await devSigned(), 'MALFORMED_TOKEN');
  });

  it('alg none -> UNSUPPORTED_ALGORITHM', async () => {
    await expectRejected(`Bearer ${unsecuredToken(goodClaims())}`, 'UNSUPPORTED_ALGORITHM');
  });

  it('HS256 signed with the public key bytes (RS/HS key confusion) -> UNSUPPORTED_ALGORITHM', async () => {
    const jwkBytes = new TextEncoder().encode(JSON.stringify(dev.publicJwks.keys[0]));
    const pem = await exportSPKI((await importJWK(dev.publicJwks.keys[0]!, 'ES256')) as CryptoKey);
    for (const secret of [jwkBytes, new TextEncoder().encode(pem)]) {
      const token = await sign(secret, goodClaims(), { alg: 'HS256', kid: dev.kid });
      await expectRejected(`Bearer ${token}`, 'UNSUPPORTED_ALGORITHM');
    }
  });

  it('an algorithm valid in general but not configured -> UNSUPPORTED_ALGORITHM', async () => {
    const esOnly = createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, algorithms: ['ES256'], keys: createDevKeyGetter(dev) });
    const rsa = await generateKeyPair('RS256');
    const token = await sign(rsa.privateKey, goodClaims(), { alg: 'RS256', kid: dev.kid });
    await expectRejected(`Bearer ${token}`, 'UNSUPPORTED_ALGORITHM', esOnly);
  });

  it('signed by another key under our kid -> BAD_SIGNATURE', async () => {
    const token = await sign(attacker.privateKey, goodClaims(), { alg: 'ES256', kid: dev.kid });
    await expectRejected(`Bearer ${token}`, 'BAD_SIGNATURE');
  });

  it('a payload changed after signing -> BAD_SIGNATURE', async () => {
    const [h, , s] = (await devSigned()).split('.');
    const [, p] = (await devSigned(goodClaims({ tenant: 'other-tenant' }))).split('.');
    await expectRejected(`Bearer ${h}.${p}.${s}`, 'BAD_SIGNATURE');
  });

  it("the attacker's own key in a jwk header is ignored (keys are pinned) -> BAD_SIGNATURE", async () => {
    const jwk = await exportJWK(attacker.publicKey);
    for (const header of [{ jwk }, { jwk, kid: dev.kid }]) {
      const token = await sign(attacker.privateKey, goodClaims(), { alg: 'ES256', ...header });
      await expectRejected(`Bearer ${token}`, 'BAD_SIGNATURE');
    }
  });

  it('jku and x5u headers are ignored (nothing is fetched) -> BAD_SIGNATURE', async () => {
    const token = await sign(attacker.privateKey, goodClaims(), {
      alg: 'ES256',
      jku: 'http://127.0.0.1:9/attacker-jwks.json',
      x5u: 'http://127.0.0.1:9/attacker.pem',
    });
    await expectRejected(`Bearer ${token}`, 'BAD_SIGNATURE');
  });

  it('an RS256 token when the key set has no RSA key -> UNKNOWN_KEY', async () => {
    const rsa = await generateKeyPair('RS256');
    await expectRejected(`Bearer ${await sign(rsa.privateKey, goodClaims(), { alg: 'RS256' })}`, 'UNKNOWN_KEY');
  });

  it.each(['../../etc/passwd', "' OR 1=1--", 'unknown-kid'])('kid %j -> UNKNOWN_KEY', async (kid) => {
    const e = await expectRejected(`Bearer ${await devSigned(goodClaims(), { kid })}`, 'UNKNOWN_KEY');
    expect(e.message).not.toContain(kid);
  });

  it('expired -> EXPIRED', async () => {
    await expectRejected(`Bearer ${await devSigned(goodClaims({ iat: nowSec() - 7200, exp: nowSec() - 3600 }))}`, 'EXPIRED');
  });

  it('nbf in the future -> NOT_YET_VALID', async () => {
    await expectRejected(`Bearer ${await devSigned(goodClaims({ nbf: nowSec() + 3600 }))}`, 'NOT_YET_VALID');
  });

  it('iat in the future -> NOT_YET_VALID', async () => {
    await expectRejected(`Bearer ${await devSigned(goodClaims({ iat: nowSec() + 3600, exp: nowSec() + 7200 }))}`, 'NOT_YET_VALID');
  });

  it('wrong issuer -> WRONG_ISSUER', async () => {
    await expectRejected(`Bearer ${await devSigned(goodClaims({ iss: 'https://evil.test' }))}`, 'WRONG_ISSUER');
  });

  it('wrong audience -> WRONG_AUDIENCE', async () => {
    await expectRejected(`Bearer ${await devSigned(goodClaims({ aud: 'some-other-api' }))}`, 'WRONG_AUDIENCE');
  });

  it.each(['tenant', 'roles', 'sub', 'exp', 'iat', 'iss', 'aud'])('missing %s -> MISSING_CLAIM', async (claim) => {
    const e = await expectRejected(`Bearer ${await devSigned(withoutClaim(claim))}`, 'MISSING_CLAIM');
    expect(e.message).toContain(`"${claim}"`);
  });

  it.each<[string, unknown]>([
    ['tenant', 42],
    ['tenant', ''],
    ['tenant', 'Acme Corp'],
    ['tenant', '../other'],
    ['tenant', null],
    ['roles', 'clinician'],
    ['roles', [1]],
    ['roles', ['']],
    ['departments', 'cardiology'],
    ['kind', 'admin'],
    ['scope', ['patient/*.rs']],
    ['grants', 'sensitive'],
    ['amr', 'mfa'],
    ['sub', 7],
    ['exp', 'tomorrow'],
  ])('%s = %j -> INVALID_CLAIM', async (claim, value) => {
    const e = await expectRejected(`Bearer ${await devSigned(goodClaims({ [claim]: value }))}`, 'INVALID_CLAIM');
    expect(e.message).toContain(`"${claim}"`);
    if (typeof value === 'string' && value.length > 2) expect(e.message).not.toContain(value);
  });
});

// src/auth/verify-token.ts answers a token it verified from memory for VERIFIED_TOKEN_TTL_MS: every answer still
// checks the token's times at that moment, and the signature is checked again against the key set after that.
describe('createTokenVerifier: a verified token answered from memory', () => {
  const T = 1_900_000_000; // seconds
  const at = (sec: number) => sec * 1000;
  const setup = (over: Partial<Parameters<typeof createTokenVerifier>[0]> = {}) => {
    const clock = { ms: at(T) };
    const asked = { n: 0, keysGone: false };
    const real = createDevKeyGetter(dev);
    const v = createTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['ES256'],
      keys: (header, token) => {
        asked.n++;
        return asked.keysGone ? createDevKeyGetter({ ...dev, publicJwks: { keys: [] } })(header, token) : real(header, token);
      },
      now: () => clock.ms,
      ...over,
    });
    return { v, clock, asked };
  };
  const token = (claims: Record<string, unknown> = {}) => devSigned(goodClaims({ iat: T, exp: T + 600, ...claims }));

  it('asks the key set once, and answers the same principal', async () => {
    const { v, asked } = setup();
    const header = `Bearer ${await token()}`;
    const first = await v.verify(header);
    expect(await v.verify(header)).toBe(first);
    expect(asked.n).toBe(1);
  });

  it('still expires to the second (with the clock tolerance), like a token verified afresh', async () => {
    const { v, clock } = setup({ clockToleranceSec: 30 });
    const header = `Bearer ${await token()}`;
    await v.verify(header);
    clock.ms = at(T + 600 + 29);
    await expect(v.verify(header)).resolves.toBeTruthy();
    clock.ms = at(T + 600 + 30);
    await expectRejected(header, 'EXPIRED', v);
  });

  it('still ages out (maxTokenAgeSec), and a token not valid yet is never remembered as valid', async () => {
    const { v, clock } = setup({ maxTokenAgeSec: 100 });
    const header = `Bearer ${await token({ exp: T + 50_000 })}`;
    await v.verify(header);
    clock.ms = at(T + 100);
    await expect(v.verify(header)).resolves.toBeTruthy();
    clock.ms = at(T + 101);
    await expectRejected(header, 'TOKEN_TOO_OLD', v);
    const early = `Bearer ${await token({ nbf: T + 1_000 })}`;
    clock.ms = at(T);
    await expectRejected(early, 'NOT_YET_VALID', v);
    await expectRejected(early, 'NOT_YET_VALID', v);
  });

  it('checks the signature again after VERIFIED_TOKEN_TTL_MS: a key gone from the key set stops the token', async () => {
    const { v, clock, asked } = setup();
    const header = `Bearer ${await token()}`;
    await v.verify(header);
    asked.keysGone = true;
    clock.ms = at(T) + VERIFIED_TOKEN_TTL_MS - 1;
    await expect(v.verify(header)).resolves.toBeTruthy();
    clock.ms = at(T) + VERIFIED_TOKEN_TTL_MS;
    await expectRejected(header, 'UNKNOWN_KEY', v);
    asked.keysGone = false;
    await expect(v.verify(header)).resolves.toBeTruthy();
    expect(asked.n).toBe(3);
  });

  it('remembers nothing that failed: a forged signature over a remembered token\'s claims is refused', async () => {
    const { v } = setup();
    const good = await token();
    await v.verify(`Bearer ${good}`);
    const [h, p] = good.split('.');
    const other = await sign(attacker.privateKey, goodClaims({ iat: T, exp: T + 600 }), { alg: 'ES256', kid: dev.kid });
    const forged = `${h}.${p}.${other.split('.')[2]}`;
    await expectRejected(`Bearer ${forged}`, 'BAD_SIGNATURE', v);
    await expectRejected(`Bearer ${forged}`, 'BAD_SIGNATURE', v);
  });
});
