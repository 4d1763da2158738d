import type { Principal } from '../auth/principal.js';
import { ConflictError, NotFoundError } from '../errors/errors.js';
import type { ApprovalRules } from '../governance/approval-rules.js';
import type { ChangeRequest } from '../governance/change-request.js';
import type { ChangeTarget } from '../governance/change-target.js';
import { DEFAULT_STOP_POLICY, RUNNING, type StopPolicy, type StopState } from '../governance/emergency-target.js';
import { resumeInput, stop } from '../governance/emergency-stop.js';
import type { Environment } from '../governance/environment.js';
import type { FunctionsOf } from '../governance/functions.js';
import type { JsonValue } from '../governance/json.js';
import { proposeChange, type ProposeChangeInput } from '../governance/propose-change.js';
import { AGENT_AUTONOMY_KEY, agentAutonomyKey, effectiveAutonomy } from '../governance/agent-autonomy.js';
import { findSetting } from '../governance/setting-catalog.js';
import type { SettingVersion } from '../governance/setting-history.js';
import { promotionInput, rollbackInput } from '../governance/setting-history.js';
import type { TransitionError, TransitionResult } from '../governance/transition-result.js';
import { defaultPolicy, type PolicyDocument } from '../../rules/policy-document.js';
import { emptyAccessDoc } from '../governance/access-entries.js';
import { grantCheck } from '../governance/access-approval.js';
import { ACCESS_ENVIRONMENT } from '../governance/approval-path.js';
import type { ChangeOrigin } from '../governance/change-request.js';
import { accessDocId, describeTarget } from '../governance/change-target.js';
import { changeExplanation, proposalExplanation } from '../governance/refusal-explanation.js';
import { approve, cancel, expire, reject } from '../governance/transitions.js';
import type { ChangeFilter, CommitOp, DocRef, DocVersion, GovernanceStore } from '../stores/governance-store.js';
import { effectsToOps, settingDocId, stopDocId, targetDocIdOf } from './effects-to-ops.js';
import { createOutboxWorker, type ConnectorEffectHandler, type OutboxWorker } from './outbox-worker.js';
import { GovernanceError } from './transition-error.js';

// Governed changes with I/O: reads from the store, asks the pure transitions what happens, and commits the result
// with compare-and-set. When the compare fails (another replica or approver got there first) it reads again and
// decides again, so the decision is always made on what is stored, and an apply happens exactly once.

export interface GovernanceDeps {
  readonly store: GovernanceStore;
  readonly rules: ApprovalRules;
  readonly functionsOf: FunctionsOf;
  readonly now: () => number;
  readonly newId: () => string;
  readonly stopPolicy?: StopPolicy;
  /** Changes whose apply reaches outside the store go through the outbox (default: connector settings). */
  readonly applyModeFor?: (target: ChangeTarget) => 'atomic' | 'outbox';
  readonly connectorEffects?: ConnectorEffectHandler;
  /** false: leave outbox entries for the worker (tests simulate a crash after the commit). Default true. */
  readonly processOutboxInline?: boolean;
  /** The tenant's policy in force (access changes are judged against it). Default: the default policy. */
  readonly policyOf?: (tenant: string) => Promise<PolicyDocument>;
  /** Told after every committed transition (the access cache drops what an access change made stale). */
  readonly onCommitted?: (tenant: string, change: ChangeRequest) => void;
}

export type ProposalOutcome =
  | { readonly status: 'APPLIED'; readonly change: ChangeRequest; readonly version: number }
  | { readonly status: 'PENDING_APPROVAL'; readonly change: ChangeRequest };

export interface SettingUpdate {
  readonly key: string;
  readonly environment: Environment;
  readonly value: unknown;
  readonly reason?: string | null;
  readonly ticket?: string | null;
  readonly expectedVersion?: number | null;
}

export interface CurrentSetting {
  readonly key: string;
  readonly environment: Environment;
  readonly value: JsonValue;
  readonly version: number;
  readonly updatedAt: string | null;
  readonly updatedBy: string | null;
}

const MAX_ATTEMPTS = 200;

const CONNECTOR_EFFECT = /^integration\.(?!webhookRoutes$)[a-z][a-z0-9-]*\.(baseUrl|scopes|writeBackEnabled|writeBackMappings)$/;

