import type { Principal } from '../auth/principal.js';
import { NotFoundError } from '../errors/errors.js';
import type { ActDecision } from '../governance/actionable.js';
import type { ChangeRequest } from '../governance/change-request.js';
import { DEFAULT_STOP_POLICY, type StopPolicy, type StopState } from '../governance/emergency-target.js';
import type { Environment } from '../governance/environment.js';
import type { JsonValue } from '../governance/json.js';
import { proposeChange, type ProposeChangeInput } from '../governance/propose-change.js';
import type { SettingVersion } from '../governance/setting-history.js';
import type { TransitionResult } from '../governance/transition-result.js';
import { approve, cancel, reject } from '../governance/transitions.js';
import type { CommitOp, DocRef } from '../stores/governance-store.js';
import { AccessProposals } from './access-proposals.js';
import { defaultApplyMode } from './apply-mode.js';
import { adminRolesOf, MFA_POLICY_KEY, sessionRefusal, type MfaPolicy, type SessionRefusal } from '../governance/mfa-policy.js';
import { currentTargetVersion, effectsToOps, settingDocId } from './effects-to-ops.js';
import { EhrWriteProposals } from './ehr-write-proposals.js';
import { EmergencyActions } from './emergency-actions.js';
import type { GovernanceDeps } from './governance-deps.js';
import { contention, MAX_ATTEMPTS, type CurrentDoc, type ProposalOutcome } from './governance-parts.js';
import { GovernanceReads, type ChangeQuery, type CurrentSetting, type FactsFor } from './governance-reads.js';
import { createGovernanceRefusals, type GovernanceRefusals } from './governance-refusals.js';
import { createOutboxWorker, type CommitTransition, type OutboxWorker } from './outbox-worker.js';
import { SettingProposals, type SettingUpdate } from './setting-proposals.js';
import { supersedeCompetitors } from './supersede-competitors.js';
import { KeyedLock } from './keyed-lock.js';
import { GovernanceError } from '../errors/governance-error.js';

export { defaultApplyMode } from './apply-mode.js';
export type { GovernanceDeps } from './governance-deps.js';
export type { ProposalOutcome } from './governance-parts.js';
export { toSettingVersion, type ChangeQuery, type CurrentSetting, type FactsFor } from './governance-reads.js';
export type { SettingUpdate } from './setting-proposals.js';

// Governed changes with I/O: reads from the store, asks the pure transitions what happens, and commits the result
// with compare-and-set. When the compare fails (another replica or approver got there first) it reads again and
// decides again, so the decision is always made on what is stored, and an apply happens exactly once.
// This class is also the facade callers use: reads (governance-reads.ts), the kinds of proposal
// (setting-proposals.ts, ehr-write-proposals.ts, access-proposals.ts) and emergency stops (emergency-actions.ts) live
// in their own files and are reached through it; the loops that decide and commit stay here.

export class GovernanceService {
  readonly outbox: OutboxWorker;
  private readonly stopPolicy: StopPolicy;
  private readonly reads: GovernanceReads;
  private readonly access: AccessProposals;
  private readonly settings: SettingProposals;
  private readonly ehrWrites: EhrWriteProposals;
  private readonly emergency: EmergencyActions;
  private readonly refusals: GovernanceRefusals;
  private readonly proposals = new KeyedLock();
  private readonly adminRoles: ReadonlySet<string>;

  constructor(private readonly deps: GovernanceDeps) {
    this.stopPolicy = deps.stopPolicy ?? DEFAULT_STOP_POLICY;
    this.adminRoles = adminRolesOf(deps.rules);
    this.refusals = createGovernanceRefusals({ rules: deps.rules, stopPolicy: this.stopPolicy, functionsOf: deps.functionsOf });
    const commitTransition: CommitTransition = (t, id, f, ops) => this.transition(t, id, f, ops);
    const [propose, context] = [this.propose.bind(this), this.context.bind(this)];
    this.outbox = createOutboxWorker({ store: deps.store, now: deps.now, connectorEffects: deps.connectorEffects, commitTransition, notifications: deps.notifications,
      onApplied: deps.onOutboxApplied });
    this.access = new AccessProposals({ functionsOf: deps.functionsOf, now: deps.now, policyOf: deps.policyOf, propose, context });
    this.reads = new GovernanceReads({ store: deps.store, functionsOf: deps.functionsOf, now: deps.now, canGrant: (tenant) => this.access.canGrant(tenant), commitTransition });
    this.settings = new SettingProposals({ reads: this.reads, propose, context });
    this.ehrWrites = new EhrWriteProposals({ store: deps.store, now: deps.now, propose, context });
    this.emergency = new EmergencyActions({ store: deps.store, now: deps.now, stopPolicy: this.stopPolicy, reads: this.reads, propose, context });
  }

