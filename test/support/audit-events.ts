import type { AuditEvent } from '../../src/audit/audit-event.js';

/** A PHI read of patient `p<i>`'s notes at `atMs`: the record the audit tests append by the hundred. */
export const phiReadEvent = (tenant: string, atMs: number, i: number): AuditEvent => ({
  category: 'phi-read',
  at: new Date(atMs).toISOString(),
  tenant,
  action: 'phi.read',
  outcome: 'success',
  actor: { sub: 'clin-1', roles: ['clinician'] },
  patientId: `p${i}`,
  dataClasses: ['notes'],
  fields: ['Patient.notes'],
  operation: 'Q',
  breakGlass: false,
});
