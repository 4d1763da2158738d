import { isTenantId } from '../auth/tenant-id.js';
import type { UnauthenticatedReason } from '../errors/errors.js';
import type { Logger } from '../server/logger.js';
import type { AuditEvent } from './audit-event.js';
import type { AuditService } from './audit-service.js';

// An `auth` audit event for every bearer token that failed verification. The token did not verify, so nothing in it
// is trusted: its payload is decoded only to find the address of the log (the claimed tenant, if it is a well-formed
// id of a tenant this store knows) and, if it looks like one, the claimed subject, marked unverified. Anything else,
// including every unknown tenant (which would otherwise let anyone create logs at will), goes to the `_unverified`
// log, whose name no real tenant can have. The token itself is never written.
//
// Cheap and harmless to the 401: at most MAX_IN_FLIGHT writes at a time (beyond that a failure is counted in the
// application log instead), the request waits at most WAIT_MS for its write, and no audit error reaches the caller.
// A request with no token at all is not a failed login and is not recorded.

export const UNVERIFIED_LOG = '_unverified';
const MAX_HEADER = 8192;
const MAX_IN_FLIGHT = 32;
const WAIT_MS = 500;
const TENANTS_TTL_MS = 30_000;
const MISS_REFRESH_MS = 1_000;
/** Subjects as IdPs issue them (opaque ids, `auth0|abc`, UUIDs, emails); a JWS never fits in 128 of these. */
const PLAUSIBLE_SUB = /^[A-Za-z0-9._@:|+-]{1,128}$/;

export interface FailedLoginDeps {
  readonly audit: AuditService;
  /** Tenants the store knows (GovernanceStore.tenants); cached for 30 s, re-read on a miss at most once a second. */
  readonly tenants: () => Promise<string[]>;
  readonly logger: Logger;
  readonly now: () => number;
}

export interface FailedLoginAudit {
  record(authorization: string | undefined | null, reason: UnauthenticatedReason): Promise<void>;
}

/** The unverified `tenant` and `sub` claims of a compact JWS in an Authorization header, each null unless well-formed. */
export function unverifiedClaims(authorization: string | undefined | null): { tenant: string | null; sub: string | null } {
  const none = { tenant: null, sub: null };
  if (!authorization || authorization.length > MAX_HEADER) return none;
  const m = /^\s*Bearer +[A-Za-z0-9_-]+\.([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]*\s*$/i.exec(authorization);
  if (!m) return none;
  try {
    const claims = JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8')) as unknown;
    if (!claims || typeof claims !== 'object') return none;
    const { tenant, sub } = claims as Record<string, unknown>;
    return { tenant: isTenantId(tenant) ? tenant : null, sub: typeof sub === 'string' && PLAUSIBLE_SUB.test(sub) ? sub : null };
  } catch {
    return none;
  }
}

export function createFailedLoginAudit(deps: FailedLoginDeps): FailedLoginAudit {
  let known: { at: number; tenants: Promise<Set<string>> } | null = null;
  let inFlight = 0;
  let dropped = 0;

  const refresh = () => (known = { at: deps.now(), tenants: deps.tenants().then((t) => new Set(t), () => new Set<string>()) }).tenants;
  /** Cached; a miss re-reads at most once a second (a new tenant is found quickly, a flood of unknown ones is not). */
  const isKnown = async (tenant: string): Promise<boolean> => {
    const age = known ? deps.now() - known.at : Infinity;
    if (age > TENANTS_TTL_MS) return (await refresh()).has(tenant);
    if ((await known!.tenants).has(tenant)) return true;
    return age > MISS_REFRESH_MS && (await refresh()).has(tenant);
  };

  async function write(authorization: string | undefined | null, reason: UnauthenticatedReason): Promise<void> {
    const claims = unverifiedClaims(authorization);
    const log = claims.tenant && (await isKnown(claims.tenant)) ? claims.tenant : UNVERIFIED_LOG;
    const event: AuditEvent = {
      category: 'auth',
      at: new Date(deps.now()).toISOString(),
      tenant: log,
      action: 'auth.failed',
      outcome: 'failure',
      actor: claims.sub ? { sub: claims.sub, kind: 'unverified' } : null,
      reason,
    };
    await deps.audit.write(log, [event]);
  }

  return {
    async record(authorization, reason) {
      if (reason === 'MISSING_TOKEN') return;
      if (inFlight >= MAX_IN_FLIGHT) {
        if (dropped++ % 100 === 0) deps.logger.warn({ dropped }, 'failed-login audit saturated: events not written');
        return;
      }
      inFlight++;
      const done = write(authorization, reason)
        .catch(() => deps.logger.warn({ reason }, 'failed-login audit write failed'))
        .finally(() => void inFlight--);
      await Promise.race([done, new Promise((resolve) => setTimeout(resolve, WAIT_MS).unref())]);
    },
  };
}
