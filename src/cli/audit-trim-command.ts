import { dropExpiredArchive } from '../services/audit/archive-retention.js';
import { RETENTION_SETTING, retentionDaysOf, trimAuditLog } from '../services/audit/retention.js';
import { PostgresAuditArchiveOwner } from '../stores/postgres-audit-schema.js';
import { commandUsage, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from './cli-command.js';
import type { AuditCliContext } from './audit-cli-context.js';
import { defineAuditCommand, TENANT_OPTION } from './audit-cli-context.js';

// `clearance audit trim --tenant T [--force]`: applies the governed retention (`audit.retentionDays` in PRODUCTION)
// through src/services/audit/retention.ts. Exit 0 when everything past retention is gone; 1 when the log is broken (nothing
// trimmed) or when records past retention were kept because they are not exported yet (export, then trim again).

const USAGE = commandUsage({
  synopsis: 'audit trim --tenant TENANT [--force]',
  about: `Removes audit records older than the tenant's ${RETENTION_SETTING} (Redis at REDIS_URL). Verifies first and refuses a
broken log; removes only exported records unless --force; signs a checkpoint at the new start before removing.

With AUDIT_ARCHIVE_URL the records past retention are in the PostgreSQL archive: whole months past it are dropped
as AUDIT_ARCHIVE_OWNER_URL (the archive role cannot), after a signed checkpoint at the new start.`,
  options: [
    TENANT_OPTION,
    ['--force', 'also remove records past retention that were never exported (reported)'],
  ],
});

export const auditTrimCommand = defineAuditCommand({
  name: 'trim',
  summary: `remove audit records past ${RETENTION_SETTING} (exported ones only, unless --force)`,
  usage: USAGE,
  options: { force: { type: 'boolean' } },
  prepare: (v) => ({ force: v.force ?? false }),
  async run(ctx, { tenant, force }, io) {
    const { audit, governance } = ctx;
    const retentionDays = await retentionDaysOf(governance, tenant);
    // With an archive, Redis holds only the hot window (the archiver moves it): retention is the archive's months.
    if (audit.archive) return dropArchivedMonths(ctx, { tenant, force, retentionDays }, io);
    const r = await trimAuditLog(audit, { tenant, retentionDays, now: Date.now(), force });
    if (r.status === 'refused') {
      io.stderr(
        `refused: audit log of ${tenant} is BROKEN at record ${r.verify.seq} (${r.verify.problem}): ${r.verify.message}. Nothing was ` +
        `trimmed.\n`,
      );
      return EXIT_FAILURE;
    }
    io.stdout(
      r.status === 'trimmed'
        ? `trimmed ${r.removed} records of ${tenant} (up to record ${r.uptoSeq}, older than ${r.cutoff}; retention ${retentionDays} ` +
          `days); signed checkpoint at record ${r.uptoSeq}\n`
        : `nothing to trim in ${tenant}: no exported record is older than ${r.cutoff} (retention ${retentionDays} days)\n`,
    );
    if (r.unexportedRemoved > 0) io.stderr(`warning: --force removed ${r.unexportedRemoved} records that were never exported\n`);
    if (!r.verifyAfter.ok) {
      io.stderr(`error: the log no longer verifies after the trim: ${r.verifyAfter.message}\n`);
      return EXIT_FAILURE;
    }
    if (r.unexportedKept > 0) {
      io.stderr(
        `kept ${r.unexportedKept} records older than the cutoff because they are not exported: run "clearance audit export --tenant ` +
        `${tenant}" first, or trim --force\n`,
      );
      return EXIT_FAILURE;
    }
    return EXIT_OK;
  },
});

async function dropArchivedMonths(
  ctx: AuditCliContext,
  o: { tenant: string; force: boolean; retentionDays: number },
  io: CliIo,
): Promise<number> {
  if (!ctx.archiveOwnerUrl) {
    io.stderr('clearance audit trim: AUDIT_ARCHIVE_OWNER_URL is required to drop archived months (the archive role cannot).\n');
    return EXIT_USAGE;
  }
  const owner = new PostgresAuditArchiveOwner(ctx.archiveOwnerUrl);
  try {
    const r = await dropExpiredArchive(ctx.audit, owner, {
      tenant: o.tenant,
      retentionDays: o.retentionDays,
      now: Date.now(),
      force: o.force,
    });
    if (r.status === 'refused') {
      io.stderr(
        `refused: audit log of ${o.tenant} is BROKEN at record ${r.verify.seq} (${r.verify.problem}): ${r.verify.message}. Nothing was ` +
        `dropped.\n`,
      );
      return EXIT_FAILURE;
    }
    io.stdout(
      r.status === 'dropped'
        ? `dropped ${r.months.length} archived months of ${o.tenant} (${r.months.join(', ')}; ${r.removed} records up to ${r.uptoSeq}, ` +
          `older than ${r.cutoff}; retention ${o.retentionDays} days)\n`
        : `nothing to drop in ${o.tenant}: no exported archived month ends before ${r.cutoff} (retention ${o.retentionDays} days)\n`,
    );
    if (!r.verifyAfter.ok) {
      io.stderr(`error: the log no longer verifies after the drop: ${r.verifyAfter.message}\n`);
      return EXIT_FAILURE;
    }
    if (r.unexportedMonthsKept > 0) {
      io.stderr(`kept ${r.unexportedMonthsKept} months past retention because they are not exported: export first, or trim --force\n`);
      return EXIT_FAILURE;
    }
    return EXIT_OK;
  } finally {
    await owner.close();
  }
}
