import { RETENTION_SETTING, retentionDaysOf, trimAuditLog } from '../audit/retention.js';
import { EXIT_FAILURE, EXIT_OK } from './cli-command.js';
import { defineAuditCommand } from './audit-cli-context.js';

// `clearance audit trim --tenant T [--force]`: applies the governed retention (`audit.retentionDays` in PRODUCTION)
// through src/audit/retention.ts. Exit 0 when everything past retention is gone; 1 when the log is broken (nothing
// trimmed) or when records past retention were kept because they are not exported yet (export, then trim again).

const USAGE = `Usage: clearance audit trim --tenant TENANT [--force]

Removes audit records older than the tenant's ${RETENTION_SETTING} (Redis at REDIS_URL). Verifies first and refuses a
broken log; removes only exported records unless --force; signs a checkpoint at the new start before removing.

Options:
  --tenant TENANT    tenant id
  --force            also remove records past retention that were never exported (reported)
  -h, --help         show this help`;

export const auditTrimCommand = defineAuditCommand({
  name: 'trim',
  summary: `remove audit records past ${RETENTION_SETTING} (exported ones only, unless --force)`,
  usage: USAGE,
  options: { force: { type: 'boolean' } },
  prepare: (v) => ({ force: v.force ?? false }),
  async run({ audit, governance }, { tenant, force }, io) {
    const retentionDays = await retentionDaysOf(governance, tenant);
    const r = await trimAuditLog(audit, { tenant, retentionDays, now: Date.now(), force });
    if (r.status === 'refused') {
      io.stderr(`refused: audit log of ${tenant} is BROKEN at record ${r.verify.seq} (${r.verify.problem}): ${r.verify.message}. Nothing was trimmed.\n`);
      return EXIT_FAILURE;
    }
    io.stdout(
      r.status === 'trimmed'
        ? `trimmed ${r.removed} records of ${tenant} (up to record ${r.uptoSeq}, older than ${r.cutoff}; retention ${retentionDays} days); signed checkpoint at record ${r.uptoSeq}\n`
        : `nothing to trim in ${tenant}: no exported record is older than ${r.cutoff} (retention ${retentionDays} days)\n`,
    );
    if (r.unexportedRemoved > 0) io.stderr(`warning: --force removed ${r.unexportedRemoved} records that were never exported\n`);
    if (!r.verifyAfter.ok) {
      io.stderr(`error: the log no longer verifies after the trim: ${r.verifyAfter.message}\n`);
      return EXIT_FAILURE;
    }
    if (r.unexportedKept > 0) {
      io.stderr(`kept ${r.unexportedKept} records older than the cutoff because they are not exported: run "clearance audit export --tenant ${tenant}" first, or trim --force\n`);
      return EXIT_FAILURE;
    }
    return EXIT_OK;
  },
});
