import type { AuditActor, PhiReadBlock, PhiReadEvent } from './audit-event.js';

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

  /** The request's reads as one compact block: patients with the same classes and fields read share a group. */
  block(ctx: PhiReadContext): PhiReadBlock {
    const groups = new Map<string, { dataClasses: string[]; fields: string[]; patients: string[] }>();
    for (const [patientId, e] of this.byPatient) {
      const dataClasses = [...e.classes].sort();
      const fields = [...e.fields].sort();
      const key = `${dataClasses.join(',')}|${fields.join(',')}`;
      let g = groups.get(key);
      if (!g) {
        g = { dataClasses, fields, patients: [] };
        groups.set(key, g);
      }
      g.patients.push(patientId);
    }
    const breakGlass = [...this.byPatient.keys()].filter((p) => ctx.breakGlassPatients?.has(p));
    return { at: ctx.at, actor: ctx.actor, operation: ctx.operation, requestId: ctx.requestId, groups: [...groups.values()], breakGlass };
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
