import type { ChangeRequest } from '../governance/change-request.js';
import { supersede } from '../governance/transitions.js';
import type { CommitOp, GovernanceStore } from '../stores/governance-store.js';
import { effectsToOps, targetDocIdOf } from './effects-to-ops.js';

// When a commit writes a new version of a target, every other open change of that target (PENDING, or APPROVED and
// waiting in the outbox) was computed against an older version and can never apply: it ends SUPERSEDED in the same
// commit, with its audit record, so no approver spends time on it. Each supersession states the revision it read,
// so a competitor that moved meanwhile fails the whole commit and the caller decides again.

/** Open changes the store scans per status for one target write (more than any queue a tenant keeps). */
const SCAN = 1000;

export async function supersedeCompetitors(store: GovernanceStore, tenant: string, ops: readonly CommitOp[], nowIso: string): Promise<CommitOp[]> {
  const writes = ops.flatMap((op) => (op.type === 'put-doc' ? [op.doc] : []));
  if (writes.length === 0) return [];
  const own = new Set(ops.flatMap((op) => (op.type === 'put-change' ? [op.change.id] : [])));
  const envs = [...new Set(writes.map((d) => d.ref.environment))];
  const open: ChangeRequest[] = [];
  for (const environment of envs) {
    for (const status of ['PENDING', 'APPROVED'] as const) open.push(...(await store.listChanges(tenant, { status, environment }, SCAN)));
  }
  const extra: CommitOp[] = [];
  for (const change of open) {
    if (own.has(change.id)) continue;
    const write = writes.find((d) => d.ref.environment === change.environment && d.ref.id === targetDocIdOf(change.target));
    if (!write || write.version === change.baseVersion) continue;
    const stored = await store.getChange(tenant, change.id);
    if (!stored) continue;
    const result = supersede(stored.change, write.version, nowIso);
    if (!result.ok || !result.next) continue; // no longer open: nothing to end
    extra.push({ type: 'put-change', change: result.next, expectedRev: stored.rev }, ...effectsToOps(result.effects ?? [], result.next, nowIso));
  }
  return extra;
}
