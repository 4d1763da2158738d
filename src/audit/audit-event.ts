import type { ChangeRequest } from '../governance/change-request.js';
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
  readonly approvals: readonly { sub: string; roleUsed: string; functions: readonly string[]; mfa: boolean; comment: string | null; at: string }[];
  readonly detail: { readonly [key: string]: JsonValue };
}

export interface AuthEvent extends EventBase {
  readonly category: 'auth';
  /** The verification failure reason (never the token). */
  readonly reason: string;
}

export type AuditEvent = PhiReadEvent | ChangeEvent | AuthEvent;

export interface AuditRecordBody {
  readonly v: 1;
  readonly tenant: string;
  readonly events: readonly AuditEvent[];
}

const targetOf = (change: ChangeRequest) => (change.target.type === 'setting' ? `setting:${change.target.key}` : `stop:${change.target.target}`);

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
    actor: effect.actor ? { sub: effect.actor } : null,
    changeId: effect.changeId,
    environment: effect.environment,
    target: change ? targetOf(change) : `stop:${detailTarget}`,
    settingCategory: change?.category ?? null,
    risk: change?.risk ?? null,
    status: change?.status ?? null,
    before: change?.before ?? null,
    after: change?.after ?? null,
    reason: change?.reason ?? (typeof effect.detail.reason === 'string' ? effect.detail.reason : null),
    ticket: change?.ticket ?? null,
    approvals: change?.approvals ?? [],
    detail: effect.detail,
  };
}
