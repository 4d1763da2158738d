import { loadOrCreateDevKeys } from '../auth/dev-keys.js';
import { mintToken, type TokenClaims } from '../auth/mint-token.js';
import type { PrincipalKind } from '../auth/principal.js';
import { isTenantId } from '../config/tenant-id.js';
import { detectMode, parseConfig } from '../config/config.js';
import { UsageError } from '../errors/usage-error.js';
import { commandUsage, EXIT_FAILURE, EXIT_OK, type CliCommand } from './cli-command.js';
import { parseCommandArgs } from './parse-command-args.js';

// `clearance token`: mints a dev token the local (embedded-mode) server accepts. It reads the same config
// (issuer, audience, state dir) and the same dev key pair as the server, so the two cannot disagree.

const USAGE = commandUsage({
  synopsis: 'token --role ROLE [--role ROLE2]... --tenant TENANT [options]',
  about: `Prints a signed dev JWT for the local embedded-mode gateway (refused in production mode).`,
  options: [
    ['--role ROLE', 'role name, repeatable (at least one), e.g. clinician, nurse, billing-manager'],
    ['--tenant TENANT', 'tenant id (^[a-z0-9][a-z0-9-]{0,62}$)'],
    ['--dept DEPT', 'department, repeatable'],
    ['--mfa', 'token shows a second factor (amr ["pwd","mfa"])'],
    ['--sub ID', 'subject; default <first role>-<tenant>@dev'],
    ['--kind KIND', 'user (default), agent or service'],
    ['--scope "S1 S2"', 'SMART v2 scopes, space-separated'],
    ['--grant GRANT', 'extra policy grant, repeatable (e.g. sensitive)'],
    ['--ttl SECONDS', 'lifetime in seconds (default 28800 = 8 h, at most 2592000 = 30 days)'],
  ],
  footer: `Example:
  curl -H "Authorization: Bearer $(npx clearance token --role clinician --tenant acme --dept cardiology)" ...`,
});

const KINDS: readonly PrincipalKind[] = ['user', 'agent', 'service'];
const MAX_TTL_SECONDS = 30 * 24 * 60 * 60;

const OPTIONS = {
  role: { type: 'string', multiple: true },
  tenant: { type: 'string' },
  dept: { type: 'string', multiple: true },
  mfa: { type: 'boolean' },
  sub: { type: 'string' },
  kind: { type: 'string' },
  scope: { type: 'string' },
  grant: { type: 'string', multiple: true },
  ttl: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  // Accepted only so that `--production` reaches parseConfig and gets a clear refusal, not "unknown option".
  production: { type: 'boolean' },
} as const;

function nonEmpty(values: readonly string[] | undefined, option: string): string[] {
  const list = values ?? [];
  if (list.some((v) => v.trim() === '')) throw new UsageError(`--${option} must not be empty`);
  return [...list];
}

function parseTtl(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const ttl = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(ttl) || ttl < 1 || ttl > MAX_TTL_SECONDS) {
    throw new UsageError(`--ttl must be a whole number of seconds from 1 to ${MAX_TTL_SECONDS}`);
  }
  return ttl;
}

/** Validates the arguments into the claims to mint (pure; exported for tests). */
function tokenClaimsFromArgs(args: readonly string[]): { claims: TokenClaims; ttlSeconds?: number } | 'help' {
  const v = parseCommandArgs(args, OPTIONS);
  if (v.help) return 'help';
  const roles = nonEmpty(v.role, 'role');
  if (roles.length === 0) throw new UsageError('at least one --role is required');
  if (v.tenant === undefined) throw new UsageError('--tenant is required');
  if (!isTenantId(v.tenant)) {
    throw new UsageError('--tenant must match ^[a-z0-9][a-z0-9-]{0,62}$ (lower-case letters, digits, -)');
  }
  if (v.kind !== undefined && !(KINDS as readonly string[]).includes(v.kind)) {
    throw new UsageError(`--kind must be one of ${KINDS.join(', ')}`);
  }
  if (v.sub !== undefined && v.sub.trim() === '') throw new UsageError('--sub must not be empty');
  const ttlSeconds = parseTtl(v.ttl);

  const claims: TokenClaims = {
    sub: v.sub ?? `${roles[0]}-${v.tenant}@dev`,
    tenant: v.tenant,
    roles,
    departments: nonEmpty(v.dept, 'dept'),
    mfa: v.mfa ?? false,
    grants: nonEmpty(v.grant, 'grant'),
  };
  if (v.kind !== undefined) claims.kind = v.kind as PrincipalKind;
  if (v.scope !== undefined) claims.scope = v.scope;
  return { claims, ttlSeconds };
}

export const tokenCommand: CliCommand = {
  name: 'token',
  summary: 'mint a dev JWT the local embedded-mode gateway accepts',
  usage: USAGE,
  async run(args, io) {
    const parsed = tokenClaimsFromArgs(args);
    if (parsed === 'help') {
      io.stdout(`${USAGE}\n`);
      return EXIT_OK;
    }
    // Checked before parsing the rest of the config, so production gets this refusal rather than a list of
    // production config problems.
    if (detectMode(io.env, args) === 'production') {
      io.stderr('clearance token: refused in production mode; production tokens come from your identity provider.\n');
      return EXIT_FAILURE;
    }
    const config = parseConfig(io.env, args);
    if (config.auth.jwksUrl !== null || config.auth.jwksFile !== null) {
      io.stderr(
        'clearance token: JWKS_URL or JWKS_FILE is set, so the gateway verifies with those keys and would reject ' +
          'a dev token. Unset it to use dev keys.\n',
      );
      return EXIT_FAILURE;
    }
    if (!config.auth.algorithms.includes('ES256')) {
      io.stderr(
        'clearance token: JWT_ALGORITHMS does not include ES256, the dev key algorithm; the gateway would reject ' +
          'a dev token.\n',
      );
      return EXIT_FAILURE;
    }
    const keys = await loadOrCreateDevKeys(config.stateDir);
    const token = await mintToken(keys, parsed.claims, {
      issuer: config.auth.issuer,
      audience: config.auth.audience,
      ttlSeconds: parsed.ttlSeconds,
    });
    io.stdout(`${token}\n`);
    return EXIT_OK;
  },
};
