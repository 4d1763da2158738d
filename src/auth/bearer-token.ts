import { UnauthenticatedError } from '../errors/errors.js';

// Extracts the compact JWS from an `Authorization: Bearer <jws>` header (RFC 6750 section 2.1). The scheme name is
// case-insensitive (RFC 9110 section 11.1). Anything that is not exactly three base64url segments is refused before
// it reaches jose, and the cap on length keeps an oversized header from costing us a parse.

/** Far above any token we mint; keeps oversized headers cheap to refuse. */
const MAX_HEADER_LENGTH = 8192;
const BEARER = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/i;

export function extractBearerToken(authorizationHeader: string | undefined | null): string {
  if (authorizationHeader === undefined || authorizationHeader === null || authorizationHeader.trim() === '') {
    throw new UnauthenticatedError('MISSING_TOKEN', 'An Authorization: Bearer token is required.');
  }
  if (authorizationHeader.length > MAX_HEADER_LENGTH) {
    throw new UnauthenticatedError('MALFORMED_TOKEN', 'The Authorization header is too long.');
  }
  const match = BEARER.exec(authorizationHeader.trim());
  if (!match?.[1]) {
    throw new UnauthenticatedError(
      'MALFORMED_TOKEN',
      'The Authorization header must be "Bearer <JWS compact serialization>".',
    );
  }
  return match[1];
}