export function defaultApplyMode(target: ChangeTarget): 'atomic' | 'outbox' {
  // The approved write (a clinical write, a refund) reaches the EHR through the outbox.
  if (target.type === 'ehr-write' || target.type === 'refund') return 'outbox';
  return target.type === 'setting' && CONNECTOR_EFFECT.test(target.key) ? 'outbox' : 'atomic';
}

export function toSettingVersion(doc: DocVersion): SettingVersion {
  return { key: doc.ref.id.slice('setting:'.length), environment: doc.ref.environment, version: doc.version, value: doc.value, changedBy: doc.changedBy, changeId: doc.changeId ?? '', at: doc.at, reason: doc.reason };
}

export class GovernanceService {
  readonly outbox: OutboxWorker;
  private readonly stopPolicy: StopPolicy;

  constructor(private readonly deps: GovernanceDeps) {
    this.stopPolicy = deps.stopPolicy ?? DEFAULT_STOP_POLICY;
    this.outbox = createOutboxWorker({ store: deps.store, now: deps.now, connectorEffects: deps.connectorEffects, commitTransition: (t, id, f, ops) => this.transition(t, id, f, ops) });
  }

  // ---- reads -------------------------------------------------------------------------------------------------
  async currentSetting(tenant: string, key: string, environment: Environment): Promise<CurrentSetting> {
    const def = requireSetting(key);
    const doc = await this.deps.store.getDoc(tenant, { environment, id: settingDocId(key) });
    return { key, environment, value: doc?.value ?? def.defaultValue, version: doc?.version ?? 0, updatedAt: doc?.at ?? null, updatedBy: doc?.changedBy ?? null };
  }

  async settingHistory(tenant: string, key: string, environment: Environment): Promise<SettingVersion[]> {
    requireSetting(key);
    return (await this.deps.store.history(tenant, { environment, id: settingDocId(key) })).map(toSettingVersion);
  }

  async stopState(tenant: string, environment: Environment, target: string): Promise<{ value: StopState; version: number }> {
    const doc = await this.deps.store.getDoc(tenant, { environment, id: stopDocId(target) });
    return { value: (doc?.value as StopState | undefined) ?? RUNNING, version: doc?.version ?? 0 };
  }

  /** Current versions of every setting ever set in an environment (the catalog supplies defaults for the rest). */
  async storedSettings(tenant: string, environment: Environment): Promise<CurrentSetting[]> {
    const docs = await this.deps.store.listDocs(tenant, environment, 'setting:');
    return docs.map((d) => ({ key: d.ref.id.slice('setting:'.length), environment, value: d.value, version: d.version, updatedAt: d.at, updatedBy: d.changedBy }));
  }

  /** Every target with a stop state in an environment: stopped now, or stopped once and resumed since. */
  async stopStates(tenant: string, environment: Environment): Promise<{ target: string; value: StopState; version: number; at: string }[]> {
    const docs = await this.deps.store.listDocs(tenant, environment, 'stop:');
    return docs.map((d) => ({ target: d.ref.id.slice('stop:'.length), value: d.value as StopState, version: d.version, at: d.at }));
  }

  /**
   * The autonomy in force for an agent in an environment: its own `ai.agentAutonomy.<sub>` when ever set, else the
   * tenant-wide `ai.agentAutonomy` (null for people and services). Fed to proposeChange and explain.
   */
  async agentAutonomy(principal: Pick<Principal, 'tenant' | 'sub' | 'kind'>, environment: Environment): Promise<JsonValue | null> {
    if (principal.kind !== 'agent') return null;
    const key = agentAutonomyKey(principal.sub);
    const [own, tenantWide] = await Promise.all([key ? this.currentSetting(principal.tenant, key, environment) : null, this.currentSetting(principal.tenant, AGENT_AUTONOMY_KEY, environment)]);
    return effectiveAutonomy(own, tenantWide.value);
  }

  /**
   * What `approve` would decide for this principal now, by the same pure transition, without committing anything
   * (the API's `viewerCanApprove`).
   */
  async previewApproval(principal: Principal, change: ChangeRequest): Promise<TransitionResult> {
    const doc = await this.deps.store.getDoc(principal.tenant, { environment: change.environment, id: targetDocId(change) });
    return approve(change, principal, { now: this.deps.now(), currentVersion: doc?.version ?? 0, functionsOf: this.deps.functionsOf, canGrant: await this.canGrant(principal.tenant) });
  }

