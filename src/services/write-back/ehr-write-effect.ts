import { medicationRequestResource } from '../../../connectors/ehr/write/write-resources.js';
import { agentStoppedError, agentStopTarget } from '../../governance/stop-enforcement.js';
import { medicationDraftSchema } from '../../governance/ehr-write-target.js';
import type { ChangeRequest } from '../../governance/change-request.js';
import type { ApplyEffect, TransitionError } from '../../governance/transition-result.js';
import type { GovernanceStore } from '../../stores/governance-store.js';
import type { WriteBackService } from './write-back-service.js';
import type { GovernanceDeps } from '../governance/deps.js';
import { ehrDraft, stopState } from '../governance/reads.js';

// The outbox's connector effect for an approved `ehr-write` change: writes the stored draft as the agent that
// proposed it, with the approving clinicians in the Provenance. Idempotent by the draft id (a conditional create),
// so the outbox may run it again after a crash. Other effects (connector settings) need no action here: connectors
// read their governed settings when they act.

export interface EhrWriteEffectDeps {
  readonly store: GovernanceStore;
  readonly governance: GovernanceDeps;
  readonly writeBack: WriteBackService;
}

export function createEhrWriteEffect(deps: EhrWriteEffectDeps): (effect: ApplyEffect) => Promise<void> {
  return async (effect) => {
    if (effect.type !== 'apply-ehr-write') return;
    const stored = await deps.store.getChange(effect.tenant, effect.changeId);
    if (!stored) throw new Error('ehr-write: change not found');
    const { change } = stored;
    // What a stopped agent proposed does not go out, whenever it was approved (the outbox retries; after its last
    // attempt the change is FAILED with this reason).
    const agentTarget = agentStopTarget(change.requester);
    if (agentTarget && (await stopState(deps.governance, effect.tenant, effect.environment, agentTarget)).value.stopped) {
      throw agentStoppedError(agentTarget, effect.environment);
    }
    const value = effect.value as { patientId: string; promptTemplateVersion: string | null };
    const draft = medicationDraftSchema.parse(await ehrDraft(deps.governance, effect.tenant, effect.environment, effect.draftId));
    const resource = medicationRequestResource(value.patientId, draft, new Date().toISOString());
    await deps.writeBack.write(
      { tenant: effect.tenant, sub: change.requester.sub, kind: change.requester.kind },
      { kind: 'create', resource },
      `proposal:${effect.draftId}`,
      {
        sub: change.requester.sub,
        kind: change.requester.kind,
        promptTemplateVersion: value.promptTemplateVersion,
        approvedBy: change.approvals.map((a) => a.sub),
      },
      null,
    );
  };
}

/**
 * Why an `ehr-write` change may not be approved now (GovernanceDeps.applyRefusal): the write-back gate the outbox's
 * write would meet (write-back disabled, `connector:ehr` stopped, the scopes, the mappings: FORBIDDEN with the reason
 * and extensions a clinician's own write gets), or the proposing agent's stop (AGENT_STOPPED). Asked when it is
 * approved and by explain(change:approve), so nothing is queued that would not be written. Other changes: null.
 */
export function createEhrWriteGate(
  deps: Omit<EhrWriteEffectDeps, 'store'>,
): (tenant: string, change: ChangeRequest) => Promise<TransitionError | null> {
  return async (tenant, change) => {
    if (change.target.type !== 'ehr-write') return null;
    const agentTarget = agentStopTarget(change.requester);
    if (agentTarget && (await stopState(deps.governance, tenant, change.environment, agentTarget)).value.stopped) {
      const stopped = agentStoppedError(agentTarget, change.environment);
      const extensions = { target: agentTarget, environment: change.environment };
      return { code: 'FORBIDDEN', reason: 'AGENT_STOPPED', message: stopped.message, extensions };
    }
    const resourceType = (change.after as { resourceType?: unknown } | null)?.resourceType;
    const written = typeof resourceType === 'string' ? resourceType : 'MedicationRequest';
    const refusal = await deps.writeBack.gateRefusal(tenant, written, 'c');
    if (!refusal) return null;
    return { code: 'FORBIDDEN', reason: refusal.reason, message: refusal.message, extensions: deps.writeBack.gateExtensions };
  };
}
