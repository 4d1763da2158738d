import { jwtVerify, type JWTVerifyGetKey } from 'jose';
import { UnauthenticatedError } from '../errors/errors.js';
import type { SupportedAlgorithm } from '../config/algorithms.js';
import { extractBearerToken } from './bearer-token.js';
import { guardKeyGetter } from './guard-key-getter.js';
import { mapVerifyError, unauthenticated } from './map-verify-error.js';
import type { Principal } from './principal.js';
import { principalFromClaims } from './principal-from-claims.js';

// Turns an Authorization header into a verified Principal, or throws a ClearanceError:
// UnauthenticatedError (401, with a stable `reason`) for anything wrong with the token, UpstreamUnavailableError
// when the key source itself is failing.
//
// RFC 8725 (JWT BCP) is followed by construction:
// - 3.1 algorithm verification: an explicit allow-list, so `alg: none` and HS256-with-the-public-key fail.
// - 3.10 do not trust received claims: keys are pinned. `keys` is a key set we chose; jose's JWKS getters only
//   compare `kid`/`alg` for equality (a `kid` of "../../etc/passwd" or "' OR 1=1--" is just an unknown key) and
//   never use a token's own `jwk`, `jku`, `x5u` or `x5c` header (no EmbeddedJWK here): no attacker-supplied key,
//   no fetch of an attacker's URL.
// - 3.8/3.9 issuer and audience are always validated.
// RFC 7519 section 4.1: `exp` and `iat` are required here although the RFC makes them optional.

export interface TokenVerifier {
  verify(authorizationHeader: string | undefined | null): Promise<Principal>;
}

export interface TokenVerifierOptions {
  issuer: string;
  audience: string;
  algorithms: readonly SupportedAlgorithm[];
  /** A pinned key set: jose's createLocalJWKSet or createRemoteJWKSet (see key-source.ts, dev-keys.ts). */
  keys: JWTVerifyGetKey;
  /** Leeway for exp/nbf/iat between our clock and the issuer's (RFC 7519 section 4.1.4). Default 0. */
  clockToleranceSec?: number;
  /** Longest lifetime (exp - iat) accepted: a week-long token is refused however fresh (TOKEN_LIFETIME_TOO_LONG). */
  maxTokenLifetimeSec?: number;
  /** Oldest token accepted (now - iat), whatever its exp (TOKEN_TOO_OLD). */
  maxTokenAgeSec?: number;
  /** The clock (epoch ms); tests move it. */
  now?: () => number;
}

/**
 * How long a verified token is answered from memory before its signature is checked again against the key set: a
 * client sends one token for its whole life, and verifying its signature (ES256) was a third of a chart's CPU. Every
 * answer from memory still checks the token's times (exp, nbf, iat, age) at that moment; a key removed from the key
 * set stops tokens it signed within this long. Only tokens that verified are kept.
 */
export const VERIFIED_TOKEN_TTL_MS = 60_000;
const VERIFIED_TOKENS_KEPT = 10_000;

interface Verified {
  readonly principal: Principal;
  readonly iat: number;
  readonly exp: number;
  readonly nbf: number | undefined;
  /** Until when (epoch ms) it is answered from memory. */
  readonly until: number;
}

const REQUIRED_CLAIMS = ['sub', 'tenant', 'roles', 'exp', 'iat'];

export function createTokenVerifier(opts: TokenVerifierOptions): TokenVerifier {
  if (opts.algorithms.length === 0) throw new TypeError('createTokenVerifier: algorithms must not be empty');
  const algorithms = [...opts.algorithms];
  const clockTolerance = opts.clockToleranceSec ?? 0;
  const keys = guardKeyGetter(opts.keys);
  const now = opts.now ?? Date.now;
  const verified = new Map<string, Verified>();

  /** The checks that depend on the time of the request: made on every answer, from memory or not. */
  const checkTimes = (t: Pick<Verified, 'iat' | 'exp' | 'nbf'>, nowSec: number): void => {
    // The same comparisons as jose's (exp, nbf) for a token answered from memory.
    if (t.exp <= nowSec - clockTolerance) throw unauthenticated('EXPIRED');
    if (t.nbf !== undefined && t.nbf > nowSec + clockTolerance) throw unauthenticated('NOT_YET_VALID');
    // jose only checks `iat` when maxTokenAge is set; a token issued in the future points at a forged or
    // mis-clocked issuer, so it is refused like an early `nbf`.
    if (t.iat > nowSec + clockTolerance) throw new UnauthenticatedError('NOT_YET_VALID', 'The bearer token is not valid yet.');
    if (opts.maxTokenAgeSec !== undefined && nowSec - t.iat > opts.maxTokenAgeSec + clockTolerance) throw unauthenticated('TOKEN_TOO_OLD');
  };

  return {
    async verify(authorizationHeader) {
      const jws = extractBearerToken(authorizationHeader);
      const nowMs = now();
      const known = verified.get(jws);
      if (known && nowMs < known.until) {
        checkTimes(known, nowMs / 1000);
        return known.principal;
      }
      let payload: Record<string, unknown>;
      try {
        ({ payload } = await jwtVerify(jws, keys, {
          algorithms,
          issuer: opts.issuer,
          audience: opts.audience,
          requiredClaims: REQUIRED_CLAIMS,
          clockTolerance,
          currentDate: new Date(nowMs),
        }));
      } catch (error) {
        verified.delete(jws);
        throw mapVerifyError(error);
      }
      // exp and iat are required claims and numbers once jose accepted the token (nbf, when present, too).
      const { iat, exp, nbf } = payload as { iat: number; exp: number; nbf?: number };
      checkTimes({ iat, exp, nbf }, nowMs / 1000);
      if (opts.maxTokenLifetimeSec !== undefined && exp - iat > opts.maxTokenLifetimeSec) throw unauthenticated('TOKEN_LIFETIME_TOO_LONG');
      const principal = principalFromClaims(payload);
      if (verified.size >= VERIFIED_TOKENS_KEPT) verified.delete(verified.keys().next().value!);
      verified.set(jws, { principal, iat, exp, nbf, until: nowMs + VERIFIED_TOKEN_TTL_MS });
      return principal;
    },
  };
}