  async changeRequest(principal: Principal, id: string): Promise<ChangeRequest | null> {
    const stored = await this.deps.store.getChange(principal.tenant, id);
    return stored ? this.expireIfDue(principal.tenant, stored.change) : null;
  }

  async changeRequests(principal: Principal, filter: ChangeFilter, limit = 200): Promise<ChangeRequest[]> {
    // Expiry is lazy (no sweeper needed): a PENDING change past its time to live is expired as it is read, so an
    // EXPIRED filter must also look at PENDING ones.
    const changes = await this.deps.store.listChanges(principal.tenant, { ...filter, status: filter.status === 'EXPIRED' ? null : filter.status }, limit);
    const current = await Promise.all(changes.map((c) => this.expireIfDue(principal.tenant, c)));
    return filter.status ? current.filter((c) => c.status === filter.status) : current;
  }

  // ---- proposals ---------------------------------------------------------------------------------------------
  async updateSetting(principal: Principal, input: SettingUpdate): Promise<ProposalOutcome> {
    const def = requireSetting(input.key);
    return this.propose(principal, { environment: input.environment, id: settingDocId(input.key) }, async (current) => {
      if (input.expectedVersion !== undefined && input.expectedVersion !== null && input.expectedVersion !== current.version) {
        throw new ConflictError('STALE_VERSION', `${input.key} is at version ${current.version} in ${input.environment}, not ${input.expectedVersion}: reload and retry.`);
      }
      return {
        ...this.context(principal, input),
        environment: input.environment,
        target: { type: 'setting', key: input.key },
        current: { value: current.doc?.value ?? def.defaultValue, version: current.version },
        newValue: input.value,
      };
    });
  }

  async rollbackSetting(principal: Principal, input: { key: string; environment: Environment; toVersion: number; reason?: string | null; ticket?: string | null }): Promise<ProposalOutcome> {
    const def = requireSetting(input.key);
    return this.propose(principal, { environment: input.environment, id: settingDocId(input.key) }, async () => {
      const history = await this.settingHistory(principal.tenant, input.key, input.environment);
      const r = rollbackInput(history.length ? history : [emptyVersion(input.key, input.environment, def.defaultValue)], input.toVersion, { ...this.context(principal, input), defaultValue: def.defaultValue });
      if (!r.ok) throw new GovernanceError(r.error);
      return r.input;
    });
  }

  async promoteSetting(principal: Principal, input: { key: string; reason?: string | null; ticket?: string | null }): Promise<ProposalOutcome> {
    const def = requireSetting(input.key);
    return this.propose(principal, { environment: 'PRODUCTION', id: settingDocId(input.key) }, async () => {
      const [staging, production] = await Promise.all([
        this.settingHistory(principal.tenant, input.key, 'STAGING'),
        this.settingHistory(principal.tenant, input.key, 'PRODUCTION'),
      ]);
      const r = promotionInput(staging, production, { ...this.context(principal, input), key: input.key, defaultValue: def.defaultValue });
      if (!r.ok) throw new GovernanceError(r.error);
      return r.input;
    });
  }

  async resume(principal: Principal, input: { target: string; environment: Environment; reason?: string | null; ticket?: string | null }): Promise<ProposalOutcome> {
    return this.propose(principal, { environment: input.environment, id: stopDocId(input.target) }, async (current) => {
      const r = resumeInput(input.target, { ...this.context(principal, input), environment: input.environment, current: { value: (current.doc?.value as StopState | undefined) ?? RUNNING, version: current.version } });
      if (!r.ok) throw new GovernanceError(r.error);
      return r.input;
    });
  }

  /**
   * Proposes a clinical write (an AI agent's medication request): the draft is stored first under its own id, outside
   * the change (change snapshots reach the audit log and configuration readers; the draft is PHI), then the change of
   * `ehr-write:<draftId>` is proposed like any other. Approved, it is executed by the outbox's connector effect.
   */
  async proposeEhrWrite(principal: Principal, input: { environment: Environment; draftId: string; draft: JsonValue; value: JsonValue; reason?: string | null }): Promise<ProposalOutcome> {
    const draftRef = { environment: input.environment, id: `ehr-draft:${input.draftId}` };
    if (!(await this.deps.store.getDoc(principal.tenant, draftRef))) {
      const at = new Date(this.deps.now()).toISOString();
      await this.deps.store.commit(principal.tenant, [{ type: 'put-doc', doc: { ref: draftRef, version: 1, value: input.draft, changedBy: principal.sub, changeId: null, at, reason: null } }]);
    }
    return this.propose(principal, { environment: input.environment, id: targetDocIdOf({ type: 'ehr-write', draftId: input.draftId }) }, async (current) => ({
      ...this.context(principal, input),
      environment: input.environment,
      target: { type: 'ehr-write', draftId: input.draftId },
      current: { value: current.doc?.value ?? null, version: current.version },
      newValue: input.value,
    }));
  }

