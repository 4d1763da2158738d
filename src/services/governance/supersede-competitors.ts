import type { ChangeRequest } from '../../governance/change-request.js';
import { supersede } from '../../governance/transitions.js';
import type { CommitOp, GovernanceStore } from '../../stores/governance-store.js';
import { effectsToOps, settingDocId, targetDocIdOf } from './effects-to-ops.js';
import type { DocVersion } from '../../stores/governance-store.js';

// When a commit writes a new version of a target, every other open change of that target (PENDING, or APPROVED and
// waiting in the outbox) was computed against an older version and can never apply: it ends SUPERSEDED in the same
// commit, with its audit record, so no approver spends time on it. Each supersession states the revision it read,
// so a competitor that moved meanwhile fails the whole commit and the caller decides again.

/** Open changes the store scans per status for one target write (more than any queue a tenant keeps). */
const SCAN = 1000;

export async function supersedeCompetitors(
  store: GovernanceStore,
  tenant: string,
  ops: readonly CommitOp[],
  nowIso: string,
): Promise<CommitOp[]> {
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
    const current = currentVersionAfter(change, writes);
    if (current === null || current === change.baseVersion) continue;
    const stored = await store.getChange(tenant, change.id);
    if (!stored) continue;
    const result = supersede(stored.change, current, nowIso);
    if (!result.ok || !result.next) continue; // no longer open: nothing to end
    extra.push(
      { type: 'put-change', change: result.next, expectedRev: stored.rev },
      ...effectsToOps(result.effects ?? [], result.next, nowIso),
    );
  }
  return extra;
}

/**
 * The version the change's target is at once `writes` commit, or null when they do not touch it. A compound setting
 * change counts the sum of its settings' versions (effects-to-ops.ts, currentTargetVersion): a write of any of them
 * moves it.
 */
function currentVersionAfter(change: ChangeRequest, writes: readonly DocVersion[]): number | null {
  const at = (id: string) => writes.find((d) => d.ref.environment === change.environment && d.ref.id === id);
  if (change.target.type !== 'settings') return at(targetDocIdOf(change.target))?.version ?? null;
  const moved = change.target.entries.map((e) => ({ e, write: at(settingDocId(e.key)) }));
  if (moved.every((m) => !m.write)) return null;
  return moved.reduce((sum, m) => sum + (m.write && m.write.version !== m.e.baseVersion ? m.write.version : m.e.baseVersion), 0);
}
