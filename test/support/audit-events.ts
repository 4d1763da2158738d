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
export async function agentStoppedDenials(records: AsyncIterable<string>, sub: string): Promise<number> {
  let n = 0;
  for await (const raw of records) {
    type Event = { action: string; actor: { sub: string } | null; detail: { reasons?: string[] } };
    const { events } = JSON.parse((JSON.parse(raw) as { body: string }).body) as { events: Event[] };
    n += events.filter((e) => e.action === 'access.denied' && e.actor?.sub === sub && e.detail.reasons?.includes('AGENT_STOPPED')).length;
  }
  return n;
}
