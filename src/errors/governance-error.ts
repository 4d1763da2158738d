import type { ErrorCode } from './error-codes.js';
import { ClearanceError } from './errors.js';

/** A field at fault in a refused input: `value.threshold`, `reason`. */
interface RefusalProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * A refusal as the governance domain decides it (src/governance/transition-result.ts TransitionError has this shape):
 * the code, the stable machine reason, the message, and for BAD_USER_INPUT the fields at fault.
 */
interface Refusal {
  readonly code: ErrorCode;
  readonly reason: string;
  readonly message: string;
  readonly problems?: readonly RefusalProblem[];
}

/** A refused governed action, as a client sees it: the code, the stable machine reason, the fields at fault. */
export class GovernanceError extends ClearanceError<{ reason: string; problems?: readonly RefusalProblem[]; field?: string | null }> {
  /** `explanation`: for FORBIDDEN, the owner and approval path (src/governance/refusal-explanation.ts). */
  constructor(error: Refusal, explanation?: Readonly<Record<string, unknown>>) {
    // A refused input names its first field at fault as `field`, as every other BAD_USER_INPUT does (errors.ts).
    const field = error.code === 'BAD_USER_INPUT' ? { field: error.problems?.[0]?.path ?? null } : {};
    const details = error.problems ? { reason: error.reason, problems: error.problems, ...field } : { reason: error.reason, ...field };
    super(error.code, error.message, { ...(explanation ?? {}), ...details });
  }
}
