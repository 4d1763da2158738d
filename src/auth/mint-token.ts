import { SignJWT } from 'jose';
import type { PrincipalKind } from './principal.js';
import type { DevKeys } from './dev-keys.js';
import { isTenantId } from '../config/tenant-id.js';

// Mints dev tokens with the dev key pair, carrying exactly the claims verify-token.ts reads. Dev only: production
// tokens come from the IdP.

export interface TokenClaims {
  sub: string;
  tenant: string;
  roles: string[];
  departments?: string[];
  /** true: amr ['pwd', 'mfa'] (RFC 8176: password plus a second factor); otherwise amr ['pwd']. */
  mfa?: boolean;
  kind?: PrincipalKind;
  /** SMART v2 scopes, space-separated. */
  scope?: string;
  grants?: string[];
}

export interface MintOptions {
  issuer: string;
  audience: string;
  /** Default 8 hours: one working shift. */
  ttlSeconds?: number;
}

const DEFAULT_TOKEN_TTL_SECONDS = 8 * 60 * 60;

export async function mintToken(keys: DevKeys, claims: TokenClaims, opts: MintOptions): Promise<string> {
  const ttl = opts.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
  if (!Number.isSafeInteger(ttl) || ttl <= 0) throw new RangeError('mintToken: ttlSeconds must be a positive integer');
  if (!isTenantId(claims.tenant)) throw new TypeError('mintToken: tenant is not a valid tenant id');
  if (claims.sub === '') throw new TypeError('mintToken: sub must not be empty');

  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = {
    tenant: claims.tenant,
    roles: [...claims.roles],
    amr: claims.mfa ? ['pwd', 'mfa'] : ['pwd'],
  };
  if (claims.departments !== undefined) payload.departments = [...claims.departments];
  if (claims.kind !== undefined) payload.kind = claims.kind;
  if (claims.scope !== undefined) payload.scope = claims.scope;
  if (claims.grants !== undefined) payload.grants = [...claims.grants];

  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'ES256', kid: keys.kid, typ: 'JWT' })
    .setIssuer(opts.issuer)
    .setAudience(opts.audience)
    .setSubject(claims.sub)
    .setIssuedAt(now)
    .setExpirationTime(now + ttl)
    .sign(keys.privateKey);
}
