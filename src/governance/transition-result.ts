import type { ChangeRequest } from './change-request.js';
import { accessDocId } from './change-target.js';
import type { Environment } from './environment.js';
import type { JsonValue } from './json.js';
import type { Problem } from './setting-catalog.js';

// What a transition returns: the next state of the change and the effects the store must perform with it
// (atomically: persist `next` only if the stored change is still the one given to the transition), or a typed
// refusal. Codes are the client-visible codes of src/errors/error-codes.ts; reasons are stable machine reasons.

export type TransitionErrorCode = 'FORBIDDEN' | 'CONFLICT' | 'BAD_USER_INPUT' | 'NOT_FOUND';

export type TransitionReason =
  | 'WRONG_TENANT'
  | 'NOT_PENDING'
  | 'NOT_APPROVED'
  | 'NOT_OPEN'
  | 'EXPIRED'
  | 'NOT_EXPIRED'
  | 'STALE_BASE_VERSION'
  | 'NOT_STALE'
  | 'SELF_APPROVAL'
  | 'SELF_REJECTION'
  | 'ALREADY_APPROVED'
  | 'NOT_AN_APPROVER'
  | 'NOT_AN_EDITOR'
  | 'ROLE_NOT_IN_ENVIRONMENT'
  | 'MFA_REQUIRED'
  | 'SAME_FUNCTION'
  | 'FUNCTION_NOT_NEEDED'
  | 'NOT_REQUESTER'
  | 'UNKNOWN_TARGET'
  | 'INVALID_VALUE'
  | 'INVALID_INPUT'
  | 'REASON_REQUIRED'
  | 'CLINICAL_TEXT'
  | 'NO_CHANGE'
  | 'UNKNOWN_VERSION'
  | 'NOT_ALLOWED_TO_STOP'
  | 'ALREADY_STOPPED'
  | 'NOT_STOPPED'
  | 'SELF_ASSIGNMENT'
  | 'SELF_BENEFIT'
  | 'CANNOT_GRANT_UNHELD'
  | 'NOT_ELIGIBLE'
  | 'OUTSIDE_DEPARTMENTS'
  | 'UNKNOWN_ENTRY'
  | 'NOT_REPLACEABLE'
  | 'TOO_MANY_OPEN_PROPOSALS'
  /** The EHR write-back gate (src/services/write-back/write-back-gate.ts), asked again when a clinical write is approved. */
  | 'WRITE_BACK_DISABLED'
  | 'CONNECTOR_STOPPED'
  | 'SCOPE_NOT_CONFIGURED'
  | 'NOT_MAPPED'
  | 'AGENT_STOPPED';

/**
 * The scope a refusal failed on, where its reason names one: a role held only in another environment fails on the
 * environment. The refused action's error and `explain` both say it (src/services/governance/refusals.ts).
 */
export const refusalScope = (reason: TransitionReason): 'environment' | null =>
  reason === 'ROLE_NOT_IN_ENVIRONMENT' ? 'environment' : null;

export interface TransitionError {
  readonly code: TransitionErrorCode;
  readonly reason: TransitionReason;
  readonly message: string;
  /** For BAD_USER_INPUT: each problem names its field (`value.threshold`, `reason`). */
  readonly problems?: readonly Problem[];
  /**
   * Extensions the refusal carries as they are (the write-back gate's `connector` and `environment`): such a refusal
   * is answered exactly as the action it stands for answers it, without an approval path.
   */
  readonly extensions?: Readonly<Record<string, string>>;
}

interface ApplyCommon {
  readonly changeId: string;
  readonly tenant: string;
  readonly environment: Environment;
  readonly value: JsonValue;
  /** The version the target gets; the store writes it only if the target is at version - 1. */
  readonly version: number;
  /** `${changeId}:apply`: performing the effect twice must do it once. */
  readonly idempotencyKey: string;
}

