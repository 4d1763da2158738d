import type { AuditService } from './audit-service.js';
import { inWindow } from '../../audit/audit-filter.js';
import { parseRecord } from '../../audit/audit-records.js';
import { toFhirAuditEvent, type FhirAuditOptions } from '../../audit/fhir-audit-event.js';

// Export of a tenant's log, oldest first, streamed in chunks (a log can be far larger than memory):
// - ndjson: one event per line, `{"seq":..,"index":..,...event}`;
// - fhir: one Bundle of type collection holding FHIR R4 AuditEvent resources (src/audit/fhir-audit-event.ts).
// It reports `coveredUpTo`, the highest seq such that every record up to it is now exported (fully inside the
// window, or exported before). Only that may be marked exported: a `--from` export does not cover older records,
// and retention must not believe it does. The caller marks it after its output is safely written.

export type AuditExportFormat = 'ndjson' | 'fhir';

export interface AuditExportOptions {
  readonly tenant: string;
  readonly format: AuditExportFormat;
  /** Epoch ms, inclusive. */
  readonly from?: number | null;
  /** Epoch ms, exclusive. */
  readonly to?: number | null;
  readonly functionOfRole: FhirAuditOptions['functionOfRole'];
  /** Bundle.timestamp. */
  readonly now: () => number;
}

export interface AuditExportSummary {
  readonly records: number;
  readonly events: number;
  readonly coveredUpTo: number;
}

export async function exportAuditEvents(
  audit: AuditService,
  options: AuditExportOptions,
  write: (chunk: string) => Promise<void>,
): Promise<AuditExportSummary> {
  const { tenant, format, from, to } = options;
  const exportedBefore = await audit.exportedUpTo(tenant);
  let records = 0;
  let events = 0;
  let coveredUpTo = 0;
  let contiguous = true;
  if (format === 'fhir') {
    // Streamed by hand so the Bundle never has to be held whole; the closing bracket comes after the last entry.
    await write(
      `{"resourceType":"Bundle","type":"collection","timestamp":${JSON.stringify(new Date(options.now()).toISOString())},"entry":[`,
    );
  }
  for await (const raw of audit.rawRecords(tenant)) {
    const record = parseRecord(raw);
    records++;
    if (!record) {
      contiguous = false;
      continue;
    }
    const search = record.events.filter((e) => e.category === 'phi-read').length > 1;
    let kept = 0;
    for (const [index, event] of record.events.entries()) {
      if (!inWindow(event.at, from, to)) continue;
      kept++;
      const line =
        format === 'ndjson'
          ? `${JSON.stringify({ seq: record.seq, index, ...event })}\n`
          : `${events === 0 ? '' : ','}\n${JSON.stringify({
              resource: toFhirAuditEvent(event, { seq: record.seq, index }, { functionOfRole: options.functionOfRole, search }),
            })}`;
      await write(line);
      events++;
    }
    if (contiguous && (kept === record.events.length || record.seq <= exportedBefore)) coveredUpTo = record.seq;
    else contiguous = false;
  }
  if (format === 'fhir') await write('\n]}\n');
  return { records, events, coveredUpTo };
}
