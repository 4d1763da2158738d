import { errors, type JWTVerifyGetKey } from 'jose';
import { KeySourceError } from '../errors/key-source-error.js';

// Separates "the token names a key we do not have" (the caller's problem: 401) from "our key source is broken"
// (a remote JWKS that is down, times out, redirects or serves garbage or private keys: our problem, not a 401).
// jose reports both from inside the key getter, so the getter is wrapped and failures of the second kind are
// re-thrown as KeySourceError, which verify-token.ts maps to UPSTREAM_UNAVAILABLE.

/** Errors that describe the token (its kid or alg), not the key source. */
function isTokenProblem(error: unknown): boolean {
  return (
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys ||
    error instanceof errors.JOSENotSupported
  );
}

export function guardKeyGetter(keys: JWTVerifyGetKey): JWTVerifyGetKey {
  return async (protectedHeader, token) => {
    try {
      return await keys(protectedHeader, token);
    } catch (error) {
      if (isTokenProblem(error)) throw error;
      throw new KeySourceError(error instanceof errors.JWKSTimeout ? 'timeout' : 'unavailable', { cause: error });
    }
  };
}