export type ApplyEffect =
  | (ApplyCommon & { readonly type: 'apply-setting'; readonly key: string })
  /** A compound change: each setting gets its own next version, all in the one commit (`value` holds each key's). */
  | (ApplyCommon & {
      readonly type: 'apply-settings';
      readonly entries: readonly { readonly key: string; readonly version: number; readonly value: JsonValue }[];
    })
  | (ApplyCommon & { readonly type: 'resume-target'; readonly target: string })
  | (ApplyCommon & { readonly type: 'apply-ehr-write'; readonly draftId: string })
  | (ApplyCommon & { readonly type: 'apply-refund'; readonly refundId: string })
  /** Access documents (assignments, the policy): `docId` as in accessDocId. */
  | (ApplyCommon & { readonly type: 'apply-doc'; readonly docId: string });

export type AuditAction =
  | 'change.proposed'
  | 'change.approved'
  | 'change.applied'
  | 'change.rejected'
  | 'change.cancelled'
  | 'change.expired'
  | 'change.superseded'
  | 'change.failed'
  | 'emergency.stopped'
  | 'access.break-glass'
  | 'access.reviewed';

export interface AuditEffect {
  readonly type: 'audit';
  readonly action: AuditAction;
  /** null for an emergency stop (immediate: there is no change request). */
  readonly changeId: string | null;
  readonly tenant: string;
  readonly environment: Environment;
  /** null when no person acted (expiry, supersession detected by the system). */
  readonly actor: string | null;
  /**
   * The actor's kind and roles, for actions with no change request to carry them (an emergency stop, break-glass, an
   * access review): the event alone says who acted as what. A change's transitions have them in its snapshot.
   */
  readonly acting?: { readonly kind: string; readonly roles: readonly string[] };
  readonly at: string;
  readonly detail: { readonly [key: string]: JsonValue };
}

interface OutboxEffect {
  readonly type: 'outbox';
  readonly changeId: string;
  readonly tenant: string;
  readonly idempotencyKey: string;
  /** What the outbox worker performs; it then calls markApplied or markFailed. */
  readonly apply: ApplyEffect;
}

export type Effect = ApplyEffect | OutboxEffect | AuditEffect;

export type TransitionResult =
  | { readonly ok: true; readonly next: ChangeRequest; readonly effects: readonly Effect[] }
  | {
      readonly ok: false;
      readonly error: TransitionError;
      /**
       * Set when the refused action revealed that the change has ended (EXPIRED, SUPERSEDED): the store persists
       * this transition and its effects, then reports the error.
       */
      readonly next?: ChangeRequest;
      readonly effects?: readonly Effect[];
    };

export const refuse = (
  code: TransitionErrorCode,
  reason: TransitionReason,
  message: string,
  problems?: readonly Problem[],
): TransitionResult => ({
  ok: false,
  error: problems ? { code, reason, message, problems } : { code, reason, message },
});

export const badInput = (reason: TransitionReason, problems: readonly Problem[]): TransitionResult =>
  refuse('BAD_USER_INPUT', reason, problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems);

export function audit(
  change: ChangeRequest,
  action: AuditAction,
  actor: string | null,
  at: string,
  detail: AuditEffect['detail'] = {},
): AuditEffect {
  return { type: 'audit', action, changeId: change.id, tenant: change.tenant, environment: change.environment, actor, at, detail };
}

/** The effect that applies a change: written for the change's target at baseVersion + 1. */
export function applyEffectFor(change: ChangeRequest): ApplyEffect {
  const base = {
    changeId: change.id,
    tenant: change.tenant,
    environment: change.environment,
    value: change.after,
    version: change.baseVersion + 1,
    idempotencyKey: `${change.id}:apply`,
  };
  switch (change.target.type) {
    case 'setting':
      return { ...base, type: 'apply-setting', key: change.target.key };
    case 'settings': {
      const after = change.after as { readonly [key: string]: JsonValue };
      const entries = change.target.entries.map((e) => ({ key: e.key, version: e.baseVersion + 1, value: after[e.key] ?? null }));
      return { ...base, type: 'apply-settings', entries };
    }
    case 'emergency-resume':
      return { ...base, type: 'resume-target', target: change.target.target };
    case 'ehr-write':
      return { ...base, type: 'apply-ehr-write', draftId: change.target.draftId };
    case 'refund':
      return { ...base, type: 'apply-refund', refundId: change.target.refundId };
    case 'assignment':
    case 'access-request':
    case 'policy':
      return { ...base, type: 'apply-doc', docId: accessDocId(change.target) };
  }
}