  // ---- reads (governance-reads.ts) ---------------------------------------------------------------------------
  currentSetting(tenant: string, key: string, environment: Environment): Promise<CurrentSetting> {
    return this.reads.currentSetting(tenant, key, environment);
  }
  settingHistory(tenant: string, key: string, environment: Environment): Promise<SettingVersion[]> {
    return this.reads.settingHistory(tenant, key, environment);
  }
  stopState(tenant: string, environment: Environment, target: string): Promise<{ value: StopState; version: number }> {
    return this.reads.stopState(tenant, environment, target);
  }
  storedSettings(tenant: string, environment: Environment): Promise<CurrentSetting[]> {
    return this.reads.storedSettings(tenant, environment);
  }
  stopStates(tenant: string, environment: Environment): Promise<{ target: string; value: StopState; version: number; at: string }[]> {
    return this.reads.stopStates(tenant, environment);
  }
  agentAutonomy(principal: Pick<Principal, 'tenant' | 'sub' | 'kind'>, environment: Environment): Promise<JsonValue | null> {
    return this.reads.agentAutonomy(principal, environment);
  }
  previewApproval(principal: Principal, change: ChangeRequest): Promise<TransitionResult> {
    return this.reads.previewApproval(principal, change);
  }
  changeRequest(principal: Principal, id: string): Promise<ChangeRequest | null> {
    return this.reads.changeRequest(principal, id);
  }
  changeRequests(principal: Principal, filter: ChangeQuery, limit?: number, facts?: FactsFor): Promise<ChangeRequest[]> {
    return this.reads.changeRequests(principal, filter, limit, facts);
  }
  canAct(principal: Principal, change: ChangeRequest, facts: FactsFor): Promise<ActDecision> {
    return this.reads.canAct(principal, change, facts);
  }
  ehrDraft(tenant: string, environment: Environment, draftId: string): Promise<JsonValue | null> {
    return this.reads.ehrDraft(tenant, environment, draftId);
  }
  /**
   * Why the applied `access.mfaPolicy` refuses this request (mfa-policy.ts), or null. The PRODUCTION value counts:
   * requests read patient data, which is production data (as stored-access-of.ts). Until the policy is first
   * applied, nothing is refused on its account.
   */
  async sessionRefusal(principal: Principal, nowMs: number): Promise<SessionRefusal | null> {
    const doc = await this.deps.store.getDoc(principal.tenant, { environment: 'PRODUCTION', id: settingDocId(MFA_POLICY_KEY) });
    return doc ? sessionRefusal(doc.value as unknown as MfaPolicy, principal, this.adminRoles, nowMs) : null;
  }

  // ---- proposals and stops (setting-, ehr-write- and access-proposals.ts, emergency-actions.ts) --------------
  updateSetting(principal: Principal, input: SettingUpdate): Promise<ProposalOutcome> {
    return this.settings.updateSetting(principal, input);
  }
  /** Several settings as one change (configureConnector): one approval, applied together or not at all. */
  updateSettings(principal: Principal, input: Parameters<SettingProposals['updateSettings']>[1]): Promise<ProposalOutcome> {
    return this.settings.updateSettings(principal, input);
  }
  rollbackSetting(principal: Principal, input: Parameters<SettingProposals['rollbackSetting']>[1]): Promise<ProposalOutcome> {
    return this.settings.rollbackSetting(principal, input);
  }
  promoteSetting(principal: Principal, input: Parameters<SettingProposals['promoteSetting']>[1]): Promise<ProposalOutcome> {
    return this.settings.promoteSetting(principal, input);
  }
  proposeEhrWrite(principal: Principal, input: Parameters<EhrWriteProposals['proposeEhrWrite']>[1]): Promise<ProposalOutcome> {
    return this.ehrWrites.proposeEhrWrite(principal, input);
  }
  proposeRefund(principal: Principal, input: Parameters<EhrWriteProposals['proposeRefund']>[1]): Promise<ProposalOutcome> {
    return this.ehrWrites.proposeRefund(principal, input);
  }
  proposeAccess(...args: Parameters<AccessProposals['proposeAccess']>): Promise<ProposalOutcome> {
    return this.access.proposeAccess(...args);
  }
  resume(principal: Principal, input: Parameters<EmergencyActions['resume']>[1]): Promise<ProposalOutcome> {
    return this.emergency.resume(principal, input);
  }
  emergencyStop(principal: Principal, input: Parameters<EmergencyActions['emergencyStop']>[1]): Promise<{ value: StopState; version: number }> {
    return this.emergency.emergencyStop(principal, input);
  }

  // ---- decisions on an existing change -----------------------------------------------------------------------
  async approve(principal: Principal, id: string, comment?: string | null): Promise<ChangeRequest> {
    const canGrant = await this.access.canGrant(principal.tenant);
    return this.transition(principal.tenant, id, (change, currentVersion) =>
      approve(change, principal, { now: this.deps.now(), currentVersion, functionsOf: this.deps.functionsOf, comment: comment ?? null, canGrant }),
    );
  }

  reject(principal: Principal, id: string, reason: string): Promise<ChangeRequest> {
    return this.transition(principal.tenant, id, (change) => reject(change, principal, { now: this.deps.now(), reason, functionsOf: this.deps.functionsOf }));
  }

