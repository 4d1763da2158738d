// The one catalogue of error codes a client can see in `extensions.code`. Stable: clients switch on them.
// A change that needs approval is not an error: the mutation answers PENDING_APPROVAL as data (a ChangeResult).
// test/errors/error-codes.test.ts pins the list, and that every code is thrown somewhere and listed in the README.
export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'UPSTREAM_UNAVAILABLE',
  'AUDIT_UNAVAILABLE',
  'STORE_UNAVAILABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
