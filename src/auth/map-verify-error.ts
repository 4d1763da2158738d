import { errors } from 'jose';
import {
  ClearanceError,
  UnauthenticatedError,
  UpstreamUnavailableError,
  type UnauthenticatedReason,
} from '../errors/errors.js';
import { KeySourceError } from '../errors/key-source-error.js';

// Maps whatever jwtVerify threw to one stable, client-visible error. Clients and tests switch on `reason`, so each
// jose error class maps to exactly one reason. Messages are fixed strings: they never carry the token, a claim value
// or jose's own message (which can quote header values).

export function unauthenticated(reason: UnauthenticatedReason): UnauthenticatedError {
  return new UnauthenticatedError(reason, MESSAGES[reason]);
}

const MESSAGES: Record<UnauthenticatedReason, string> = {
  MISSING_TOKEN: 'An Authorization: Bearer token is required.',
  MALFORMED_TOKEN: 'The bearer token is not a well-formed JWT.',
  UNSUPPORTED_ALGORITHM: 'The bearer token uses an algorithm this gateway does not accept.',
  BAD_SIGNATURE: 'The bearer token signature does not verify.',
  EXPIRED: 'The bearer token has expired.',
  NOT_YET_VALID: 'The bearer token is not valid yet.',
  WRONG_ISSUER: 'The bearer token was issued by an issuer this gateway does not trust.',
  WRONG_AUDIENCE: 'The bearer token is not intended for this gateway.',
  MISSING_CLAIM: 'The bearer token lacks a required claim.',
  INVALID_CLAIM: 'The bearer token has a claim of the wrong type or format.',
  UNKNOWN_KEY:
    'The bearer token is signed with a key this gateway does not know (a dev token of the embedded default: mint it with ' +
    'the CLEARANCE_STATE_DIR the gateway runs with).',
  MFA_REQUIRED: 'The MFA policy requires a second factor: sign in again with MFA.',
  SESSION_TOO_OLD: 'The sign-in is older than the MFA policy allows: sign in again.',
  TOKEN_LIFETIME_TOO_LONG: 'The bearer token lives longer (exp - iat) than this gateway accepts: ask the issuer for a shorter-lived token.',
  TOKEN_TOO_OLD: 'The bearer token was issued longer ago than this gateway accepts: sign in again.',
};

function fromClaimFailure(error: errors.JWTClaimValidationFailed): UnauthenticatedError {
  if (error.reason === 'missing') {
    return new UnauthenticatedError('MISSING_CLAIM', `The bearer token lacks the required "${error.claim}" claim.`);
  }
  if (error.reason === 'invalid') {
    return new UnauthenticatedError('INVALID_CLAIM', `The token's "${error.claim}" claim is invalid.`);
  }
  switch (error.claim) {
    case 'iss':
      return unauthenticated('WRONG_ISSUER');
    case 'aud':
      return unauthenticated('WRONG_AUDIENCE');
    case 'nbf':
    case 'iat':
      return unauthenticated('NOT_YET_VALID');
    default:
      return unauthenticated('INVALID_CLAIM');
  }
}

export function mapVerifyError(error: unknown): ClearanceError {
  if (error instanceof ClearanceError) return error;
  if (error instanceof KeySourceError) {
    return new UpstreamUnavailableError('jwks', error.kind, 'Token signing keys are unavailable; try again shortly.');
  }
  if (error instanceof errors.JWTExpired) return unauthenticated('EXPIRED');
  if (error instanceof errors.JWTClaimValidationFailed) return fromClaimFailure(error);
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return unauthenticated('UNSUPPORTED_ALGORITHM');
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return unauthenticated('BAD_SIGNATURE');
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return unauthenticated('UNKNOWN_KEY');
  }
  // JWSInvalid, JWTInvalid, bad base64url or JSON, and anything unexpected: fail closed as a malformed token.
  return unauthenticated('MALFORMED_TOKEN');
}
