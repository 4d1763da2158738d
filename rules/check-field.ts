import type { GraphQLResolveInfo } from 'graphql';
import type { GatewayContext } from '../src/context/context.js';
import { readSlot } from '../src/audit/read-slots.js';
import type { ForbiddenError } from '../src/errors/errors.js';
import { evaluateFieldRule, guardOf } from './evaluate-field-rule.js';
import type { FieldRule } from './field-access.js';

// The check both permission engines run for a field (graphql-shield's rule and the fast guard's wrapper): the
// decision, and for row rules the PHI-read record of what was let through. Written once, so the two engines can
// only differ in how they are wired, which test/rules/fast-guard-differential.test.ts compares.

export function checkField(
  rule: FieldRule,
  ctx: GatewayContext,
  parent: unknown,
  info: GraphQLResolveInfo,
  /** `Type.field`, when the caller knows it already (the fast guard computes it once per field, not per row). */
  fieldKey = `${info.parentType.name}.${info.fieldName}`,
): true | ForbiddenError {
  const v = evaluateFieldRule(rule, ctx.access, parent);
  if (!v.allowed) return v.error;
  if (rule.kind === 'read' && rule.row) {
    // Row rules guard patient rows: every field they let through is a PHI read, recorded for the audit event.
    const guard = guardOf(parent)!;
    ctx.phiReads.record(guard.patientId, readSlot(guard.sensitive && rule.sensitiveAware ? 'sensitive' : rule.dataClass, fieldKey));
  }
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
      return `read:${r.dataClass}${r.row ? '/row' : ''}${r.sensitiveAware ? '/sensitive' : ''}`;
  }
}
