import type { Principal } from '../../auth/principal.js';
import type { ChangeRequest } from '../../governance/change-request.js';
import { isOpenAt, replaces } from '../../governance/open-proposals.js';
import { replace } from '../../governance/transitions.js';
import type { CommitOp, GovernanceStore } from '../../stores/governance-store.js';
import { effectsToOps } from './effects-to-ops.js';

// A requester's newer proposal replaces their own pending one on the same target and environment
// (src/governance/open-proposals.ts): the old one ends SUPERSEDED with `replacedBy` in the commit of the new one,
// with its audit record. Like supersede-competitors.ts, each replacement states the revision it read, so an approver
// who decided on the old change meanwhile fails the whole commit and the proposing loop decides again on what is
// stored: an approval is kept on the replaced change (or, if it completed it, the change is no longer pending and stays).

/** Open changes the store lists per status (more than any queue a tenant keeps, and than the cap per requester). */
const SCAN = 5000;

/**
 * The requester's open changes at `nowMs` (PENDING and not past its time to live, APPROVED), every environment,
 * through the store's status filter.
 */
export async function ownOpenChanges(store: GovernanceStore, requester: Principal, nowMs: number): Promise<ChangeRequest[]> {
  const open: ChangeRequest[] = [];
  for (const status of ['PENDING', 'APPROVED'] as const) open.push(...(await store.listChanges(requester.tenant, { status }, SCAN)));
  return open.filter((c) => c.requester.sub === requester.sub && isOpenAt(c, nowMs));
}

/** The ops that end every open change `next` replaces, except those `ending` already ends in the same commit. */
export async function replaceOwn(
  store: GovernanceStore,
  next: ChangeRequest,
  ownOpen: readonly ChangeRequest[],
  ending: readonly CommitOp[],
  nowIso: string,
): Promise<CommitOp[]> {
  const ended = new Set(ending.flatMap((op) => (op.type === 'put-change' ? [op.change.id] : [])));
  const ops: CommitOp[] = [];
  for (const listed of ownOpen) {
    if (ended.has(listed.id) || !replaces(next, listed)) continue;
    const stored = await store.getChange(next.tenant, listed.id);
    if (!stored) continue;
    const result = replace(stored.change, next, nowIso);
    if (!result.ok) continue; // decided meanwhile (no longer pending): nothing to end
    ops.push({ type: 'put-change', change: result.next, expectedRev: stored.rev }, ...effectsToOps(result.effects, result.next, nowIso));
  }
  return ops;
}
