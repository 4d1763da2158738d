import { open, rename, rm } from 'node:fs/promises';
import { exportAuditEvents, type AuditExportFormat } from '../services/audit/audit-export.js';
import { UsageError } from '../errors/usage-error.js';
import { commandUsage, EXIT_FAILURE, EXIT_OK, type CliIo } from './cli-command.js';
import { defineAuditCommand, TENANT_OPTION } from './audit-cli-context.js';

// `clearance audit export --tenant T --format ndjson|fhir [--from ISO] [--to ISO] [--out FILE]`. Verifies first: a
// broken log is still exported (it is evidence) but with a warning, exit 1, and without marking anything exported.
// A file is written beside its target and renamed when complete, so a partial export never looks like a whole one;
// only then is the export marked (retention trims only exported records unless forced).

const USAGE = commandUsage({
  synopsis: 'audit export --tenant TENANT [--format ndjson|fhir] [--from ISO] [--to ISO] [--out FILE]',
  about: `Exports a tenant's audit events, oldest first (Redis at REDIS_URL):
  ndjson  one event per line with its record seq and index (default)
  fhir    a FHIR R4 Bundle (type collection) of AuditEvent resources (IHE BALP patterns)`,
  options: [
    TENANT_OPTION,
    ['--format FORMAT', 'ndjson or fhir'],
    ['--from ISO', 'events at or after this time'],
    ['--to ISO', 'events before this time'],
    ['--out FILE', 'write to FILE (mode 600) instead of stdout'],
  ],
});

const EXPORT_OPTIONS = {
  format: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  out: { type: 'string' },
} as const;

function instant(value: string | undefined, option: string): number | null {
  if (value === undefined) return null;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new UsageError(`--${option} must be an ISO-8601 date-time`);
  return ms;
}

/** A sink that batches small chunks (stdout) or writes to a file handle. */
async function openSink(io: CliIo, out: string | undefined) {
  if (out === undefined) {
    let buffer = '';
    return {
      write: async (chunk: string) => {
        buffer += chunk;
        if (buffer.length < 65_536) return;
        io.stdout(buffer);
        buffer = '';
      },
      finish: async () => void io.stdout(buffer),
      abort: async () => {},
    };
  }
  const partial = `${out}.partial`;
  const fh = await open(partial, 'w', 0o600);
  return {
    write: async (chunk: string) => void (await fh.write(chunk)),
    finish: async () => {
      await fh.sync();
      await fh.close();
      await rename(partial, out);
    },
    abort: async () => {
      await fh.close().catch(() => {});
      await rm(partial, { force: true });
    },
  };
}

export const auditExportCommand = defineAuditCommand({
  name: 'export',
  summary: 'export a tenant\'s audit events as NDJSON or a FHIR AuditEvent Bundle',
  usage: USAGE,
  options: EXPORT_OPTIONS,
  prepare(v) {
    const format = (v.format ?? 'ndjson') as AuditExportFormat;
    if (format !== 'ndjson' && format !== 'fhir') throw new UsageError('--format must be ndjson or fhir');
    return { format, from: instant(v.from, 'from'), to: instant(v.to, 'to'), out: v.out };
  },
  async run({ audit, functionOfRole }, { tenant, format, from, to, out }, io) {
    const verified = await audit.verify(tenant);
    if (!verified.ok)
      io.stderr(
        `warning: audit log of ${tenant} is BROKEN at record ${verified.seq} (${verified.problem}): ${verified.message}. Exporting as ` +
        `stored; nothing is marked exported.\n`,
      );
    const sink = await openSink(io, out);
    let summary;
    try {
      summary = await exportAuditEvents(audit, { tenant, format, from, to, functionOfRole, now: () => Date.now() }, sink.write);
      await sink.finish();
    } catch (e) {
      await sink.abort();
      throw e;
    }
    if (!verified.ok) return EXIT_FAILURE;
    if (summary.coveredUpTo > 0) await audit.markExported(tenant, summary.coveredUpTo);
    const marked = summary.coveredUpTo > 0 ? `; records up to ${summary.coveredUpTo} are marked exported` : '';
    io.stderr(`exported ${summary.events} events of ${summary.records} records of ${tenant} as ${format}${marked}\n`);
    return EXIT_OK;
  },
});
