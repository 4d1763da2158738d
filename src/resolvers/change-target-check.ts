import type { Decision } from '../../rules/decide.js';
import { decideRow, NO_RULE_DENIAL } from '../../rules/field-decision.js';
import { forbidden } from '../errors/forbidden.js';
import { canActOnChange } from '../services/governance/reads.js';
import { proposedRow } from './proposal-view.js';
import type { GatewayContext } from '../context/context.js';
import type { ActFacts } from '../governance/actionable.js';
import type { ChangeRequest } from '../governance/change-request.js';
import { NotFoundError } from '../errors/errors.js';

// The target's own check of a change, asked by every path that approves or rejects it (approveChange, rejectChange,
// approveMedicationProposal) and by the actionable query: a clinical write needs `write` on its data class for its
// patient, decided by rules/decide.ts against the patient's departments, as writing it directly would, and the
// proposed row readable by the caller (rules/field-decision.ts decideRow).

const patientOf = (change: ChangeRequest) => (change.after as { patientId?: unknown } | null)?.patientId;

/** The rules/ decision on the change's target: null when the target carries no right of its own. */
async function targetDecision(ctx: GatewayContext, change: ChangeRequest) {
  if (change.target.type !== 'ehr-write') return null;
  const patientId = patientOf(change);
  const patient = typeof patientId === 'string' ? await ctx.ehr.patient(patientId) : null;
  if (!patient) return { effect: 'MISSING' as const };
  const write = ctx.access.decide({ action: 'write', dataClass: 'medications' }, { ...patient.guard, patientId: patient.id });
  if (write.effect === 'DENY') return write;
  // Nobody approves what they may not see: a proposed row the caller's read rules withhold (a sensitive drug without
  // the grant) cannot be approved by them either (the same kernel decision as the proposal's view).
  const proposed = await proposedRow(ctx, change);
  const read = proposed ? decideRow(ctx.access, 'MedicationRequest', proposed.guard) : null;
  return read && read.decision.effect === 'DENY' ? read.decision : write;
}

/** A refusal as the mutations answer it: FORBIDDEN with the denial, or NOT_FOUND for a target that is gone. */
function throwRefusal(refusal: Extract<Decision, { effect: 'DENY' }> | { readonly effect: 'MISSING' }): never {
  if (refusal.effect === 'MISSING') throw new NotFoundError('Patient', 'No such patient.');
  throw forbidden(refusal.denial);
}

/**
 * Who may reach a stored change: configuration readers (the governance service then decides on what is stored), its
 * requester (to open or withdraw it), and anyone canActOn lets act on it now (to open, approve or reject it: a
 * clinician on a medication proposal of their department); acting also needs the target's own right (above).
 */
export async function mayReach(ctx: GatewayContext, change: ChangeRequest, how: 'open' | 'act' | 'withdraw'): Promise<boolean> {
  const { factsFor } = actFactsOf(ctx);
  const requester = change.requester.sub === ctx.principal.sub;
  return (
    configurationRead(ctx, change).effect === 'ALLOW' ||
    (how !== 'act' && requester) ||
    (how !== 'withdraw' && (await canActOnChange(ctx.governance, ctx.principal, change, factsFor)).canAct)
  );
}

/**
 * Why the caller may not act on the change's target (a denial, or MISSING: its patient is gone) or reach the change
 * (mayReach: the configuration denial); null when nothing stands in the way before the transition's own rules. The
 * target's own right is asked first: its denial names what is really missing (an oncology clinician on a cardiology
 * proposal lacks the patient's department, and a configuration role would not help). approveChange, rejectChange,
 * approveMedicationProposal and cancelChange throw it (assertMayReach); explain("change:approve:<id>") answers it.
 */
export async function reachRefusal(
  ctx: GatewayContext,
  change: ChangeRequest,
  how: 'open' | 'act' | 'withdraw',
): Promise<Extract<Decision, { effect: 'DENY' }> | { readonly effect: 'MISSING' } | null> {
  // The requester never approves or rejects their own change: the transition says so (SELF_APPROVAL, SELF_REJECTION),
  // which is the reason that decides, whatever else they lack.
  if (change.requester.sub === ctx.principal.sub) return null;
  const target = how === 'act' ? await targetDecision(ctx, change) : null;
  if (target?.effect === 'DENY') return target;
  // The right on a clinical write's target reaches it whatever its status: a clinician whose colleague decided the
  // proposal first is told NOT_PENDING by the transition, not sent after a configuration role.
  if (target?.effect === 'ALLOW') return null;
  if (!(await mayReach(ctx, change, how))) {
    const read = configurationRead(ctx, change);
    return read.effect === 'DENY' ? read : { effect: 'DENY', denial: NO_RULE_DENIAL };
  }
  // A patient that is gone is told only to who may reach the change.
  return target?.effect === 'MISSING' ? target : null;
}

/** reachRefusal as the mutations answer it (throwRefusal). */
export async function assertMayReach(ctx: GatewayContext, change: ChangeRequest, how: 'open' | 'act' | 'withdraw'): Promise<void> {
  const refusal = await reachRefusal(ctx, change, how);
  if (refusal !== null) throwRefusal(refusal);
}

/** The facts canActOn needs about the caller (src/governance/actionable.ts). */
export function actFactsOf(ctx: GatewayContext): { factsFor: (change: ChangeRequest) => Promise<ActFacts> } {
  return {
    factsFor: async (change) => {
      const d = await targetDecision(ctx, change);
      const readsConfiguration = configurationRead(ctx, change).effect === 'ALLOW';
      return { readsConfiguration, targetAllowed: d === null ? null : d.effect === 'ALLOW' };
    },
  };
}

/** Whether the caller reads the configuration a change belongs to: its environment's (rules/decide.ts readsConfigurationIn). */
const configurationRead = (ctx: GatewayContext, change: ChangeRequest) => ctx.access.readsConfigurationIn(change.environment);
