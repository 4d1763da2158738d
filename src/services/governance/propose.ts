import type { Principal } from '../../auth/principal.js';
import { GovernanceError } from '../../errors/governance-error.js';
import type { ChangeRequest } from '../../governance/change-request.js';
import type { TransitionError } from '../../governance/transition-result.js';
import { DEFAULT_STOP_POLICY } from '../../governance/emergency-target.js';
import { isOpen, openProposalRefusal } from '../../governance/open-proposals.js';
import { proposeChange, type ProposeChangeInput } from '../../governance/propose-change.js';
import type { CommitOp, DocRef } from '../../stores/governance-store.js';
import { defaultApplyMode } from './apply-mode.js';
import { contention, MAX_ATTEMPTS, type CurrentDoc, type GovernanceDeps, type ProposalOutcome } from './deps.js';
import { effectsToOps } from './effects-to-ops.js';
import { policyInForce } from './policy-in-force.js';
import { agentAutonomyOf } from './reads.js';
import { proposalRefusal } from './refusals.js';
import { ownOpenChanges, replaceOwn } from './replace-own.js';
import { supersedeCompetitors } from './supersede-competitors.js';
import { afterCommit } from './transition.js';

// The core loop of a new governed change: read the target, build the proposal on what is stored, decide with the
// pure proposeChange (src/governance/propose-change.ts), commit with compare-and-set; when the compare fails
// (another replica or proposer got there first) read again and decide again, so the decision is always made on
// what is stored. The kinds of change (setting-proposals.ts, ehr-write-proposals.ts, access-proposals.ts,
// emergency-actions.ts) call it with their own `build`.

/** A fresh change id, the requester, the clock, the rules and the stop policy, with the request's reason and ticket. */
export function proposalContext(deps: GovernanceDeps, principal: Principal, input: { reason?: string | null; ticket?: string | null }) {
  return {
    id: deps.newId(),
    tenant: principal.tenant,
    requester: principal,
    functionsOf: deps.functionsOf,
    reason: input.reason ?? null,
    ticket: input.ticket ?? null,
    now: deps.now(),
    rules: deps.rules,
    stopPolicy: deps.stopPolicy ?? DEFAULT_STOP_POLICY,
  };
}

/** What a kind of change adds to the core loop (refunds: their ledgers, and a client key's "attempted" mark). */
export interface ProposeHooks {
  /** Writes of the proposer's own for the same atomic commit, given the change as decided. */
  readonly extraOps?: (next: ChangeRequest) => readonly CommitOp[];
  /**
   * Called right before each commit: after it, an error may come from a commit that took place (a store reply lost),
   * so an idempotency key must record "outcome unknown" rather than free itself (idempotent-once.ts `attempt`).
   */
  readonly beforeCommit?: () => void;
}

/** Reads the target, builds the proposal on what is stored, decides, compare-and-sets; on a lost race, again. */
export function propose(
  deps: GovernanceDeps,
  principal: Principal,
  ref: DocRef,
  build: (current: CurrentDoc) => Promise<ProposeChangeInput>,
  hooks: ProposeHooks = {},
): Promise<ProposalOutcome> {
  // Proposals for one target queue here (deps.locks: one queue per gateway) instead of racing each other; the
  // compare-and-set below still decides against other replicas.
  const key = `${principal.tenant}\u0000${ref.environment}\u0000${ref.id}`;
  const run = () => deps.locks.run(key, () => proposeNow(deps, principal, ref, build, hooks));
  if (deps.maxOpenProposals === undefined) return run();
  // The cap counts the requester's open changes on every target, read before the commit: one requester's proposals
  // queue here too (always before the target's queue, so no cycle), else concurrent ones on different targets all read
  // the count below the cap and all commit (40 at a cap of 3 on Redis). Replicas may still pass it by a few.
  return deps.locks.run(`${principal.tenant}\u0000requester\u0000${principal.sub}`, run);
}

async function proposeNow(
  deps: GovernanceDeps,
  principal: Principal,
  ref: DocRef,
  build: (current: CurrentDoc) => Promise<ProposeChangeInput>,
  hooks: ProposeHooks,
): Promise<ProposalOutcome> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const doc = await deps.store.getDoc(principal.tenant, ref);
    // Every proposal is judged against the policy in force: access targets, and settings whose change needs a data
    // permission (connector credentials: only editors holding `write` on credentials; change-target.ts).
    const built = await build({ doc, version: doc?.version ?? 0 });
    const input = built.policy ? built : { ...built, policy: await policyInForce(deps, principal.tenant) };
    const agentAutonomy = await agentAutonomyOf(deps, principal, input.environment);
    const result = proposeChange({ ...input, agentAutonomy, applyMode: (deps.applyModeFor ?? defaultApplyMode)(input.target) });
    if (!result.ok) throw proposalRefusal(deps, result.error, input);
    const nowIso = new Date(deps.now()).toISOString();
    const ops: CommitOp[] = [
      { type: 'put-change', change: result.next, expectedRev: 0 },
      ...effectsToOps(result.effects, result.next, nowIso),
      ...(deps.notificationOps?.(result.next) ?? []),
      ...(hooks.extraOps?.(result.next) ?? []),
    ];
    const competitors = await supersedeCompetitors(deps.store, principal.tenant, ops, nowIso);
    const replaced = await openProposalOps(deps, principal, result.next, [...ops, ...competitors], nowIso);
    hooks.beforeCommit?.();
    const committed = await deps.store.commit(principal.tenant, [...ops, ...competitors, ...replaced]);
    if (!committed.ok) continue; // the target or a replaced change moved while we decided: decide again on what is stored
    const change = await afterCommit(deps, principal.tenant, result.next);
    return change.status === 'APPLIED'
      ? { status: 'APPLIED', change, version: change.appliedVersion }
      : { status: 'PENDING_APPROVAL', change };
  }
  throw contention();
}

/**
 * The cap's refusal (deps.maxOpenProposals) for one more open proposal of `principal` on `target` in `environment`,
 * as openProposalOps would refuse it when it is proposed; null when it may be. explain asks it without proposing.
 */
export async function openProposalCapRefusal(
  deps: GovernanceDeps,
  principal: Principal,
  target: ChangeRequest['target'],
  environment: ChangeRequest['environment'],
): Promise<TransitionError | null> {
  if (deps.maxOpenProposals === undefined) return null;
  const ownOpen = await ownOpenChanges(deps.store, principal, deps.now());
  const requester = { sub: principal.sub, roles: [...principal.roles], functions: [], kind: principal.kind };
  const candidate = { id: '', status: 'PENDING' as const, tenant: principal.tenant, requester, environment, target };
  return openProposalRefusal(candidate, ownOpen, deps.maxOpenProposals);
}

/**
 * For a change that stays open: the ops ending the requester's open changes it replaces, after the cap on open
 * proposals per requester (deps.maxOpenProposals) is checked against the rest (src/governance/open-proposals.ts).
 */
async function openProposalOps(
  deps: GovernanceDeps,
  principal: Principal,
  next: ChangeRequest,
  ending: readonly CommitOp[],
  nowIso: string,
): Promise<CommitOp[]> {
  if (!isOpen(next)) return [];
  const ownOpen = await ownOpenChanges(deps.store, principal, Date.parse(nowIso));
  const refused = deps.maxOpenProposals === undefined ? null : openProposalRefusal(next, ownOpen, deps.maxOpenProposals);
  if (refused) throw new GovernanceError(refused);
  return replaceOwn(deps.store, next, ownOpen, ending, nowIso);
}
