import { EXIT_OK, type CliCommand } from './cli-command.js';
import { requireTenant, withAuditContext } from './audit-cli-context.js';
import { parseCommandArgs } from './parse-command-args.js';

// `clearance audit checkpoint --tenant T`: signs the tenant's head now (the gateway also does it every minute for
// every tenant whose head moved), e.g. before handing the log to an auditor.

const USAGE = `Usage: clearance audit checkpoint --tenant TENANT

Signs the current head of a tenant's audit log with AUDIT_HMAC_KEY (Redis at REDIS_URL).

Options:
  --tenant TENANT    tenant id
  -h, --help         show this help`;

const OPTIONS = { tenant: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;

export const auditCheckpointCommand: CliCommand = {
  name: 'checkpoint',
  summary: 'sign a tenant\'s audit head now',
  usage: USAGE,
  async run(args, io) {
    const v = parseCommandArgs(args, OPTIONS);
    if (v.help) {
      io.stdout(`${USAGE}\n`);
      return EXIT_OK;
    }
    const tenant = requireTenant(v.tenant);
    return withAuditContext(io, 'checkpoint', async ({ audit }) => {
      const c = await audit.checkpoint(tenant);
      io.stdout(c ? `signed checkpoint of ${tenant} at record ${c.seq} (${c.at})\n` : `audit log of ${tenant} is empty: nothing to sign\n`);
      return EXIT_OK;
    });
  },
};
