import type { Principal } from '../../auth/principal.js';
import { NotFoundError } from '../../errors/errors.js';
import type { ChangeRequest } from '../../governance/change-request.js';
import type { TransitionError, TransitionResult } from '../../governance/transition-result.js';
import { approve, cancel, reject } from '../../governance/transitions.js';
import type { CommitOp } from '../../stores/governance-store.js';
import { GovernanceError } from '../../errors/governance-error.js';
import { canGrant } from './policy-in-force.js';
import { contention, MAX_ATTEMPTS, type GovernanceDeps } from './deps.js';
import { currentTargetVersion, effectsToOps } from './effects-to-ops.js';
import { runOutboxTenant } from './outbox-worker.js';
import { changeRefusal } from './refusals.js';
import { supersedeCompetitors } from './supersede-competitors.js';

// The core loop of a decision on an existing change: read it, decide with the pure transitions
// (src/governance/transitions.ts) on the target's version as stored, commit with compare-and-set; on a lost race
// read again and decide again, so an apply happens exactly once. Approve, reject and cancel are its callers here;
// lazy expiry (reads.ts) and the outbox's finish (outbox-worker.ts) call it too.
// transition.ts and outbox-worker.ts call each other on purpose: an approved change runs its outbox entry at once
// (afterCommit), and the outbox ends an entry with a transition.

export async function approveChange(
  deps: GovernanceDeps,
  principal: Principal,
  id: string,
  comment?: string | null,
): Promise<ChangeRequest> {
  const grant = await canGrant(deps, principal.tenant);
  return transition(deps, principal.tenant, id, async (change, currentVersion) =>
    approve(change, principal, {
      now: deps.now(),
      currentVersion,
      functionsOf: deps.functionsOf,
      comment: comment ?? null,
      canGrant: grant,
      applyRefusal: await applyRefusalOf(deps, principal.tenant, change),
    }),
  );
}

export function rejectChange(deps: GovernanceDeps, principal: Principal, id: string, reason: string): Promise<ChangeRequest> {
  return transition(deps, principal.tenant, id, (change) =>
    reject(change, principal, { now: deps.now(), reason, functionsOf: deps.functionsOf }),
  );
}

export function cancelChange(deps: GovernanceDeps, principal: Principal, id: string): Promise<ChangeRequest> {
  return transition(deps, principal.tenant, id, (change) => cancel(change, principal, { now: deps.now() }));
}

/** Why the change's effect may not be applied now (GovernanceDeps.applyRefusal), for a pending change only. */
export async function applyRefusalOf(deps: GovernanceDeps, tenant: string, change: ChangeRequest): Promise<TransitionError | null> {
  return change.status === 'PENDING' ? ((await deps.applyRefusal?.(tenant, change)) ?? null) : null;
}

/** Read, decide, compare-and-set; on a lost race read again. Persists EXPIRED/SUPERSEDED before reporting them. */
export async function transition(
  deps: GovernanceDeps,
  tenant: string,
  id: string,
  decide: (change: ChangeRequest, currentVersion: number) => TransitionResult | Promise<TransitionResult>,
  extraOps: readonly CommitOp[] = [],
): Promise<ChangeRequest> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const stored = await deps.store.getChange(tenant, id);
    // Another tenant's id is simply not found: tenants never see each other's queue.
    if (!stored) throw new NotFoundError('ChangeRequest', 'No such change request.');
    const { change } = stored;
    const result = await decide(change, await currentTargetVersion(deps.store, tenant, change.environment, change.target));
    const next = result.next;
    if (!next) {
      throw result.ok
        ? new GovernanceError({ code: 'CONFLICT', reason: 'NOT_OPEN', message: 'nothing to do' })
        : changeRefusal(deps, result.error, change);
    }
    const nowIso = new Date(deps.now()).toISOString();
    const ops: CommitOp[] = [
      { type: 'put-change', change: next, expectedRev: stored.rev },
      ...effectsToOps(result.effects ?? [], next, nowIso),
      ...(deps.notificationOps?.(next) ?? []),
      ...extraOps,
    ];
    // A change that applies ends its competitors in the same commit (supersede-competitors.ts).
    const committed = await deps.store.commit(tenant, [...ops, ...(await supersedeCompetitors(deps.store, tenant, ops, nowIso))]);
    if (!committed.ok) {
      await jitter(attempt);
      continue;
    }
    if (!result.ok) {
      // The refusal committed a state of its own (EXPIRED, SUPERSEDED): told like any other commit.
      deps.onCommitted?.(tenant, next);
      throw changeRefusal(deps, result.error, change);
    }
    return afterCommit(deps, tenant, next);
  }
  throw contention();
}

/** Tells the commit, and runs an approved change's outbox entry at once unless the deps say to leave it. */
export async function afterCommit(deps: GovernanceDeps, tenant: string, change: ChangeRequest): Promise<ChangeRequest> {
  deps.onCommitted?.(tenant, change);
  if (change.status !== 'APPROVED' || deps.processOutboxInline === false) return change;
  await runOutboxTenant(deps, tenant);
  return (await deps.store.getChange(tenant, change.id))?.change ?? change;
}

/** Spreads retries of racing approvers so they do not collide again in lockstep. */
const jitter = (attempt: number) => new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 + attempt * 2)));
