import type { AuditActor, PhiReadEvent } from './audit-event.js';

// Collects, during one GraphQL request, which patient's data classes and fields were actually returned (the shield
// rules record each allowed row field). At the end of the request it becomes one PHI-read event per patient: not one
// per field, and none at all for a request that read no PHI.

export interface PhiReadContext {
  readonly tenant: string;
  readonly actor: AuditActor;
  readonly operation: string | null;
  readonly requestId: string;
  readonly at: string;
  /** Patients opened through break-glass in this request (flagged on their events). */
  readonly breakGlassPatients?: ReadonlySet<string>;
}

export class PhiReadCollector {
  private readonly byPatient = new Map<string, { classes: Set<string>; fields: Set<string> }>();

  record(patientId: string, dataClass: string, field: string): void {
    let entry = this.byPatient.get(patientId);
    if (!entry) {
      entry = { classes: new Set(), fields: new Set() };
      this.byPatient.set(patientId, entry);
    }
    entry.classes.add(dataClass);
    entry.fields.add(field);
  }

  get size(): number {
    return this.byPatient.size;
  }

  events(ctx: PhiReadContext): PhiReadEvent[] {
    return [...this.byPatient.entries()].map(([patientId, e]) => ({
      category: 'phi-read',
      at: ctx.at,
      tenant: ctx.tenant,
      action: 'phi.read',
      outcome: 'success',
      actor: ctx.actor,
      requestId: ctx.requestId,
      patientId,
      dataClasses: [...e.classes].sort(),
      fields: [...e.fields].sort(),
      operation: ctx.operation,
      breakGlass: ctx.breakGlassPatients?.has(patientId) ?? false,
    }));
  }
}
