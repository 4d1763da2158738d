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

/** The access.denied AGENT_STOPPED events an actor's refusals wrote to the tenant's log (raw records of the harness). */
export function agentStoppedDenials(records: AsyncIterable<string>, sub: string): Promise<number> {
  return denialsWithReason(records, 'AGENT_STOPPED', sub);
}

/** The access.denied events naming `reason` in the tenant's log (raw records of the harness), of one actor when given. */
export async function denialsWithReason(records: AsyncIterable<string>, reason: string, sub?: string): Promise<number> {
  let n = 0;
  for await (const raw of records) {
    type Event = { action: string; actor: { sub: string } | null; detail: { reasons?: string[] } };
    const { events } = JSON.parse((JSON.parse(raw) as { body: string }).body) as { events: Event[] };
    n += events.filter(
      (e) => e.action === 'access.denied' && (sub === undefined || e.actor?.sub === sub) && e.detail.reasons?.includes(reason),
    ).length;
  }
  return n;
}
