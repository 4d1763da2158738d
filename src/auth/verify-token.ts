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
}

const REQUIRED_CLAIMS = ['sub', 'tenant', 'roles', 'exp', 'iat'];

export function createTokenVerifier(opts: TokenVerifierOptions): TokenVerifier {
  if (opts.algorithms.length === 0) throw new TypeError('createTokenVerifier: algorithms must not be empty');
  const algorithms = [...opts.algorithms];
  const clockTolerance = opts.clockToleranceSec ?? 0;
  const keys = guardKeyGetter(opts.keys);

  return {
    async verify(authorizationHeader) {
      const jws = extractBearerToken(authorizationHeader);
      let payload: Record<string, unknown>;
      try {
        ({ payload } = await jwtVerify(jws, keys, {
          algorithms,
          issuer: opts.issuer,
          audience: opts.audience,
          requiredClaims: REQUIRED_CLAIMS,
          clockTolerance,
        }));
      } catch (error) {
        throw mapVerifyError(error);
      }
      // jose only checks `iat` when maxTokenAge is set; a token issued in the future points at a forged or
      // mis-clocked issuer, so it is refused like an early `nbf`.
      const nowSec = Date.now() / 1000;
      if (typeof payload.iat === 'number' && payload.iat > nowSec + clockTolerance) {
        throw new UnauthenticatedError('NOT_YET_VALID', 'The bearer token is not valid yet.');
      }
      // exp and iat are required claims and numbers once jose accepted the token.
      const { iat, exp } = payload as { iat: number; exp: number };
      if (opts.maxTokenLifetimeSec !== undefined && exp - iat > opts.maxTokenLifetimeSec) throw unauthenticated('TOKEN_LIFETIME_TOO_LONG');
      if (opts.maxTokenAgeSec !== undefined && nowSec - iat > opts.maxTokenAgeSec + clockTolerance) throw unauthenticated('TOKEN_TOO_OLD');
      return principalFromClaims(payload);
    },
  };
}
