import { isTenantId } from '../../config/tenant-id.js';
import type { UnauthenticatedReason } from '../../errors/errors.js';
import type { Logger } from 'pino';
import type { AuditEvent } from '../../audit/audit-event.js';
import type { AuditService } from './audit-service.js';

// Failed logins, counted: one `auth.failed` event per log, source (client IP) and window, written when the window
// closes, with how many failures there were, their reasons and the subjects the tokens claimed. A flood of forged
// tokens (150 in a minute, or 150 000) is one event per source and window, never one per token: the audit log
// cannot be filled by anyone who can send requests. The token did not verify, so nothing in it is trusted: its
// payload is decoded only to find the address of the log (the claimed tenant, if it is a well-formed id of a tenant
// this store knows) and, if they look like ones, the claimed subjects, recorded as `claimedSubjects` and never as
// the actor (an attacker picks them). Anything else, including every unknown tenant (which would otherwise let
// anyone create logs at will), goes to the `_unverified` log, whose name no real tenant can have. The token itself
// is never written.
//
// Open windows live in memory (at most MAX_SOURCES; beyond, failures are counted under source "(other)"); they are
// written when a later failure or the sweep finds them closed, and all at once on shutdown (flush). No audit error
// reaches the caller: the 401 stays a 401. A request with no token at all is not a failed login and is not counted.

export const UNVERIFIED_LOG = '_unverified';
const MAX_HEADER = 8192;
const MAX_SOURCES = 1024;
const MAX_SUBJECTS = 10;
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
  /** The counting window (the failed-auth rate limit's window). */
  readonly windowMs: number;
}

interface Bucket {
  readonly log: string;
  readonly source: string;
  readonly window: number;
  count: number;
  /** The last failure's time: the event's `at`. */
  lastAt: number;
  readonly reasons: Map<string, number>;
  readonly subjects: Set<string>;
}

/** The unverified `tenant` and `sub` claims of a compact JWS in an Authorization header, each null unless well-formed. */
function unverifiedClaims(authorization: string | undefined | null): { tenant: string | null; sub: string | null } {
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

/** The open windows of failed logins, written as one event per log, source and window when each closes. */
export class FailedLoginAudit {
  private known: { at: number; tenants: Promise<Set<string>> } | null = null;
  private readonly open = new Map<string, Bucket>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: FailedLoginDeps) {}

  /** Counts one failed login from `source` (the client IP). */
  async record(authorization: string | undefined | null, reason: UnauthenticatedReason, source: string): Promise<void> {
    if (reason === 'MISSING_TOKEN') return;
    const claims = unverifiedClaims(authorization);
    const log = claims.tenant && (await this.isKnown(claims.tenant).catch(() => false)) ? claims.tenant : UNVERIFIED_LOG;
    const closed = this.take(false);
    const window = Math.floor(this.deps.now() / this.deps.windowMs);
    let key = `${log}\u0000${source}`;
    if (!this.open.has(key) && this.open.size >= MAX_SOURCES) key = `${log}\u0000(other)`;
    let bucket = this.open.get(key);
    if (!bucket) {
      bucket = { log, source: key.slice(log.length + 1), window, count: 0, lastAt: 0, reasons: new Map(), subjects: new Set() };
      this.open.set(key, bucket);
    }
    bucket.count++;
    bucket.lastAt = this.deps.now();
    bucket.reasons.set(reason, (bucket.reasons.get(reason) ?? 0) + 1);
    if (claims.sub && bucket.subjects.size < MAX_SUBJECTS) bucket.subjects.add(claims.sub);
    this.ensureTimer();
    if (closed.length > 0) await this.write(closed);
  }

  /** Writes every open window now (shutdown). */
  flush(): Promise<void> {
    return this.write(this.take(true));
  }

  /** Stops the sweep timer. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private refresh(): Promise<Set<string>> {
    const tenants = this.deps.tenants().then((t) => new Set(t), () => new Set<string>());
    return (this.known = { at: this.deps.now(), tenants }).tenants;
  }

  /** Cached; a miss re-reads at most once a second (a new tenant is found quickly, a flood of unknown ones is not). */
  private async isKnown(tenant: string): Promise<boolean> {
    const age = this.known ? this.deps.now() - this.known.at : Infinity;
    if (age > TENANTS_TTL_MS) return (await this.refresh()).has(tenant);
    if ((await this.known!.tenants).has(tenant)) return true;
    return age > MISS_REFRESH_MS && (await this.refresh()).has(tenant);
  }

  private eventOf(b: Bucket): AuditEvent {
    const reasons = [...b.reasons.entries()].sort((x, y) => y[1] - x[1]);
    return {
      category: 'auth',
      at: new Date(b.lastAt).toISOString(),
      tenant: b.log,
      action: 'auth.failed',
      outcome: 'failure',
      actor: null,
      reason: reasons[0]![0],
      count: b.count,
      source: b.source,
      windowStart: new Date(b.window * this.deps.windowMs).toISOString(),
      reasons: Object.fromEntries(reasons),
      claimedSubjects: [...b.subjects],
    };
  }

  private async write(buckets: Bucket[]): Promise<void> {
    const { audit, logger } = this.deps;
    await Promise.all(
      buckets.map((b) =>
        audit.write(b.log, [this.eventOf(b)]).catch(() => logger.warn({ failures: b.count }, 'failed-login audit write failed')),
      ),
    );
  }

  /** Takes the buckets whose window closed (all of them with `all`) out of memory. */
  private take(all: boolean): Bucket[] {
    const current = Math.floor(this.deps.now() / this.deps.windowMs);
    const closed: Bucket[] = [];
    for (const [key, b] of this.open) {
      if (all || b.window < current) {
        closed.push(b);
        this.open.delete(key);
      }
    }
    return closed;
  }

  private ensureTimer(): void {
    this.timer ??= setInterval(() => void this.write(this.take(false)), this.deps.windowMs);
    this.timer.unref();
  }
}
