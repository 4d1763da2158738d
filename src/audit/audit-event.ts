import type { ChangeRequest } from '../governance/change-request.js';
import { accessDocId } from '../governance/change-target.js';
import type { JsonValue } from '../governance/json.js';
import type { AuditEffect } from '../governance/transition-result.js';

// What the audit log holds. One record (one link of the chain) carries the events of one commit or one request: a
// governed change's transition with its snapshot, or one PHI-read event per patient a request read. Never PHI
// values, never secrets: PHI-read events name patients, data classes and fields, not what they contained.

export type AuditCategory = 'phi-read' | 'change' | 'emergency' | 'auth' | 'access' | 'policy';
export type AuditOutcome = 'success' | 'failure';

export interface AuditActor {
  readonly sub: string;
  readonly kind?: string;
  readonly roles?: readonly string[];
}

interface EventBase {
  readonly at: string;
  readonly tenant: string;
  readonly action: string;
  readonly outcome: AuditOutcome;
  readonly actor: AuditActor | null;
  readonly requestId?: string | null;
}

export interface PhiReadEvent extends EventBase {
  readonly category: 'phi-read';
  readonly patientId: string;
  readonly dataClasses: readonly string[];
  readonly fields: readonly string[];
  readonly operation: string | null;
  readonly breakGlass: boolean;
}

export interface ChangeEvent extends EventBase {
  readonly category: 'change' | 'emergency' | 'access' | 'policy';
  readonly changeId: string | null;
  readonly environment: string;
  readonly target: string;
  readonly settingCategory: string | null;
  readonly risk: string | null;
  readonly status: string | null;
  readonly before: JsonValue;
  readonly after: JsonValue;
  readonly reason: string | null;
  readonly ticket: string | null;
  /** The approval trail at this point: approver, the function it counted for, MFA, comment, time. */
  readonly approvals: readonly {
    sub: string;
    roleUsed: string;
    functions: readonly string[];
    mfa: boolean;
    comment: string | null;
    at: string;
  }[];
  readonly detail: { readonly [key: string]: JsonValue };
  /** The patient whose record the change concerns (write-back, break-glass, a medication proposal), for the patient filter. */
  readonly patientId?: string;
}

export interface AuthEvent extends EventBase {
  readonly category: 'auth';
  /** The verification failure reason (never the token); of a counted window, the most frequent one. */
  readonly reason: string;
  /** Failed logins counted into this one event (src/services/audit/failed-login.ts). */
  readonly count?: number;
  /** Where they came from (the client IP). */
  readonly source?: string;
  readonly windowStart?: string;
  readonly reasons?: { readonly [reason: string]: number };
  /** Subjects the failed tokens claimed: unverified, never the actor. */
  readonly claimedSubjects?: readonly string[];
}

export type AuditEvent = PhiReadEvent | ChangeEvent | AuthEvent;

/**
 * The PHI reads of one request, stored compactly: patients that had the same data classes and fields read share one
 * group. Logically it is one PhiReadEvent per patient (see expandPhiReads): a 1000-patient list stays one small
 * record instead of a thousand near-identical events.
 */
export interface PhiReadBlock {
  readonly at: string;
  readonly actor: AuditActor;
  readonly operation: string | null;
  readonly requestId: string | null;
  readonly groups: readonly {
    readonly dataClasses: readonly string[];
    readonly fields: readonly string[];
    readonly patients: readonly string[];
  }[];
  /** Patients of this request opened through break-glass. */
  readonly breakGlass: readonly string[];
}

export interface AuditRecordBody {
  readonly v: 1;
  readonly tenant: string;
  readonly events: readonly AuditEvent[];
  readonly phiReads?: PhiReadBlock;
}

/** The events a record stands for: its events, then one PHI-read event per patient of its PHI-read block. */
export function recordEvents(body: AuditRecordBody): AuditEvent[] {
  const b = body.phiReads;
  if (!b) return [...body.events];
  const breakGlass = new Set(b.breakGlass);
  const reads = b.groups.flatMap((g) =>
    g.patients.map(
      (patientId): PhiReadEvent => ({
        category: 'phi-read', at: b.at, tenant: body.tenant, action: 'phi.read', outcome: 'success', actor: b.actor, requestId: b.requestId,
        patientId, dataClasses: g.dataClasses, fields: g.fields, operation: b.operation, breakGlass: breakGlass.has(patientId),
      }),
    ),
  );
  return [...body.events, ...reads];
}

