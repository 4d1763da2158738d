import { z } from 'zod';
import type { SupportedAlgorithm } from './algorithms.js';
import { ParseError } from '../errors/parse-error.js';
import { deepFreeze } from './deep-freeze.js';
import { CONNECTOR_ENV, connectorConfig, type ConnectorConfig } from './connector-config.js';
import { envField } from './env-field.js';
import { FRONTEND_ENV, frontendChecks, frontendConfig, type FrontendConfig } from './frontend-config.js';
import { OIDC_ENV, oidcChecks, oidcConfig, type OidcConfig } from './oidc-config.js';
import { SECRETS_ENV, secretsChecks, secretsConfig, type SecretsConfig } from './secrets-config.js';
import { OBSERVABILITY_ENV, observabilityConfig, type ObservabilityConfig } from './observability-config.js';
import { HARDENING_ENV, hardeningChecks, hardeningConfig, type HardeningConfig } from './hardening-config.js';
import { algorithmList, integer, oneOf, tenantUrlMap, text, url } from './env-parsers.js';

// The one place environment variables are interpreted. Callers pass env and argv in (only src/main.ts and src/cli
// read process.env), get a deeply frozen GatewayConfig, or one ParseError listing every problem at once.

export type GatewayMode = 'embedded' | 'production';

/** How operations execute (src/server/compiled-execution.ts): compiled by graphql-jit, or interpreted by graphql-js. */
const EXECUTION_ENGINES = ['jit', 'graphql-js'] as const;
export type ExecutionEngine = (typeof EXECUTION_ENGINES)[number];

export interface GatewayConfig extends HardeningConfig, ConnectorConfig, FrontendConfig, SecretsConfig, OidcConfig, ObservabilityConfig {
  readonly mode: GatewayMode;
  readonly port: number;
  readonly host: string;
  readonly stateDir: string;
  readonly auth: {
    readonly issuer: string;
    readonly audience: string;
    readonly algorithms: readonly SupportedAlgorithm[];
    readonly jwksUrl: string | null;
    readonly jwksFile: string | null;
    readonly clockToleranceSec: number;
    /** Tokens living longer than this (exp - iat) are refused: UNAUTHENTICATED, reason TOKEN_LIFETIME_TOO_LONG. */
    readonly maxTokenLifetimeSec: number;
    /** Tokens issued longer ago than this (now - iat) are refused: UNAUTHENTICATED, reason TOKEN_TOO_OLD. */
    readonly maxTokenAgeSec: number;
  };
  readonly redisUrl: string | null;
  /** null: the embedded FHIR server (embedded mode only). */
  readonly fhir: { readonly baseUrls: Readonly<Record<string, string>> | null; readonly timeoutMs: number };
  readonly limits: { readonly defaultPageSize: number; readonly maxPageSize: number; readonly maxOpenProposalsPerRequester: number };
  /** Aggregates over fewer than `suppressionThreshold` patients are suppressed (small-cell suppression). */
  readonly statistics: { readonly suppressionThreshold: number };
  readonly logLevel: string;
  /** EXECUTION_ENGINE, default jit: the same answers either way, jit is faster (README, Benchmark). */
  readonly executionEngine: ExecutionEngine;
  /** Key of the audit log's signed checkpoints; null in embedded mode (a key is kept in the state dir). */
  readonly audit: {
    readonly hmacKey: string | null;
    /** PostgreSQL archive of sealed segments, as the archive role (INSERT and SELECT only); null: Redis keeps it all. */
    readonly archiveUrl: string | null;
    /** The archive's owner (CLI only: `audit archive-migrate` and retention of archived months). */
    readonly archiveOwnerUrl: string | null;
    /** The hot window Redis keeps when an archive is set: at most this many records, none older than this. */
    readonly hot: { readonly maxRecords: number; readonly maxAgeMs: number };
  };
}

