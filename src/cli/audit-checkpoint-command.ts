import { EXIT_OK } from './cli-command.js';
import { defineAuditCommand } from './audit-cli-context.js';

// `clearance audit checkpoint --tenant T`: signs the tenant's head now (the gateway also does it every minute for
// every tenant whose head moved), e.g. before handing the log to an auditor.

const USAGE = `Usage: clearance audit checkpoint --tenant TENANT

Signs the current head of a tenant's audit log with AUDIT_HMAC_KEY (Redis at REDIS_URL).

Options:
  --tenant TENANT    tenant id
  -h, --help         show this help`;

export const auditCheckpointCommand = defineAuditCommand({
  name: 'checkpoint',
  summary: 'sign a tenant\'s audit head now',
  usage: USAGE,
  options: {},
  prepare: () => ({}),
  async run({ audit }, { tenant }, io) {
    const c = await audit.checkpoint(tenant);
    io.stdout(c ? `signed checkpoint of ${tenant} at record ${c.seq} (${c.at})\n` : `audit log of ${tenant} is empty: nothing to sign\n`);
    return EXIT_OK;
  },
});
