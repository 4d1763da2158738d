import { forbidden } from '../errors/forbidden.js';
import type { GatewayContext } from '../context/context.js';
import type { ActFacts } from '../governance/actionable.js';
import type { ChangeRequest } from '../governance/change-request.js';
import { NotFoundError } from '../errors/errors.js';

// The target's own check of a change, asked by every path that approves or rejects it (approveChange, rejectChange,
// approveMedicationProposal) and by the actionable query: a clinical write needs `write` on its data class for its
// patient, decided by rules/decide.ts against the patient's departments, as writing it directly would.

const patientOf = (change: ChangeRequest) => (change.after as { patientId?: unknown } | null)?.patientId;

/** The rules/ decision on the change's target: null when the target carries no right of its own. */
async function targetDecision(ctx: GatewayContext, change: ChangeRequest) {
  if (change.target.type !== 'ehr-write') return null;
  const patientId = patientOf(change);
  const patient = typeof patientId === 'string' ? await ctx.ehr.patient(patientId) : null;
  if (!patient) return { effect: 'MISSING' as const };
  return ctx.access.decide({ action: 'write', dataClass: 'medications' }, { ...patient.guard, patientId: patient.id });
}

/** Throws FORBIDDEN (with the denial) or NOT_FOUND when the caller has no right on the change's target. */
export async function assertTargetRight(ctx: GatewayContext, change: ChangeRequest): Promise<void> {
  const d = await targetDecision(ctx, change);
  if (d === null) return;
  if (d.effect === 'MISSING') throw new NotFoundError('Patient', 'No such patient.');
  if (d.effect === 'DENY') throw forbidden(d.denial);
}

/** The facts canActOn needs about the caller (src/governance/actionable.ts). */
export function actFactsOf(ctx: GatewayContext): { readsConfiguration: boolean; factsFor: (change: ChangeRequest) => Promise<ActFacts> } {
  const readsConfiguration = ctx.access.decide({ action: 'read', dataClass: 'configuration' }).effect === 'ALLOW';
  return {
    readsConfiguration,
    factsFor: async (change) => {
      const d = await targetDecision(ctx, change);
      return { readsConfiguration, targetAllowed: d === null ? null : d.effect === 'ALLOW' };
    },
  };
}
