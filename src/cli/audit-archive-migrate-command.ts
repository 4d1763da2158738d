import { parseConfig } from '../config/config.js';
import { migrateAuditArchive } from '../stores/postgres-audit-schema.js';
import { commandUsage, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliCommand } from './cli-command.js';
import { parseCommandArgs } from './parse-command-args.js';

// `clearance audit archive-migrate`: creates or updates the PostgreSQL archive's schema (tables partitioned by tenant
// and month, indexes, the partition function) as its owner (AUDIT_ARCHIVE_OWNER_URL), and the archive role named by
// AUDIT_ARCHIVE_URL with that URL's password, granted INSERT and SELECT only. Idempotent: run it on every deploy.

const USAGE = commandUsage({
  synopsis: 'audit archive-migrate',
  about: `Creates or updates the audit archive in PostgreSQL, connecting as AUDIT_ARCHIVE_OWNER_URL, and the role of
AUDIT_ARCHIVE_URL (its user and password) with INSERT and SELECT only: the gateway can append, never edit or delete.`,
  options: [
  ],
});

export const auditArchiveMigrateCommand: CliCommand = {
  name: 'archive-migrate',
  summary: 'create or update the PostgreSQL audit archive and its append-only role',
  usage: USAGE,
  async run(args, io) {
    const values = parseCommandArgs(args, { help: { type: 'boolean', short: 'h' } });
    if (values.help) {
      io.stdout(`${USAGE}\n`);
      return EXIT_OK;
    }
    const { audit } = parseConfig(io.env, []);
    if (!audit.archiveOwnerUrl || !audit.archiveUrl) {
      io.stderr('clearance audit archive-migrate: AUDIT_ARCHIVE_OWNER_URL and AUDIT_ARCHIVE_URL are both required.\n');
      return EXIT_USAGE;
    }
    const role = new URL(audit.archiveUrl);
    if (!role.username || !role.password) {
      io.stderr('clearance audit archive-migrate: AUDIT_ARCHIVE_URL must name the archive role and its password.\n');
      return EXIT_USAGE;
    }
    try {
      await migrateAuditArchive(audit.archiveOwnerUrl, decodeURIComponent(role.password), decodeURIComponent(role.username));
    } catch {
      // Never print the URLs or the server's text: they may hold passwords.
      io.stderr(
        'clearance audit archive-migrate: the migration failed (is AUDIT_ARCHIVE_OWNER_URL reachable and the owner of the database?).\n',
      );
      return EXIT_FAILURE;
    }
    io.stdout(`audit archive is up to date; role ${decodeURIComponent(role.username)} may INSERT and SELECT only\n`);
    return EXIT_OK;
  },
};