const targetOf = (change: ChangeRequest) => {
  const t = change.target;
  if (t.type === 'assignment' || t.type === 'access-request' || t.type === 'policy') return accessDocId(t);
  if (t.type === 'refund') return `refund:${t.refundId}`;
  if (t.type === 'settings') return `settings:${t.entries.map((e) => e.key).join(',')}`;
  return t.type === 'setting' ? `setting:${t.key}` : t.type === 'ehr-write' ? `ehr-write:${t.draftId}` : `stop:${t.target}`;
};

/** The event of one governed-change transition, with the change's snapshot so the log alone tells its story. */
export function changeEvent(effect: AuditEffect, change: ChangeRequest | null): ChangeEvent {
  const emergency = effect.action === 'emergency.stopped';
  const detailTarget = typeof effect.detail.target === 'string' ? effect.detail.target : '';
  return {
    category: emergency ? 'emergency' : 'change',
    at: effect.at,
    tenant: effect.tenant,
    action: effect.action,
    outcome: effect.action === 'change.failed' ? 'failure' : 'success',
    actor: effect.actor ? { sub: effect.actor, ...(effect.acting && { kind: effect.acting.kind, roles: [...effect.acting.roles] }) } : null,
    changeId: effect.changeId,
    environment: effect.environment,
    // Direct access events (break-glass, reviews) name their document in detail.docId.
    target: change ? targetOf(change) : typeof effect.detail.docId === 'string' ? effect.detail.docId : `stop:${detailTarget}`,
    settingCategory: change?.category ?? null,
    risk: change?.risk ?? null,
    status: change?.status ?? null,
    before: change?.before ?? null,
    after: change?.after ?? null,
    reason: change?.reason ?? (typeof effect.detail.reason === 'string' ? effect.detail.reason : null),
    ticket: change?.ticket ?? null,
    approvals: change?.approvals ?? [],
    detail: effect.detail,
    ...patientOf(effect, change),
  };
}

/** The patient an access or clinical change is about: break-glass names it in detail, a proposal in its value. */
function patientOf(effect: AuditEffect, change: ChangeRequest | null): { patientId?: string } {
  const fromDetail = effect.detail.patientId;
  if (typeof fromDetail === 'string') return { patientId: fromDetail };
  const fromValue = change?.target.type === 'ehr-write' ? (change.after as { patientId?: unknown } | null)?.patientId : undefined;
  return typeof fromValue === 'string' ? { patientId: fromValue } : {};
}

/**
 * The audit event of one delivery attempt of a notification (webhook, email, escalation page): a `change` event with
 * the delivery's status and detail, no actor and no snapshot. `changeId` null for a delivery no change caused.
 */
export function deliveryEvent(input: {
  readonly at: string;
  readonly tenant: string;
  readonly action: string;
  readonly status: string;
  readonly changeId: string | null;
  readonly environment: string;
  readonly target: string;
  readonly settingCategory: string;
  readonly detail: Record<string, string | number | null>;
}): ChangeEvent {
  return {
    category: 'change',
    at: input.at,
    tenant: input.tenant,
    action: input.action,
    outcome: input.status === 'DELIVERED' ? 'success' : 'failure',
    actor: null,
    requestId: null,
    changeId: input.changeId,
    environment: input.environment,
    target: input.target,
    settingCategory: input.settingCategory,
    risk: null,
    status: input.status,
    before: null,
    after: null,
    reason: null,
    ticket: null,
    approvals: [],
    detail: input.detail,
  };
}

/** The delivery event of a notification a change caused (approver webhook or email): target `<channel>:<event>`. */
export function changeDeliveryEvent(
  at: string,
  tenant: string,
  change: ChangeRequest,
  channel: 'webhook' | 'email',
  action: string,
  status: string,
  detail: Record<string, string | number | null>,
): ChangeEvent {
  const [changeId, environment, settingCategory] = [change.id, change.environment, change.category];
  const target = `${channel}:${detail.event}`;
  return deliveryEvent({ at, tenant, action, status, changeId, environment, target, settingCategory, detail });
}
