import { GraphQLError } from 'graphql';
import type { ErrorCode } from './error-codes.js';

// Every error a client sees is one of these: a GraphQLError whose `extensions.code` comes from the catalogue in
// error-codes.ts. Anything else is masked at the edge (src/server/format-error.ts) with a correlation id.
// The rest of the module: rate-limited-error.ts (429 with Retry-After), forbidden.ts (a policy Denial as FORBIDDEN),
// governance-error.ts (a refused governed action), document-errors.ts (trusted documents, introspection), and the
// errors no client sees as such: parse-error.ts, key-source-error.ts, effect-refused-error.ts, usage-error.ts.

export class ClearanceError<E extends Record<string, unknown> = Record<string, unknown>> extends GraphQLError {
  declare readonly extensions: { code: ErrorCode; http?: { status: number } } & E;

  constructor(code: ErrorCode, message: string, extensions: E, httpStatus?: number) {
    super(message, { extensions: { code, ...extensions, ...(httpStatus ? { http: { status: httpStatus } } : {}) } });
  }
}

export type UnauthenticatedReason =
  | 'MISSING_TOKEN'
  | 'MALFORMED_TOKEN'
  | 'UNSUPPORTED_ALGORITHM'
  | 'BAD_SIGNATURE'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'WRONG_ISSUER'
  | 'WRONG_AUDIENCE'
  | 'MISSING_CLAIM'
  | 'INVALID_CLAIM'
  | 'UNKNOWN_KEY'
  /** The applied access.mfaPolicy needs a second factor (RFC 9470: insufficient_user_authentication). */
  | 'MFA_REQUIRED'
  /** The sign-in is older than access.mfaPolicy's maxSessionHours (RFC 9470: max_age). */
  | 'SESSION_TOO_OLD'
  | 'TOKEN_LIFETIME_TOO_LONG'
  | 'TOKEN_TOO_OLD';

/** 401: the bearer token is absent or did not verify. Never echoes the token. */
export class UnauthenticatedError extends ClearanceError<{ reason: UnauthenticatedReason }> {
  constructor(reason: UnauthenticatedReason, message: string) {
    super('UNAUTHENTICATED', message, { reason }, 401);
  }
}

export class BadUserInputError extends ClearanceError<{ field: string | null }> {
  constructor(message: string, field: string | null = null) {
    super('BAD_USER_INPUT', message, { field });
  }
}

export class NotFoundError extends ClearanceError<{ resource: string }> {
  constructor(resource: string, message: string) {
    super('NOT_FOUND', message, { resource });
  }
}

export class ConflictError extends ClearanceError<{ reason: string }> {
  constructor(reason: string, message: string) {
    super('CONFLICT', message, { reason });
  }
}

/**
 * The store could not be reached or did not answer in time. Fail closed: the action did not happen, and the client
 * may retry. Never carries the store's address or credentials.
 */
export class StoreUnavailableError extends ClearanceError<{ store: string }> {
  constructor(store: string, message = 'The store is unavailable; nothing was changed. Retry later.') {
    super('STORE_UNAVAILABLE', message, { store }, 503);
  }
}

/** The audit record could not be written, so the action did not happen and no PHI was returned (fail closed). */
export class AuditUnavailableError extends ClearanceError<{ retryable: true }> {
  constructor() {
    const message = 'The audit log could not be written, so nothing was returned or changed. Retry later.';
    super('AUDIT_UNAVAILABLE', message, { retryable: true }, 503);
  }
}

/** A connector's upstream failed. Names the connector and the kind of failure, never the upstream body. */
export class UpstreamUnavailableError extends ClearanceError<{ connector: string; kind: string }> {
  constructor(connector: string, kind: string, message: string) {
    super('UPSTREAM_UNAVAILABLE', message, { connector, kind });
  }
}

export interface ForbiddenExtensions {
  readonly [key: string]: unknown;
  readonly permission: string;
  readonly dataClass: string;
  readonly failedScope: string;
  readonly ownerRole: string;
  readonly ownerFunction: string;
  readonly rolesWithPermission: readonly string[];
  readonly grant: string | null;
  readonly howToGet: string;
  /** How an access request for it would be approved (rules/denial.ts ApprovalPath); null when none can help. */
  readonly approvalPath: object | null;
  /** The ready input of `requestAccess` (rules/denial.ts RequestAccessInput); null when none can help. */
  readonly requestAccess: object | null;
  readonly policyVersion: string;
}

/** A denial from the policy: says what was missing, which scope failed, who owns it and how to get it. */
export class ForbiddenError extends ClearanceError<ForbiddenExtensions> {
  constructor(message: string, extensions: ForbiddenExtensions) {
    super('FORBIDDEN', message, extensions);
  }
}
