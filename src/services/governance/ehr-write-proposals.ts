import type { Principal } from '../../auth/principal.js';
import type { Environment } from '../../governance/environment.js';
import type { JsonValue } from '../../governance/json.js';
import type { ChangeRequest } from '../../governance/change-request.js';
import type { CommitOp } from '../../stores/governance-store.js';
import type { CurrentDoc, GovernanceDeps, ProposalOutcome } from './deps.js';
import { ehrDraftDocId, targetDocIdOf } from './effects-to-ops.js';
import { propose, proposalContext } from './propose.js';

// Governed changes whose apply writes to the EHR: a clinical write and a refund (recorded on the Invoice). Proposed
// like any other change; approved, the outbox runs their connector effect (apply-mode.ts).

/**
 * Proposes a clinical write (an AI agent's medication request): the draft is stored first under its own id, outside
 * the change (change snapshots reach the audit log and configuration readers; the draft is PHI), then the change of
 * `ehr-write:<draftId>` is proposed like any other. Approved, it is executed by the outbox's connector effect.
 */
export async function proposeEhrWrite(
  deps: GovernanceDeps,
  principal: Principal,
  input: { environment: Environment; draftId: string; draft: JsonValue; value: JsonValue; reason?: string | null },
): Promise<ProposalOutcome> {
  const draftRef = { environment: input.environment, id: ehrDraftDocId(input.draftId) };
  if (!(await deps.store.getDoc(principal.tenant, draftRef))) {
    const at = new Date(deps.now()).toISOString();
    const doc = { ref: draftRef, version: 1, value: input.draft, changedBy: principal.sub, changeId: null, at, reason: null };
    await deps.store.commit(principal.tenant, [{ type: 'put-doc', doc }]);
  }
  const target = { type: 'ehr-write' as const, draftId: input.draftId };
  return propose(deps, principal, { environment: input.environment, id: targetDocIdOf(target) }, async (current) => ({
    ...proposalContext(deps, principal, input),
    environment: input.environment,
    target,
    current: { value: current.doc?.value ?? null, version: current.version },
    newValue: input.value,
  }));
}

/**
 * Proposes a refund (issueRefund): applied at once up to the threshold in its value, else waiting for finance.
 * `ledgerOps` records, in the same commit, what a refund given without approval adds to the refund ledgers;
 * `beforeCommit` marks a client's idempotency key attempted (propose.ts ProposeHooks).
 */
export async function proposeRefund(
  deps: GovernanceDeps,
  principal: Principal,
  input: {
    environment: Environment;
    refundId: string;
    value: JsonValue;
    reason: string;
    ledgerOps?: (next: ChangeRequest) => readonly CommitOp[];
    beforeCommit?: () => void;
  },
): Promise<ProposalOutcome> {
  const target = { type: 'refund' as const, refundId: input.refundId };
  const build = async (current: CurrentDoc) => ({
    ...proposalContext(deps, principal, input),
    environment: input.environment,
    target,
    current: { value: current.doc?.value ?? null, version: current.version },
    newValue: input.value,
  });
  const ref = { environment: input.environment, id: targetDocIdOf(target) };
  return propose(deps, principal, ref, build, { extraOps: input.ledgerOps, beforeCommit: input.beforeCommit });
}
