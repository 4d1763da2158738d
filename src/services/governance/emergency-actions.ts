import type { Principal } from '../../auth/principal.js';
import { resumeInput, stop } from '../../governance/emergency-stop.js';
import { DEFAULT_STOP_POLICY, RUNNING, type StopState } from '../../governance/emergency-target.js';
import type { Environment } from '../../governance/environment.js';
import { GovernanceError } from '../../errors/governance-error.js';
import { contention, MAX_ATTEMPTS, type GovernanceDeps, type ProposalOutcome } from './deps.js';
import { effectsToOps, stopDocId } from './effects-to-ops.js';
import { propose, proposalContext } from './propose.js';
import { assertTargetEditor, failedScopeOf } from './refusals.js';
import { stopState } from './reads.js';
import { supersedeCompetitors } from './supersede-competitors.js';

// Emergency stops with I/O: a stop takes effect at once, committed with its audit record in one compare-and-set;
// a resume is a governed change like any other, proposed through the core (propose.ts).

export async function proposeResume(
  deps: GovernanceDeps,
  principal: Principal,
  input: { target: string; environment: Environment; reason?: string | null; ticket?: string | null },
): Promise<ProposalOutcome> {
  // NOT_STOPPED tells the target's stop state: only to who may resume it there (a tester probed PRODUCTION's stops
  // with a STAGING-only role), as explain(resume:...) answers.
  await assertTargetEditor(deps, principal, { type: 'emergency-resume', target: input.target }, input.environment);
  return propose(deps, principal, { environment: input.environment, id: stopDocId(input.target) }, async (current) => {
    const value = (current.doc?.value as StopState | undefined) ?? RUNNING;
    const r = resumeInput(input.target, {
      ...proposalContext(deps, principal, input),
      environment: input.environment,
      current: { value, version: current.version },
    });
    if (!r.ok) throw new GovernanceError(r.error);
    return r.input;
  });
}

/** Immediate: no approval. Audited in the same commit as the stop itself. */
export async function emergencyStop(
  deps: GovernanceDeps,
  principal: Principal,
  input: { target: string; environment: Environment; reason: string },
): Promise<{ value: StopState; version: number }> {
  const policy = deps.stopPolicy ?? DEFAULT_STOP_POLICY;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await stopState(deps, principal.tenant, input.environment, input.target);
    const r = stop(input.target, principal, {
      tenant: principal.tenant,
      environment: input.environment,
      reason: input.reason,
      now: deps.now(),
      current,
      policy,
    });
    if (!r.ok) throw new GovernanceError(r.error, failedScopeOf(r.error));
    const nowIso = new Date(deps.now()).toISOString();
    const ops = effectsToOps(r.effects, null, nowIso);
    // A stop moves the stop state: a pending resume computed against the old one is superseded in the same commit.
    const committed = await deps.store.commit(principal.tenant, [
      ...ops,
      ...(await supersedeCompetitors(deps.store, principal.tenant, ops, nowIso)),
    ]);
    if (committed.ok) return { value: r.record.state, version: r.record.version };
  }
  throw contention();
}
