import { ClearanceError, ConflictError } from '../errors/errors.js';
import { DEFAULT_STOP_POLICY, type StopTargetKind } from './emergency-target.js';

// Which stop targets an action is subject to, beyond the one it names itself. Pure. `agent:<id>` stops an AI agent
// (a principal of kind agent whose `sub` is the id) everywhere it can act: every request it makes (PHI reads,
// writes, proposals) and the outbox's execution of what it proposed (a proposal approved before or during the stop
// does not go out while the agent is stopped, also when the EHR connector resumes). `connector:ehr` stops every
// write to the EHR: write-back answers FORBIDDEN CONNECTOR_STOPPED at its gate; every other writer (refunds applied
// at once or by the outbox, billing automation) asks src/services/ehr-stop-guard.ts and answers CONFLICT STOPPED.
// `automation:*` stops the runs and sends of billing and messaging (enforced there), not a person's manual refund.

/** Every stop target kind, from the stop policy's exhaustive record (a new kind appears here by itself). */
export const STOP_TARGET_KINDS = Object.keys(DEFAULT_STOP_POLICY.rules) as StopTargetKind[];

const AGENT_ID = /^[a-z][a-z0-9-]{0,62}$/;

/** The `agent:<id>` target a principal is subject to: agents only, and only ids a stop can name. */
export function agentStopTarget(principal: { readonly kind: string; readonly sub: string }): string | null {
  return principal.kind === 'agent' && AGENT_ID.test(principal.sub) ? `agent:${principal.sub}` : null;
}

/** The refusal of anything an emergency-stopped agent tries (FORBIDDEN, reason AGENT_STOPPED). */
export function agentStoppedError(target: string, environment: string): ClearanceError {
  return new ClearanceError(
    'FORBIDDEN',
    `${target} is emergency-stopped in ${environment}: it may not read, write or propose until it is resumed (a governed change).`,
    { reason: 'AGENT_STOPPED', target, environment },
    403,
  );
}

/** The connector every write to the EHR goes through. */
export const EHR_STOP_TARGET = 'connector:ehr';

/** The refusal of an EHR write while `connector:ehr` is stopped (CONFLICT, reason STOPPED): nothing was written. */
export function ehrStoppedError(environment: string): ConflictError {
  return new ConflictError(
    'STOPPED',
    `The ehr connector is emergency-stopped in ${environment}: nothing was written to the EHR. Resuming it (resume target ` +
      `${EHR_STOP_TARGET}) is a governed change.`,
  );
}