  cancel(principal: Principal, id: string): Promise<ChangeRequest> {
    return this.transition(principal.tenant, id, (change) => cancel(change, principal, { now: this.deps.now() }));
  }

  // ---- internals ---------------------------------------------------------------------------------------------
  private context(principal: Principal, input: { reason?: string | null; ticket?: string | null }) {
    return { id: this.deps.newId(), tenant: principal.tenant, requester: principal, functionsOf: this.deps.functionsOf, reason: input.reason ?? null, ticket: input.ticket ?? null, now: this.deps.now(), rules: this.deps.rules, stopPolicy: this.stopPolicy };
  }

  private propose(principal: Principal, ref: DocRef, build: (current: CurrentDoc) => Promise<ProposeChangeInput>, extraOps?: (next: ChangeRequest) => readonly CommitOp[]): Promise<ProposalOutcome> {
    // Proposals for one target queue here instead of racing each other; the compare-and-set below still decides
    // against other replicas.
    return this.proposals.run(`${principal.tenant}\u0000${ref.environment}\u0000${ref.id}`, () => this.proposeNow(principal, ref, build, extraOps));
  }

  private async proposeNow(
    principal: Principal,
    ref: DocRef,
    build: (current: CurrentDoc) => Promise<ProposeChangeInput>,
    extraOps?: (next: ChangeRequest) => readonly CommitOp[],
  ): Promise<ProposalOutcome> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const doc = await this.deps.store.getDoc(principal.tenant, ref);
      const input = await build({ doc, version: doc?.version ?? 0 });
      const agentAutonomy = await this.reads.agentAutonomy(principal, input.environment);
      const result = proposeChange({ ...input, agentAutonomy, applyMode: (this.deps.applyModeFor ?? defaultApplyMode)(input.target) });
      if (!result.ok) throw this.refusals.proposal(result.error, input);
      const nowIso = new Date(this.deps.now()).toISOString();
      const ops: CommitOp[] = [
        { type: 'put-change', change: result.next, expectedRev: 0 },
        ...effectsToOps(result.effects, result.next, nowIso),
        ...(this.deps.notificationOps?.(result.next) ?? []),
        ...(extraOps?.(result.next) ?? []),
      ];
      const committed = await this.deps.store.commit(principal.tenant, [...ops, ...(await supersedeCompetitors(this.deps.store, principal.tenant, ops, nowIso))]);
      if (!committed.ok) continue; // the target moved while we decided: decide again on the new version
      const change = await this.afterCommit(principal.tenant, result.next);
      return change.status === 'APPLIED' ? { status: 'APPLIED', change, version: change.appliedVersion } : { status: 'PENDING_APPROVAL', change };
    }
    throw contention();
  }

  /** Read, decide, compare-and-set; on a lost race read again. Persists EXPIRED/SUPERSEDED before reporting them. */
  private async transition(
    tenant: string,
    id: string,
    decide: (change: ChangeRequest, currentVersion: number) => TransitionResult,
    extraOps: readonly CommitOp[] = [],
  ): Promise<ChangeRequest> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const stored = await this.deps.store.getChange(tenant, id);
      // Another tenant's id is simply not found: tenants never see each other's queue.
      if (!stored) throw new NotFoundError('ChangeRequest', 'No such change request.');
      const { change } = stored;
      const result = decide(change, await currentTargetVersion(this.deps.store, tenant, change.environment, change.target));
      const next = result.next;
      if (!next) throw result.ok ? new GovernanceError({ code: 'CONFLICT', reason: 'NOT_OPEN', message: 'nothing to do' }) : this.refusals.change(result.error, change);
      const nowIso = new Date(this.deps.now()).toISOString();
      const ops: CommitOp[] = [
        { type: 'put-change', change: next, expectedRev: stored.rev },
        ...effectsToOps(result.effects ?? [], next, nowIso),
        ...(this.deps.notificationOps?.(next) ?? []),
        ...extraOps,
      ];
      // A change that applies ends its competitors in the same commit (supersede-competitors.ts).
      const committed = await this.deps.store.commit(tenant, [...ops, ...(await supersedeCompetitors(this.deps.store, tenant, ops, nowIso))]);
      if (!committed.ok) {
        await jitter(attempt);
        continue;
      }
      if (!result.ok) {
        // The refusal committed a state of its own (EXPIRED, SUPERSEDED): told like any other commit.
        this.deps.onCommitted?.(tenant, next);
        throw this.refusals.change(result.error, change);
      }
      return this.afterCommit(tenant, next);
    }
    throw contention();
  }

  private async afterCommit(tenant: string, change: ChangeRequest): Promise<ChangeRequest> {
    this.deps.onCommitted?.(tenant, change);
    if (change.status !== 'APPROVED' || this.deps.processOutboxInline === false) return change;
    await this.outbox.runTenant(tenant);
    return (await this.deps.store.getChange(tenant, change.id))?.change ?? change;
  }
}

/** Spreads retries of racing approvers so they do not collide again in lockstep. */
const jitter = (attempt: number) => new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 + attempt * 2)));
