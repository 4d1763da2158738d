import { ClearanceError } from '../errors/errors.js';
import type { TransitionError } from '../governance/transition-result.js';

/** A refused governed action, as a client sees it: the code, the stable machine reason, the fields at fault. */
export class GovernanceError extends ClearanceError<{ reason: string; problems?: readonly { path: string; message: string }[] }> {
  /** `explanation`: for FORBIDDEN, the owner and approval path (src/governance/refusal-explanation.ts). */
  constructor(error: TransitionError, explanation?: Readonly<Record<string, unknown>>) {
    super(error.code, error.message, { ...(explanation ?? {}), ...(error.problems ? { reason: error.reason, problems: error.problems } : { reason: error.reason }) });
  }
}
