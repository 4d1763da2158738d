import type { GuardContext, DenialError } from './guard-context.js';
import type { FieldPlan } from './field-decision.js';
import type { FieldRule } from './field-access.js';
import { rowFactsOf } from './row-facts.js';

// The check both permission engines run for a field (graphql-shield's rule and the fast guard's wrapper): the
// kernel's decision (field-decision.ts), and for row rules the PHI-read record of what was let through. Written once,
// so the two engines can only differ in how they are wired, which test/rules/fast-guard-differential.test.ts compares.

export function checkField(plan: FieldPlan, ctx: GuardContext, parent: unknown, toError: DenialError): true | Error {
  const d = plan.decide(ctx.access, parent);
  if (d.decision.effect === 'DENY') return toError(d.decision.denial);
  // Row rules guard patient rows: every field they let through is a PHI read, recorded for the audit event.
  if (d.slot !== null) ctx.phiReads.record(rowFactsOf(parent)!.patientId, d.slot);
  return true;
}

/** A stable name per distinct rule: rules with the same name decide the same way for the same principal. */
export function ruleName(r: FieldRule): string {
  switch (r.kind) {
    case 'authenticated':
      return 'authenticated';
    case 'inherit':
      return 'inherit';
    case 'read':
      return `read:${r.dataClass}${r.row ? '/row' : ''}${r.sensitiveAware ? '/sensitive' : ''}${r.mask ? `/mask:${r.mask}` : ''}`;
  }
}
