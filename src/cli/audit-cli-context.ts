import { randomUUID } from 'node:crypto';
import { defaultPolicy } from '../../rules/policy-document.js';
import { AuditService } from '../services/audit/audit-service.js';
import { readAuditKey } from '../audit/embedded-audit-key.js';
import { UNVERIFIED_LOG } from '../services/audit/failed-login.js';
import { isTenantId } from '../config/tenant-id.js';
import { parseConfig } from '../config/config.js';
import { DEFAULT_APPROVAL_RULES } from '../governance/approval-rules.js';
import { functionsFromPolicy } from '../governance/functions.js';
import { createStores } from '../stores/create-store.js';
import { PostgresAuditArchive } from '../stores/postgres-audit-archive.js';
import type { ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors/usage-error.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliCommand, type CliIo } from './cli-command.js';
import { parseCommandArgs } from './parse-command-args.js';
import type { GovernanceDeps } from '../services/governance/deps.js';
import { KeyedLock } from '../services/governance/keyed-lock.js';

// What every `clearance audit <subcommand>` works on: the same Redis store and checkpoint key as the gateway.
// The embedded default keeps its store in the gateway's memory, out of any other process's reach: the CLI says so
// and exits 2 (the GraphQL `auditVerify` query covers embedded mode).

export interface AuditCliContext {
  readonly audit: AuditService;
  /** AUDIT_ARCHIVE_OWNER_URL: retention of archived months (null: not set). */
  readonly archiveOwnerUrl: string | null;
  readonly governance: GovernanceDeps;
  readonly functionOfRole: (role: string) => string | undefined;
  close(): Promise<void>;
}

const NEEDS_REDIS =
  'REDIS_URL is not set. The embedded default keeps the audit log in the running gateway\'s memory, which no other ' +
  'process can read: set REDIS_URL to the gateway\'s Redis, or use the GraphQL auditVerify query against the gateway.';

function requireTenant(value: string | undefined): string {
  if (value === undefined) throw new UsageError('--tenant is required');
  // `_unverified` holds failed logins whose token named no known tenant (src/services/audit/failed-login.ts).
  if (!isTenantId(value) && value !== UNVERIFIED_LOG)
    throw new UsageError(`--tenant must match ^[a-z0-9][a-z0-9-]{0,62}$ or be ${UNVERIFIED_LOG}`);
  return value;
}

/** Opens the store; on a configuration that cannot work, prints why and returns the exit code instead. */
async function openAuditContext(io: CliIo, command: string): Promise<AuditCliContext | number> {
  const config = parseConfig(io.env, []);
  if (!config.redisUrl) {
    io.stderr(`clearance audit ${command}: ${NEEDS_REDIS}\n`);
    return EXIT_USAGE;
  }
  const hmacKey = config.audit.hmacKey ?? (await readAuditKey(config.stateDir));
  if (!hmacKey) {
    io.stderr(
      `clearance audit ${command}: AUDIT_HMAC_KEY is not set and ${config.stateDir} holds no embedded audit key: checkpoints can only be ` +
      `signed and checked with the gateway's key.\n`,
    );
    return EXIT_USAGE;
  }
  let stores: Awaited<ReturnType<typeof createStores>>;
  try {
    stores = await createStores(config.redisUrl);
  } catch {
    // Never print the URL: it may hold a password.
    io.stderr(`clearance audit ${command}: cannot connect to the Redis at REDIS_URL.\n`);
    return EXIT_FAILURE;
  }
  const policy = defaultPolicy();
  const now = () => Date.now();
  // The same one log the gateway reads: the PostgreSQL archive (AUDIT_ARCHIVE_URL) below Redis's hot window.
  const archive = config.audit.archiveUrl ? new PostgresAuditArchive(config.audit.archiveUrl) : undefined;
  return {
    audit: new AuditService({ stores, hmacKey, now, archive }),
    archiveOwnerUrl: config.audit.archiveOwnerUrl,
    governance: {
      store: stores.governance,
      rules: DEFAULT_APPROVAL_RULES,
      functionsOf: functionsFromPolicy(policy),
      now,
      newId: randomUUID,
      locks: new KeyedLock(),
    },
    functionOfRole: (role) => (Object.hasOwn(policy.roles, role) ? policy.roles[role]!.function : undefined),
    close: async () => {
      await archive?.close();
      await stores.close();
    },
  };
}

/** Runs `body` with an open context and always closes it. */
async function withAuditContext(io: CliIo, command: string, body: (ctx: AuditCliContext) => Promise<number>): Promise<number> {
  const ctx = await openAuditContext(io, command);
  if (typeof ctx === 'number') return ctx;
  try {
    return await body(ctx);
  } finally {
    await ctx.close();
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;
const BASE_OPTIONS = { tenant: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;
/** The help row of --tenant, which every audit subcommand takes (commandUsage adds -h, --help). */
export const TENANT_OPTION = ['--tenant TENANT', 'tenant id'] as const;
type Values<O extends Options> = ReturnType<typeof parseCommandArgs<O & typeof BASE_OPTIONS>>;

export interface AuditCommandSpec<O extends Options, P> {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  /** Options besides --tenant and --help, which every audit subcommand has. */
  readonly options: O;
  /** Checks the arguments before the store is opened, so a usage error never needs Redis. */
  readonly prepare: (values: Values<O>) => P;
  readonly run: (ctx: AuditCliContext, input: P & { readonly tenant: string }, io: CliIo) => Promise<number>;
}

/** One `clearance audit <name>`: help, --tenant, argument checks, then the body with the store open and closed after. */
export function defineAuditCommand<const O extends Options, P extends object>(spec: AuditCommandSpec<O, P>): CliCommand {
  return {
    name: spec.name,
    summary: spec.summary,
    usage: spec.usage,
    async run(args, io) {
      const values = parseCommandArgs(args, { ...BASE_OPTIONS, ...spec.options }) as Values<O>;
      const base = values as { help?: boolean; tenant?: string };
      if (base.help) {
        io.stdout(`${spec.usage}\n`);
        return EXIT_OK;
      }
      const tenant = requireTenant(base.tenant);
      const input = { ...spec.prepare(values), tenant };
      return withAuditContext(io, spec.name, (ctx) => spec.run(ctx, input, io));
    },
  };
}
