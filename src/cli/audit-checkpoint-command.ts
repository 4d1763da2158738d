import { commandUsage, EXIT_OK } from './cli-command.js';
import { defineAuditCommand, TENANT_OPTION } from './audit-cli-context.js';

// `clearance audit checkpoint --tenant T`: signs the tenant's head now (the gateway also does it every minute for
// every tenant whose head moved), e.g. before handing the log to an auditor.

const USAGE = commandUsage({
  synopsis: 'audit checkpoint --tenant TENANT',
  about: `Signs the current head of a tenant's audit log with AUDIT_HMAC_KEY (Redis at REDIS_URL).`,
  options: [
    TENANT_OPTION,
  ],
});

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
