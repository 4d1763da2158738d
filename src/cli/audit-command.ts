import { auditArchiveMigrateCommand } from './audit-archive-migrate-command.js';
import { auditCheckpointCommand } from './audit-checkpoint-command.js';
import { auditExportCommand } from './audit-export-command.js';
import { auditTrimCommand } from './audit-trim-command.js';
import { auditVerifyCommand } from './audit-verify-command.js';
import { UsageError } from '../errors/usage-error.js';
import { EXIT_OK, EXIT_USAGE, type CliCommand } from './cli-command.js';

// `clearance audit <verify|export|trim|checkpoint>`: each subcommand is its own CliCommand in its own file. They
// work on the gateway's Redis store (REDIS_URL) with its checkpoint key (AUDIT_HMAC_KEY).

const SUBCOMMANDS: readonly CliCommand[] = [
  auditVerifyCommand,
  auditExportCommand,
  auditTrimCommand,
  auditCheckpointCommand,
  auditArchiveMigrateCommand,
];

const width = Math.max(...SUBCOMMANDS.map((c) => c.name.length));
const USAGE = [
  'Usage: clearance audit <subcommand> --tenant TENANT [options]',
  '',
  'Subcommands:',
  ...SUBCOMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
  '',
  'Needs REDIS_URL (the gateway\'s store) and AUDIT_HMAC_KEY (or the embedded key in CLEARANCE_STATE_DIR); with',
  'AUDIT_ARCHIVE_URL the PostgreSQL archive is read as part of the same log.',
  'Run "clearance audit <subcommand> --help" for its options.',
].join('\n');

export const auditCommand: CliCommand = {
  name: 'audit',
  summary: 'verify, export, trim or checkpoint a tenant\'s audit log',
  usage: USAGE,
  async run(args, io) {
    const [name, ...rest] = args;
    if (name === '--help' || name === '-h' || name === 'help') {
      io.stdout(`${USAGE}\n`);
      return EXIT_OK;
    }
    const sub = SUBCOMMANDS.find((c) => c.name === name);
    if (!sub) throw new UsageError(name === undefined ? 'a subcommand is required' : `unknown subcommand "${name}"`);
    try {
      return await sub.run(rest, io);
    } catch (error) {
      // Bad arguments of a subcommand: show that subcommand's usage, not the overview.
      if (!(error instanceof UsageError)) throw error;
      io.stderr(`clearance audit ${sub.name}: ${error.message}\n\n${sub.usage}\n`);
      return EXIT_USAGE;
    }
  },
};
