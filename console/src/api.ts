import type { TypedDocumentString } from './gql/graphql';

// The one way the console talks to the gateway: POST /graphql with the user's bearer token. Errors are data: a
// FORBIDDEN error on a field is shown as a lock with the API's own reason, never as a crash.

interface GqlErrorExtensions {
  readonly code?: string;
  readonly reason?: string;
  readonly howToGet?: string;
  readonly ownerRole?: string;
  readonly ownerFunction?: string;
  readonly [key: string]: unknown;
}

export interface GqlError {
  readonly message: string;
  readonly path?: readonly (string | number)[];
  readonly extensions?: GqlErrorExtensions;
}

export interface GqlResult<R> {
  readonly data: R | null;
  readonly errors: readonly GqlError[];
  /** HTTP 401: the token is missing, expired or not accepted. */
  readonly unauthenticated: boolean;
  /** The HTTP status; 0 when the gateway could not be reached at all. */
  readonly httpStatus: number;
}

/** Fired on window when the gateway answers 401: the app signs out and remembers the page (App.tsx). */
export const SESSION_EXPIRED_EVENT = 'clearance:session-expired';

export const GRAPHQL_URL = '/graphql';

// Any 401 means the session is over (expired or revoked): the app is told once per answer and goes back to sign-in.

export async function gql<R, V>(document: TypedDocumentString<R, V>, variables: V, token: string): Promise<GqlResult<R>> {
  let response: Response;
  try {
    response = await fetch(GRAPHQL_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      // The document and its hash from the trusted-documents manifest (console/src/gql/persisted-documents.json): a
      // gateway that enforces trusted documents runs the manifest's copy; any other runs the text.
      body: JSON.stringify({ query: document.toString(), variables, ...persistedQuery(document) }),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    return {
      data: null,
      errors: [{ message: 'The gateway cannot be reached.', extensions: { code: 'NETWORK' } }],
      unauthenticated: false,
      httpStatus: 0,
    };
  }
  let body: { data?: R | null; errors?: GqlError[] } = {};
  try {
    body = (await response.json()) as typeof body;
  } catch {
    body = { errors: [{ message: `The gateway answered HTTP ${response.status}.`, extensions: { code: 'GATEWAY_ERROR' } }] };
  }
  if (response.status === 401) dispatchEvent(new CustomEvent(SESSION_EXPIRED_EVENT));
  const errors = body.errors ?? [];
  // A proxy's 502 or a crashed gateway: an answer, but not the API's. Never read as "not found" or "empty".
  const failed =
    response.status >= 500 && !body.data
      ? [{ message: `The gateway answered HTTP ${response.status}.`, extensions: { code: 'GATEWAY_ERROR' } }]
      : errors;
  return { data: body.data ?? null, errors: failed, unauthenticated: response.status === 401, httpStatus: response.status };
}

function persistedQuery(document: { readonly __meta__?: Record<string, unknown> | undefined }): {
  extensions?: { persistedQuery: { version: 1; sha256Hash: string } };
} {
  const hash: unknown = document.__meta__?.hash;
  return typeof hash === 'string' ? { extensions: { persistedQuery: { version: 1, sha256Hash: hash } } } : {};
}

/** The FORBIDDEN error on a field (by its first path segment or the whole path), if the API denied it. */
export function forbiddenAt(errors: readonly GqlError[], field: string): GqlError | undefined {
  return errors.find((e) => e.extensions?.code === 'FORBIDDEN' && (e.path?.[0] === field || e.path?.join('.') === field));
}

/** A message for people: the API's message plus how to get access when it says. */
export function describeError(error: GqlError): string {
  const how = error.extensions?.howToGet;
  return how ? `${error.message} ${how}` : error.message;
}

export type Failure =
  | { readonly kind: 'unreachable' }
  | { readonly kind: 'gateway'; readonly status: number }
  | { readonly kind: 'refused'; readonly message: string }
  | { readonly kind: 'session-expired' }
  | { readonly kind: 'forbidden'; readonly reason: string };

/** Why a whole page cannot show its data, if it cannot: each case is its own state, never "not found" or "0". */
export function failureOf(result: GqlResult<unknown>, field: string): Failure | null {
  if (result.httpStatus === 0) return { kind: 'unreachable' };
  if (result.unauthenticated) return { kind: 'session-expired' };
  if (result.errors.some((e) => e.extensions?.code === 'GATEWAY_ERROR')) return { kind: 'gateway', status: result.httpStatus };
  const denied = forbiddenAt(result.errors, field);
  if (denied) return { kind: 'forbidden', reason: describeError(denied) };
  if (result.data === null && result.errors.length > 0) {
    return result.httpStatus >= 500
      ? { kind: 'gateway', status: result.httpStatus }
      : { kind: 'refused', message: describeError(result.errors[0]!) };
  }
  return null;
}