const DEV_ISSUER = 'clearance-dev';
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const EnvSchema = z.object({
  PORT: envField(integer(0, 65_535)),
  HOST: envField(text),
  CLEARANCE_STATE_DIR: envField(text),
  CLEARANCE_DEV_KEYS: envField(text),
  JWT_ISSUER: envField(text),
  JWT_AUDIENCE: envField(text),
  JWT_ALGORITHMS: envField(algorithmList),
  // RFC 7519 section 4.1.4 allows "some small leeway"; minutes at most.
  JWT_CLOCK_TOLERANCE_SEC: envField(integer(0, 300)),
  // A bound on what a stolen token is worth, whatever lifetime its issuer chose: 1 minute to 30 days.
  JWT_MAX_TOKEN_LIFETIME_SEC: envField(integer(60, 30 * 24 * 3600)),
  JWT_MAX_TOKEN_AGE_SEC: envField(integer(60, 30 * 24 * 3600)),
  JWKS_URL: envField(url(['https:', 'http:'])),
  JWKS_FILE: envField(text),
  REDIS_URL: envField(url(['redis:', 'rediss:'])),
  FHIR_BASE_URLS: envField(tenantUrlMap),
  FHIR_TIMEOUT_MS: envField(integer(1, 120_000)),
  DEFAULT_PAGE_SIZE: envField(integer(1, 10_000)),
  MAX_PAGE_SIZE: envField(integer(1, 10_000)),
  // Open governed changes one requester may leave (src/governance/open-proposals.ts): bounds the queue and its memory.
  MAX_OPEN_PROPOSALS_PER_REQUESTER: envField(integer(1, 10_000)),
  STATS_SUPPRESSION_THRESHOLD: envField(integer(1, 1_000)),
  LOG_LEVEL: envField(oneOf(LOG_LEVELS)),
  EXECUTION_ENGINE: envField(oneOf(EXECUTION_ENGINES)),
  AUDIT_HMAC_KEY: envField(text),
  AUDIT_ARCHIVE_URL: envField(url(['postgres:', 'postgresql:'])),
  AUDIT_ARCHIVE_OWNER_URL: envField(url(['postgres:', 'postgresql:'])),
  AUDIT_HOT_RECORDS: envField(integer(1, 1_000_000_000)),
  AUDIT_HOT_HOURS: envField(integer(1, 8_760)),
  ...HARDENING_ENV,
  ...CONNECTOR_ENV,
  ...FRONTEND_ENV,
  ...SECRETS_ENV,
  ...OIDC_ENV,
  ...OBSERVABILITY_ENV,
});

type Env = z.infer<typeof EnvSchema>;

/** Is `name` set to something other than blanks? Used for checks that must run even when the value is invalid. */
function isSet(env: Record<string, string | undefined>, name: string): boolean {
  return (env[name]?.trim() ?? '') !== '';
}

function isLoopback(href: string): boolean {
  const host = new URL(href).hostname;
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
}

/** Rules across variables and modes; they look at raw presence so they are reported even beside parse errors. */
function crossChecks(mode: GatewayMode, raw: Record<string, string | undefined>, env: Partial<Env>): string[] {
  const problems: string[] = [];
  // The archive holds what left Redis: without Redis there is no hot window to archive from.
  if (isSet(raw, 'AUDIT_ARCHIVE_URL') && !isSet(raw, 'REDIS_URL'))
    problems.push('AUDIT_ARCHIVE_URL: needs REDIS_URL (the archive takes sealed segments from Redis)');
  if (isSet(raw, 'JWKS_URL') && isSet(raw, 'JWKS_FILE')) problems.push('JWKS_URL and JWKS_FILE: set only one');
  // Two listeners on one port: the second would fail to bind after the first had started.
  if (env.METRICS_PORT !== undefined && env.METRICS_PORT !== 0 && env.METRICS_PORT === (env.PORT ?? 4000))
    problems.push('METRICS_PORT: must differ from PORT (the metrics listener is a second server)');
  const { DEFAULT_PAGE_SIZE: pageSize, MAX_PAGE_SIZE: maxPageSize } = env;
  if (pageSize !== undefined && maxPageSize !== undefined && pageSize > maxPageSize) {
    problems.push('DEFAULT_PAGE_SIZE: must not exceed MAX_PAGE_SIZE');
  }
  if (mode !== 'production') return problems;
  // OIDC_ISSUER alone is enough: its discovery document names the signing keys.
  if (!isSet(raw, 'JWKS_URL') && !isSet(raw, 'JWKS_FILE') && !isSet(raw, 'OIDC_ISSUER')) {
    problems.push('JWKS_URL or JWKS_FILE: required in production, or OIDC_ISSUER (dev keys are embedded mode only)');
  }
  // Signing keys fetched over plain HTTP can be swapped by anyone on the network path; loopback is allowed for
  // a sidecar IdP or local tests.
  if (env.JWKS_URL !== undefined && env.JWKS_URL.startsWith('http:') && !isLoopback(env.JWKS_URL)) {
    problems.push('JWKS_URL: must use https in production');
  }
  if (!isSet(raw, 'REDIS_URL')) problems.push('REDIS_URL: required in production (approvals, rate limits, sessions)');
  if (!isSet(raw, 'FHIR_BASE_URLS')) {
    problems.push('FHIR_BASE_URLS: required in production (the embedded FHIR server is for embedded mode only)');
  }
  // PHI and the connector's credentials would cross the network in clear; loopback is allowed for a sidecar.
  for (const [tenant, href] of Object.entries(env.FHIR_BASE_URLS ?? {})) {
    if (href.startsWith('http:') && !isLoopback(href))
      problems.push(`FHIR_BASE_URLS: the URL for tenant "${tenant}" must use https in production`);
  }
  if (!isSet(raw, 'JWT_ISSUER') && !isSet(raw, 'OIDC_ISSUER')) problems.push('JWT_ISSUER: required in production (or OIDC_ISSUER)');
  if (isSet(raw, 'CLEARANCE_DEV_KEYS')) problems.push('CLEARANCE_DEV_KEYS: must not be set in production');
  if (!isSet(raw, 'AUDIT_HMAC_KEY')) problems.push('AUDIT_HMAC_KEY: required in production (signs audit checkpoints)');
  else if ((raw.AUDIT_HMAC_KEY ?? '').trim().length < 32) problems.push('AUDIT_HMAC_KEY: must be at least 32 characters');
  return problems;
}

