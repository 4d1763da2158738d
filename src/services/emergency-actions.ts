import type { Principal } from '../auth/principal.js';
import { resumeInput, stop } from '../governance/emergency-stop.js';
import { RUNNING, type StopPolicy, type StopState } from '../governance/emergency-target.js';
import type { Environment } from '../governance/environment.js';
import type { GovernanceStore } from '../stores/governance-store.js';
import { effectsToOps, stopDocId } from './effects-to-ops.js';
import { supersedeCompetitors } from './supersede-competitors.js';
import { contention, MAX_ATTEMPTS, type ContextOf, type ProposalOutcome, type Propose } from './governance-parts.js';
import type { GovernanceReads } from './governance-reads.js';
import { GovernanceError } from '../errors/governance-error.js';

// Emergency stops with I/O: a stop takes effect at once, committed with its audit record in one compare-and-set;
// a resume is a governed change like any other, proposed through the core (governance-service.ts).

export interface EmergencyActionsDeps {
  readonly store: GovernanceStore;
  readonly now: () => number;
  readonly stopPolicy: StopPolicy;
  readonly reads: Pick<GovernanceReads, 'stopState'>;
  readonly propose: Propose;
  readonly context: ContextOf;
}

export class EmergencyActions {
  constructor(private readonly deps: EmergencyActionsDeps) {}

  async resume(principal: Principal, input: { target: string; environment: Environment; reason?: string | null; ticket?: string | null }): Promise<ProposalOutcome> {
    return this.deps.propose(principal, { environment: input.environment, id: stopDocId(input.target) }, async (current) => {
      const r = resumeInput(input.target, { ...this.deps.context(principal, input), environment: input.environment, current: { value: (current.doc?.value as StopState | undefined) ?? RUNNING, version: current.version } });
      if (!r.ok) throw new GovernanceError(r.error);
      return r.input;
    });
  }

  /** Immediate: no approval. Audited in the same commit as the stop itself. */
  async emergencyStop(principal: Principal, input: { target: string; environment: Environment; reason: string }): Promise<{ value: StopState; version: number }> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.deps.reads.stopState(principal.tenant, input.environment, input.target);
      const r = stop(input.target, principal, { tenant: principal.tenant, environment: input.environment, reason: input.reason, now: this.deps.now(), current, policy: this.deps.stopPolicy });
      if (!r.ok) throw new GovernanceError(r.error);
      const nowIso = new Date(this.deps.now()).toISOString();
      const ops = effectsToOps(r.effects, null, nowIso);
      // A stop moves the stop state: a pending resume computed against the old one is superseded in the same commit.
      const committed = await this.deps.store.commit(principal.tenant, [...ops, ...(await supersedeCompetitors(this.deps.store, principal.tenant, ops, nowIso))]);
      if (committed.ok) return { value: r.record.state, version: r.record.version };
    }
    throw contention();
  }
}
