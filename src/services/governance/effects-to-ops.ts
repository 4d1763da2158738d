import { changeEvent, type AuditRecordBody } from '../../audit/audit-event.js';
import { auditAppend } from '../../audit/chain.js';
import type { ChangeRequest } from '../../governance/change-request.js';
import { accessDocId } from '../../governance/change-target.js';
import type { StopTargetEffect } from '../../governance/emergency-stop.js';
import type { AuditEffect, Effect } from '../../governance/transition-result.js';
import type { CommitOp, DocVersion, GovernanceStore } from '../../stores/governance-store.js';
import type { Environment } from '../../governance/environment.js';

// Turns the effects a pure transition returns into the store writes that go in the same atomic commit.

export const settingDocId = (key: string) => `setting:${key}`;
export const stopDocId = (target: string) => `stop:${target}`;
const ehrWriteDocId = (draftId: string) => `ehr-write:${draftId}`;
/** The draft of an ehr-write change, stored apart from the change (the draft is PHI). */
export const ehrDraftDocId = (draftId: string) => `ehr-draft:${draftId}`;
const refundDocId = (refundId: string) => `refund:${refundId}`;

/** Every versioned document a change writes (several for a compound setting change). */
const targetDocIdsOf = (target: ChangeRequest['target']): string[] =>
  target.type === 'settings' ? target.entries.map((e) => settingDocId(e.key)) : [targetDocIdOf(target)];

/** The versioned document a change writes (a compound change: a label naming its settings, not a stored document). */
export function targetDocIdOf(target: ChangeRequest['target']): string {
  switch (target.type) {
    case 'setting':
      return settingDocId(target.key);
    case 'settings':
      return `settings:${target.entries.map((e) => e.key).join(',')}`;
    case 'emergency-resume':
      return stopDocId(target.target);
    case 'ehr-write':
      return ehrWriteDocId(target.draftId);
    case 'refund':
      return refundDocId(target.refundId);
    case 'assignment':
    case 'access-request':
    case 'policy':
      return accessDocId(target);
  }
}

export function effectsToOps(effects: readonly (Effect | StopTargetEffect)[], change: ChangeRequest | null, nowIso: string): CommitOp[] {
  // All audit events of one commit form one chained record, written in the same atomic step as the change itself:
  // no audit, no action.
  const events = effects.flatMap((e) => (e.type === 'audit' ? [changeEvent(e, change)] : []));
  const ops = effects.filter((e): e is Exclude<typeof e, AuditEffect> => e.type !== 'audit').flatMap((effect): CommitOp[] => {
    switch (effect.type) {
      case 'apply-settings':
        // One put-doc per setting, each conditional on its own version: all in the same commit, so all or none.
        return effect.entries.map((entry) => ({
          type: 'put-doc',
          doc: {
            ref: { environment: effect.environment, id: settingDocId(entry.key) },
            version: entry.version,
            value: entry.value,
            changedBy: change?.requester.sub ?? 'system',
            changeId: change?.id ?? null,
            at: nowIso,
            reason: change?.reason ?? null,
          },
        }));
      case 'apply-setting':
      case 'resume-target':
      case 'apply-ehr-write':
      case 'apply-refund':
      case 'apply-doc':
      case 'stop-target': {
        const id = docIdOfEffect(effect);
        const doc: DocVersion = {
          ref: { environment: effect.environment, id },
          version: effect.version,
          value: effect.value,
          changedBy: change?.requester.sub ?? (effect.type === 'stop-target' ? stoppedBy(effect) : 'system'),
          changeId: change?.id ?? null,
          at: nowIso,
          reason: change?.reason ?? (effect.type === 'stop-target' ? stopReason(effect) : null),
        };
        return [{ type: 'put-doc', doc }];
      }
      case 'outbox':
        return [{ type: 'outbox-add', idempotencyKey: effect.idempotencyKey, changeId: effect.changeId }];
    }
  });
  if (events.length === 0) return ops;
  const body: AuditRecordBody = { v: 1, tenant: events[0]!.tenant, events };
  return [...ops, { type: 'audit', record: auditAppend(body) }];
}

/** The document an apply (or stop) effect writes. */
function docIdOfEffect(effect: Exclude<Effect, AuditEffect | { type: 'outbox' } | { type: 'apply-settings' }> | StopTargetEffect): string {
  switch (effect.type) {
    case 'apply-setting':
      return settingDocId(effect.key);
    case 'apply-ehr-write':
      return ehrWriteDocId(effect.draftId);
    case 'apply-refund':
      return refundDocId(effect.refundId);
    case 'apply-doc':
      return effect.docId;
    case 'resume-target':
    case 'stop-target':
      return stopDocId(effect.target);
  }
}

const field = (effect: StopTargetEffect, name: string): string | null => {
  const v = (effect.value as Record<string, unknown> | null)?.[name];
  return typeof v === 'string' ? v : null;
};
const stoppedBy = (effect: StopTargetEffect) => field(effect, 'by') ?? 'system';
const stopReason = (effect: StopTargetEffect) => field(effect, 'reason');

/**
 * The version a change's target is at: its document's, or for a compound setting change the sum of its settings'
 * versions (versions only grow, so the sum moves whenever any of them moves: a change computed on other versions is
 * stale, as for one setting).
 */
export async function currentTargetVersion(
  store: Pick<GovernanceStore, 'getDoc'>,
  tenant: string,
  environment: Environment,
  target: ChangeRequest['target'],
): Promise<number> {
  const docs = await Promise.all(targetDocIdsOf(target).map((id) => store.getDoc(tenant, { environment, id })));
  return docs.reduce((sum, d) => sum + (d?.version ?? 0), 0);
}
