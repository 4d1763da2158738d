import { z } from 'zod';
import { UnauthenticatedError } from '../errors/errors.js';
import type { Principal } from './principal.js';
import { isTenantId } from '../config/tenant-id.js';

// Builds a Principal from a JWT claims set whose signature, issuer, audience, lifetime and required claims jose has
// already verified (RFC 7519 section 7.2). Only the claims named here are read; everything else in the token is
// ignored (RFC 8725 section 3.10: do not trust received claims). Error messages name the claim, never its value
// (values can be PHI-adjacent or attacker text).

/**
 * `amr` values that show a factor beyond a password. RFC 8176 section 2 registers mfa, otp, hwk (hardware-bound key),
 * swk (software-bound key), sms, fpt (fingerprint) and face; `totp` is not registered but some IdPs emit it.
 */
const SECOND_FACTOR_AMR: ReadonlySet<string> = new Set(['mfa', 'otp', 'hwk', 'swk', 'sms', 'fpt', 'face', 'totp']);

const nonEmptyString = z.string().min(1);

const ClaimsSchema = z.object({
  sub: nonEmptyString,
  tenant: z.string().refine(isTenantId),
  roles: z.array(nonEmptyString),
  departments: z.array(nonEmptyString).optional(),
  kind: z.enum(['user', 'agent', 'service']).optional(),
  amr: z.array(z.string()).optional(),
  scope: z.string().optional(),
  grants: z.array(nonEmptyString).optional(),
  iat: z.number().optional(),
  auth_time: z.number().optional(),
});

export function principalFromClaims(claims: Readonly<Record<string, unknown>>): Principal {
  const parsed = ClaimsSchema.safeParse(claims);
  if (!parsed.success) {
    // path[0] is always one of the schema's own keys above, so this names a claim without echoing token content.
    const claim = String(parsed.error.issues[0]?.path[0] ?? 'claims');
    throw new UnauthenticatedError('INVALID_CLAIM', `The token's "${claim}" claim is invalid.`);
  }
  const c = parsed.data;
  return Object.freeze({
    sub: c.sub,
    tenant: c.tenant,
    kind: c.kind ?? 'user',
    roles: Object.freeze([...c.roles]),
    departments: Object.freeze([...(c.departments ?? [])]),
    mfa: (c.amr ?? []).some((method) => SECOND_FACTOR_AMR.has(method)),
    // SMART scopes are space-delimited (RFC 6749 section 3.3); repeated spaces must not yield empty scopes.
    scopes: c.scope === undefined ? null : Object.freeze(c.scope.split(' ').filter((s) => s !== '')),
    grants: Object.freeze([...(c.grants ?? [])]),
    ...(c.auth_time ?? c.iat) !== undefined ? { authTime: (c.auth_time ?? c.iat)! } : {},
  });
}
