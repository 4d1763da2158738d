import { commandUsage, EXIT_FAILURE, EXIT_OK } from './cli-command.js';
import { defineAuditCommand } from './audit-cli-context.js';

// `clearance audit verify --tenant T`: walks the tenant's whole log (body hashes, chain links, signed checkpoints)
// and names the first broken, altered, missing or reordered record. Exit 0 intact, 1 broken, 2 usage or no Redis.

const USAGE = commandUsage({
  synopsis: 'audit verify --tenant TENANT [--from-checkpoint]',
  about: `Verifies a tenant's audit log in the Redis at REDIS_URL (and the PostgreSQL archive at AUDIT_ARCHIVE_URL, as one
log) with the checkpoint key AUDIT_HMAC_KEY, reading it in pages: memory stays flat whatever the log's length.
Exits 0 when intact, 1 naming the first broken, altered, missing or reordered record, 2 without REDIS_URL.`,
  options: [
    ['--tenant TENANT', 'tenant id (or _unverified: failed logins of no known tenant)'],
    ['--from-checkpoint', `resume after the signed checkpoint the last successful verify reached (a full verify when
                      there is none); run a full verify now and then, since a resume does not re-read older records`],
  ],
});

export const auditVerifyCommand = defineAuditCommand({
  name: 'verify',
  summary: 'verify a tenant\'s audit hash chain and signed checkpoints',
  usage: USAGE,
  options: { 'from-checkpoint': { type: 'boolean' } },
  prepare: (v) => ({ fromCheckpoint: v['from-checkpoint'] ?? false }),
  async run({ audit }, { tenant, fromCheckpoint }, io) {
    const r = await audit.verify(tenant, { fromCheckpoint });
    if (r.ok) {
      const from = r.resumedAfter === undefined ? r.firstSeq : r.resumedAfter + 1;
      const range =
        r.records === 0
          ? 'empty'
          : `records ${from}..${r.headSeq}${r.resumedAfter === undefined ? '' : `, resumed after the signed checkpoint at ` +
            `${r.resumedAfter}`}`;
      io.stdout(`audit log of ${tenant} verifies: ${r.records} records (${range}), ${r.checkpointsVerified} signed checkpoints\n`);
      return EXIT_OK;
    }
    io.stderr(`audit log of ${tenant} is BROKEN at record ${r.seq} (${r.problem}): ${r.message}\n`);
    return EXIT_FAILURE;
  },
});
