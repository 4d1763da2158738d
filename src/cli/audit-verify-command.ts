import { EXIT_FAILURE, EXIT_OK } from './cli-command.js';
import { defineAuditCommand } from './audit-cli-context.js';

// `clearance audit verify --tenant T`: walks the tenant's whole log (body hashes, chain links, signed checkpoints)
// and names the first broken, altered, missing or reordered record. Exit 0 intact, 1 broken, 2 usage or no Redis.

const USAGE = `Usage: clearance audit verify --tenant TENANT

Verifies a tenant's audit log in the Redis at REDIS_URL with the checkpoint key AUDIT_HMAC_KEY.
Exits 0 when intact, 1 naming the first broken, altered, missing or reordered record, 2 without REDIS_URL.

Options:
  --tenant TENANT    tenant id (or _unverified: failed logins of no known tenant)
  -h, --help         show this help`;

export const auditVerifyCommand = defineAuditCommand({
  name: 'verify',
  summary: 'verify a tenant\'s audit hash chain and signed checkpoints',
  usage: USAGE,
  options: {},
  prepare: () => ({}),
  async run({ audit }, { tenant }, io) {
    const r = await audit.verify(tenant);
    if (r.ok) {
      const range = r.records === 0 ? 'empty' : `records ${r.firstSeq}..${r.headSeq}`;
      io.stdout(`audit log of ${tenant} verifies: ${r.records} records (${range}), ${r.checkpointsVerified} signed checkpoints\n`);
      return EXIT_OK;
    }
    io.stderr(`audit log of ${tenant} is BROKEN at record ${r.seq} (${r.problem}): ${r.message}\n`);
    return EXIT_FAILURE;
  },
});
