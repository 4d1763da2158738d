import type { Principal } from '../auth/principal.js';
import type { Environment } from '../governance/environment.js';
import type { JsonValue } from '../governance/json.js';
import type { ChangeRequest } from '../governance/change-request.js';
import type { CommitOp, GovernanceStore } from '../stores/governance-store.js';
import { ehrDraftDocId, targetDocIdOf } from './effects-to-ops.js';
import type { ContextOf, CurrentDoc, ProposalOutcome, Propose } from './governance-parts.js';

// Governed changes whose apply writes to the EHR: a clinical write and a refund (recorded on the Invoice). Proposed
// like any other change; approved, the outbox runs their connector effect (apply-mode.ts).

export interface EhrWriteProposalsDeps {
  readonly store: GovernanceStore;
  readonly now: () => number;
  readonly propose: Propose;
  readonly context: ContextOf;
}

export class EhrWriteProposals {
  constructor(private readonly deps: EhrWriteProposalsDeps) {}

  /**
   * Proposes a clinical write (an AI agent's medication request): the draft is stored first under its own id, outside
   * the change (change snapshots reach the audit log and configuration readers; the draft is PHI), then the change of
   * `ehr-write:<draftId>` is proposed like any other. Approved, it is executed by the outbox's connector effect.
   */
  async proposeEhrWrite(principal: Principal, input: { environment: Environment; draftId: string; draft: JsonValue; value: JsonValue; reason?: string | null }): Promise<ProposalOutcome> {
    const draftRef = { environment: input.environment, id: ehrDraftDocId(input.draftId) };
    if (!(await this.deps.store.getDoc(principal.tenant, draftRef))) {
      const at = new Date(this.deps.now()).toISOString();
      await this.deps.store.commit(principal.tenant, [{ type: 'put-doc', doc: { ref: draftRef, version: 1, value: input.draft, changedBy: principal.sub, changeId: null, at, reason: null } }]);
    }
    return this.deps.propose(principal, { environment: input.environment, id: targetDocIdOf({ type: 'ehr-write', draftId: input.draftId }) }, async (current) => ({
      ...this.deps.context(principal, input),
      environment: input.environment,
      target: { type: 'ehr-write', draftId: input.draftId },
      current: { value: current.doc?.value ?? null, version: current.version },
      newValue: input.value,
    }));
  }

  /**
   * Proposes a refund (issueRefund): applied at once up to the threshold in its value, else waiting for finance.
   * `ledgerOps` records, in the same commit, what a refund given without approval adds to the refund ledgers.
   */
  async proposeRefund(
    principal: Principal,
    input: { environment: Environment; refundId: string; value: JsonValue; reason: string; ledgerOps?: (next: ChangeRequest) => readonly CommitOp[] },
  ): Promise<ProposalOutcome> {
    const target = { type: 'refund' as const, refundId: input.refundId };
    const build = async (current: CurrentDoc) => ({
      ...this.deps.context(principal, input),
      environment: input.environment,
      target,
      current: { value: current.doc?.value ?? null, version: current.version },
      newValue: input.value,
    });
    return this.deps.propose(principal, { environment: input.environment, id: targetDocIdOf(target) }, build, input.ledgerOps);
  }
}