/** Production when NODE_ENV=production or the process was started with --production; embedded otherwise. */
export function detectMode(env: Record<string, string | undefined>, argv: readonly string[]): GatewayMode {
  return env.NODE_ENV?.trim() === 'production' || argv.includes('--production') ? 'production' : 'embedded';
}

export function parseConfig(env: Record<string, string | undefined>, argv: readonly string[]): GatewayConfig {
  const mode = detectMode(env, argv);

  const parsed = EnvSchema.safeParse(env);
  const e: Partial<Env> = parsed.success ? parsed.data : partialParse(env);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${String(i.path[0] ?? 'environment')}: ${i.message}`)),
    ...crossChecks(mode, env, e),
    ...hardeningChecks(mode === 'production', env, e),
    ...frontendChecks(mode === 'production', env, e),
    ...secretsChecks(mode === 'production', env),
    ...oidcChecks(mode === 'production', env, e),
  ];
  if (problems.length > 0) throw new ParseError('configuration', problems);

  return deepFreeze({
    mode,
    port: e.PORT ?? 4000,
    host: e.HOST ?? '127.0.0.1',
    stateDir: e.CLEARANCE_STATE_DIR ?? '.clearance',
    auth: {
      issuer: e.JWT_ISSUER ?? e.OIDC_ISSUER ?? DEV_ISSUER,
      audience: e.JWT_AUDIENCE ?? 'clearance',
      algorithms: e.JWT_ALGORITHMS ?? ['ES256', 'RS256'],
      jwksUrl: e.JWKS_URL ?? null,
      jwksFile: e.JWKS_FILE ?? null,
      clockToleranceSec: e.JWT_CLOCK_TOLERANCE_SEC ?? 30,
      maxTokenLifetimeSec: e.JWT_MAX_TOKEN_LIFETIME_SEC ?? 24 * 3600,
      maxTokenAgeSec: e.JWT_MAX_TOKEN_AGE_SEC ?? 24 * 3600,
    },
    redisUrl: e.REDIS_URL ?? null,
    fhir: { baseUrls: e.FHIR_BASE_URLS ?? null, timeoutMs: e.FHIR_TIMEOUT_MS ?? 5000 },
    limits: {
      defaultPageSize: e.DEFAULT_PAGE_SIZE ?? 20,
      maxPageSize: e.MAX_PAGE_SIZE ?? 100,
      maxOpenProposalsPerRequester: e.MAX_OPEN_PROPOSALS_PER_REQUESTER ?? 100,
    },
    statistics: { suppressionThreshold: e.STATS_SUPPRESSION_THRESHOLD ?? 5 },
    logLevel: e.LOG_LEVEL ?? 'info',
    executionEngine: e.EXECUTION_ENGINE ?? 'jit',
    audit: {
      hmacKey: e.AUDIT_HMAC_KEY ?? null,
      archiveUrl: e.AUDIT_ARCHIVE_URL ?? null,
      archiveOwnerUrl: e.AUDIT_ARCHIVE_OWNER_URL ?? null,
      hot: { maxRecords: e.AUDIT_HOT_RECORDS ?? 1_000_000, maxAgeMs: (e.AUDIT_HOT_HOURS ?? 24) * 3_600_000 },
    },
    ...hardeningConfig(e, mode === 'production'),
    ...connectorConfig(e),
    ...frontendConfig(e, mode === 'production'),
    ...secretsConfig(e),
    ...oidcConfig(e),
    ...observabilityConfig(e),
  });
}

/** The variables that did parse, for cross-checks when others failed. */
function partialParse(env: Record<string, string | undefined>): Partial<Env> {
  const out: Partial<Record<keyof Env, unknown>> = {};
  for (const key of Object.keys(EnvSchema.shape) as (keyof Env)[]) {
    const one = EnvSchema.shape[key].safeParse(env[key]);
    if (one.success) out[key] = one.data;
  }
  return out as Partial<Env>;
}
