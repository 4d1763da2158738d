import { ClearanceError } from '../errors/errors.js';
import { isFhirId } from '../../spec/fhir-id.js';

// Arguments that end up in an upstream FHIR request (a path segment, a header, a search parameter) are checked here,
// before anything is looked up: a clear BAD_USER_INPUT naming the argument with a stable `reason`, never an upstream
// failure, and nothing sent upstream. The value itself is never echoed (it can be PHI).

type UpstreamInputReason = 'INVALID_ID' | 'INVALID_VERSION_ID' | 'TOO_LONG' | 'CONTROL_CHARACTER';

/** Free-text search arguments (a name, a code): longer than any real one, far below a URL's limits. */
const MAX_SEARCH_TEXT = 200;

/**
 * C0 and C1 control characters (CR, LF, NUL, tab...), the line and paragraph separators and unpaired surrogates (with
 * the `u` flag a surrogate pair is one code point, so the surrogate range matches only a lone half).
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff]/u;

function badUpstreamInput(field: string, reason: UpstreamInputReason, message: string): ClearanceError {
  return new ClearanceError('BAD_USER_INPUT', message, { field, reason });
}

/** A FHIR resource id (a URL path segment): 1-64 of A-Z a-z 0-9 - . (spec/fhir-id.ts). */
export function fhirIdArg(value: string, field: string): string {
  if (!isFhirId(value)) throw badUpstreamInput(field, 'INVALID_ID', `${field} is not a valid FHIR id (1-64 of A-Z a-z 0-9 - .).`);
  return value;
}

/**
 * A FHIR version id (sent as `If-Match: W/"<version>"`): the FHIR id syntax, so no quote, control character or
 * over-long value can reach the header.
 */
export function versionIdArg(value: string, field: string): string {
  if (!isFhirId(value)) {
    throw badUpstreamInput(field, 'INVALID_VERSION_ID', `${field} is not a FHIR version id (1-64 of A-Z a-z 0-9 - .).`);
  }
  return value;
}

/** Free text sent as a search parameter: at most `max` characters, no control characters. */
export function searchTextArg(value: string, field: string, max = MAX_SEARCH_TEXT): string {
  if (value.length > max) throw badUpstreamInput(field, 'TOO_LONG', `${field} is longer than ${max} characters.`);
  if (UNSAFE.test(value)) throw badUpstreamInput(field, 'CONTROL_CHARACTER', `${field} contains a control character.`);
  return value;
}