  /** Proposes a refund (issueRefund): applied at once up to the threshold in its value, else waiting for finance. */
  async proposeRefund(principal: Principal, input: { environment: Environment; refundId: string; value: JsonValue; reason: string }): Promise<ProposalOutcome> {
    const target = { type: 'refund' as const, refundId: input.refundId };
    return this.propose(principal, { environment: input.environment, id: targetDocIdOf(target) }, async (current) => ({
      ...this.context(principal, input),
      environment: input.environment,
      target,
      current: { value: current.doc?.value ?? null, version: current.version },
      newValue: input.value,
    }));
  }

  /** The stored draft of an ehr-write change (never part of the change itself). */
  async ehrDraft(tenant: string, environment: Environment, draftId: string): Promise<JsonValue | null> {
    return (await this.deps.store.getDoc(tenant, { environment, id: `ehr-draft:${draftId}` }))?.value ?? null;
  }

  /** Immediate: no approval. Audited in the same commit as the stop itself. */
  async emergencyStop(principal: Principal, input: { target: string; environment: Environment; reason: string }): Promise<{ value: StopState; version: number }> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.stopState(principal.tenant, input.environment, input.target);
      const r = stop(input.target, principal, { tenant: principal.tenant, environment: input.environment, reason: input.reason, now: this.deps.now(), current, policy: this.stopPolicy });
      if (!r.ok) throw new GovernanceError(r.error);
      const committed = await this.deps.store.commit(principal.tenant, effectsToOps(r.effects, null, new Date(this.deps.now()).toISOString()));
      if (committed.ok) return { value: r.record.state, version: r.record.version };
    }
    throw contention();
  }

  // ---- decisions on an existing change -----------------------------------------------------------------------
  async approve(principal: Principal, id: string, comment?: string | null): Promise<ChangeRequest> {
    const canGrant = await this.canGrant(principal.tenant);
    return this.transition(principal.tenant, id, (change, currentVersion) =>
      approve(change, principal, { now: this.deps.now(), currentVersion, functionsOf: this.deps.functionsOf, comment: comment ?? null, canGrant }),
    );
  }

  /** A governed change of an access document or the policy: `next` computes the new value from the stored one. */
  async proposeAccess(
    principal: Principal,
    target: Extract<ChangeTarget, { type: 'assignment' | 'access-request' | 'policy' }>,
    input: { reason?: string | null; ticket?: string | null; origin?: ChangeOrigin },
    next: (current: JsonValue | null, changeId: string, now: number) => JsonValue,
  ): Promise<ProposalOutcome> {
    const policy = await this.policyFor(principal.tenant);
    return this.propose(principal, { environment: ACCESS_ENVIRONMENT, id: accessDocId(target) }, async (current) => {
      const context = this.context(principal, input);
      const base = current.doc?.value ?? (target.type === 'policy' ? (policy as unknown as JsonValue) : emptyAccessDoc(target.sub));
      return { ...context, policy, environment: ACCESS_ENVIRONMENT, target, origin: input.origin, current: { value: base, version: current.version }, newValue: next(current.doc?.value ?? null, context.id, Number(context.now)) };
    });
  }

  private policyFor(tenant: string): Promise<PolicyDocument> {
    return this.deps.policyOf?.(tenant) ?? Promise.resolve(defaultPolicy());
  }

  private async canGrant(tenant: string) {
    const policy = await this.policyFor(tenant);
    return (approver: Principal, change: ChangeRequest) => grantCheck(policy, this.deps.functionsOf, approver, change, this.deps.now());
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

  private async propose(
    principal: Principal,
    ref: DocRef,
    build: (current: { doc: DocVersion | null; version: number }) => Promise<ProposeChangeInput>,
  ): Promise<ProposalOutcome> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const doc = await this.deps.store.getDoc(principal.tenant, ref);
      const input = await build({ doc, version: doc?.version ?? 0 });
      const agentAutonomy = await this.agentAutonomy(principal, input.environment);
      const result = proposeChange({ ...input, agentAutonomy, applyMode: (this.deps.applyModeFor ?? defaultApplyMode)(input.target) });
      if (!result.ok) throw this.refusal(result.error, input);
      const nowIso = new Date(this.deps.now()).toISOString();
      const committed = await this.deps.store.commit(principal.tenant, [{ type: 'put-change', change: result.next, expectedRev: 0 }, ...effectsToOps(result.effects, result.next, nowIso)]);
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
      const ref = targetDocIdOf(change.target);
      const doc = await this.deps.store.getDoc(tenant, { environment: change.environment, id: ref });
      const result = decide(change, doc?.version ?? 0);
      const next = result.next;
      if (!next) throw result.ok ? new GovernanceError({ code: 'CONFLICT', reason: 'NOT_OPEN', message: 'nothing to do' }) : this.changeRefusal(result.error, change);
      const nowIso = new Date(this.deps.now()).toISOString();
      const committed = await this.deps.store.commit(tenant, [
        { type: 'put-change', change: next, expectedRev: stored.rev },
        ...effectsToOps(result.effects ?? [], next, nowIso),
        ...extraOps,
      ]);
      if (!committed.ok) {
        await jitter(attempt);
        continue;
      }
      if (!result.ok) throw this.changeRefusal(result.error, change);
      return this.afterCommit(tenant, next);
    }
    throw contention();
  }

  /** A refused proposal; FORBIDDEN carries the owner and the approval path (explainable permissions). */
  private refusal(error: TransitionError, input: ProposeChangeInput): GovernanceError {
    if (error.code !== 'FORBIDDEN') return new GovernanceError(error);
    const d = describeTarget(input.target, this.deps.rules, this.stopPolicy, input.policy);
    return new GovernanceError(error, d.ok ? proposalExplanation(d.descriptor, input.environment, this.deps.rules, input.requester.kind, this.deps.functionsOf) : undefined);
  }

  private changeRefusal(error: TransitionError, change: ChangeRequest): GovernanceError {
    if (error.code !== 'FORBIDDEN') return new GovernanceError(error);
    // Access targets are described with the default policy here: only the owner role and editors are read from it.
    const d = describeTarget(change.target, this.deps.rules, this.stopPolicy, defaultPolicy());
    return new GovernanceError(error, changeExplanation(change, d.ok ? d.descriptor : null, this.deps.functionsOf));
  }

  private async afterCommit(tenant: string, change: ChangeRequest): Promise<ChangeRequest> {
    this.deps.onCommitted?.(tenant, change);
    if (change.status !== 'APPROVED' || this.deps.processOutboxInline === false) return change;
    await this.outbox.runTenant(tenant);
    return (await this.deps.store.getChange(tenant, change.id))?.change ?? change;
  }

  private async expireIfDue(tenant: string, change: ChangeRequest): Promise<ChangeRequest> {
    if (change.status !== 'PENDING' || Date.parse(change.expiresAt) > this.deps.now()) return change;
    try {
      return await this.transition(tenant, change.id, (c) => expire(c, this.deps.now()));
    } catch (e) {
      if (e instanceof GovernanceError) return (await this.deps.store.getChange(tenant, change.id))?.change ?? change;
      throw e;
    }
  }
}

const targetDocId = (change: ChangeRequest) => targetDocIdOf(change.target);

function requireSetting(key: string) {
  const def = findSetting(key);
  if (!def) throw new NotFoundError('Setting', `No setting ${JSON.stringify(key).slice(0, 80)} in the catalog.`);
  return def;
}

function emptyVersion(key: string, environment: Environment, value: JsonValue): SettingVersion {
  return { key, environment, version: 0, value, changedBy: 'default', changeId: '', at: new Date(0).toISOString(), reason: null };
}

const contention = () => new ConflictError('CONTENTION', 'Too many concurrent updates of this change; nothing was applied by this request. Retry.');

/** Spreads retries of racing approvers so they do not collide again in lockstep. */
const jitter = (attempt: number) => new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 + attempt * 2)));
