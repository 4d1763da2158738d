import { envField, fail, ok, type FieldResult } from './env-field.js';
import { integer } from './env-parsers.js';

// The gateway's defences against hostile clients, as configuration: query limits, body size, introspection,
// rate limits, readiness and shutdown timing. Kept apart from config.ts so that file stays about identity, stores
// and upstreams; config.ts merges HARDENING_ENV into its schema and these checks into its problem list.

export interface QueryLimits {
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxCost: number;
  readonly maxDirectives: number;
  readonly maxTokens: number;
  readonly maxBodyBytes: number;
}

/** Per window: a request counts against its principal and its tenant; a mutation also against the principal's mutations. */
export interface RateLimits {
  readonly windowSec: number;
  readonly perPrincipal: number;
  readonly perTenant: number;
  readonly mutationsPerPrincipal: number;
  /** Failed authentications per client IP (there is no principal to count against). */
  readonly failedAuthPerIp: number;
}

export interface HardeningConfig {
  readonly queryLimits: QueryLimits;
  /** '*': everyone may introspect (embedded default); otherwise only these roles (empty: nobody). */
  readonly introspectionRoles: '*' | readonly string[];
  readonly rateLimits: RateLimits;
  readonly readinessTimeoutMs: number;
  readonly shutdownTimeoutMs: number;
}

/** `*`, or a comma-separated list of role names (`none` or an empty list: nobody). */
function roleList(raw: string): FieldResult<'*' | string[]> {
  if (raw === '*') return ok('*');
  if (raw === 'none') return ok([]);
  const roles = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return roles.every((r) => /^[a-z][a-z0-9-]{0,62}$/.test(r))
    ? ok([...new Set(roles)])
    : fail('must be *, none, or a comma-separated list of role names');
}

export const HARDENING_ENV = {
  MAX_DEPTH: envField(integer(1, 100)),
  MAX_ALIASES: envField(integer(0, 1_000)),
  MAX_COST: envField(integer(1, 1_000_000)),
  MAX_DIRECTIVES: envField(integer(0, 1_000)),
  MAX_TOKENS: envField(integer(10, 1_000_000)),
  MAX_BODY_BYTES: envField(integer(1_024, 50_000_000)),
  INTROSPECTION_ROLES: envField(roleList),
  RATE_LIMIT_WINDOW_SEC: envField(integer(1, 3_600)),
  // 0 turns a limit off (embedded mode only: see hardeningChecks).
  RATE_LIMIT_PER_PRINCIPAL: envField(integer(0, 10_000_000)),
  RATE_LIMIT_PER_TENANT: envField(integer(0, 100_000_000)),
  RATE_LIMIT_MUTATIONS_PER_PRINCIPAL: envField(integer(0, 10_000_000)),
  RATE_LIMIT_FAILED_AUTH_PER_IP: envField(integer(0, 10_000_000)),
  READINESS_TIMEOUT_MS: envField(integer(50, 60_000)),
  SHUTDOWN_TIMEOUT_MS: envField(integer(0, 600_000)),
};

type HardeningEnv = { [K in keyof typeof HARDENING_ENV]?: ReturnType<(typeof HARDENING_ENV)[K]['parse']> };

// Defaults: limits the existing API suites pass under with room (the role-field matrix query is depth 4 with ~40
// fields; alternate paths use 10 aliases), far below what the attack suite sends (101 aliases, depth 30...).
export function hardeningConfig(e: HardeningEnv, production: boolean): HardeningConfig {
  return {
    queryLimits: {
      maxDepth: e.MAX_DEPTH ?? 10,
      maxAliases: e.MAX_ALIASES ?? 30,
      maxCost: e.MAX_COST ?? 5_000,
      maxDirectives: e.MAX_DIRECTIVES ?? 20,
      maxTokens: e.MAX_TOKENS ?? 2_000,
      maxBodyBytes: e.MAX_BODY_BYTES ?? 1_000_000,
    },
    // Production: nobody unless roles are named; embedded: everyone (a developer's tools need the schema).
    introspectionRoles: e.INTROSPECTION_ROLES ?? (production ? [] : '*'),
    rateLimits: {
      windowSec: e.RATE_LIMIT_WINDOW_SEC ?? 60,
      perPrincipal: e.RATE_LIMIT_PER_PRINCIPAL ?? 600,
      perTenant: e.RATE_LIMIT_PER_TENANT ?? 6_000,
      mutationsPerPrincipal: e.RATE_LIMIT_MUTATIONS_PER_PRINCIPAL ?? 60,
      failedAuthPerIp: e.RATE_LIMIT_FAILED_AUTH_PER_IP ?? 60,
    },
    readinessTimeoutMs: e.READINESS_TIMEOUT_MS ?? 2_000,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS ?? 10_000,
  };
}

const RATE_VARS = [
  'RATE_LIMIT_PER_PRINCIPAL',
  'RATE_LIMIT_PER_TENANT',
  'RATE_LIMIT_MUTATIONS_PER_PRINCIPAL',
  'RATE_LIMIT_FAILED_AUTH_PER_IP',
] as const;

/** Production refuses settings that switch a defence off; they look at raw presence so they show beside parse errors. */
export function hardeningChecks(production: boolean, raw: Record<string, string | undefined>, e: HardeningEnv): string[] {
  if (!production) return [];
  const problems: string[] = [];
  // Without a role list, production has no introspection at all; `*` would open the whole schema to every token.
  if (raw.INTROSPECTION_ROLES?.trim() === '*') {
    problems.push('INTROSPECTION_ROLES: introspection for everyone is not allowed in production (name the roles, e.g. security-admin)');
  }
  for (const name of RATE_VARS) if (e[name] === 0) problems.push(`${name}: must not be 0 (off) in production`);
  return problems;
}
