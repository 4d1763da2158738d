import type { ChangeEvent } from '../../audit/audit-event.js';
import type { JsonValue } from '../../governance/json.js';

// The audit event of a message sent, routed, claimed or closed: who, which patient's Communication, which template,
// channel and outcome. Never the text, the variables, the address or a close's reason (PHI, or words about it); the
// Communication in the EHR holds those. Pure.

export interface MessagingAuditInput {
  readonly tenant: string;
  readonly environment: string;
  readonly actor: { readonly sub: string; readonly kind: string };
  readonly requestId: string | null;
  /** `messaging.replayed`: an idempotency key's stored answer was given again; nothing was sent. */
  readonly action:
    | 'messaging.sent'
    | 'messaging.failed'
    | 'messaging.routed'
    | 'messaging.replayed'
    | 'messaging.claimed'
    | 'messaging.closed'
    | 'messaging.escalated';
  readonly communicationId: string;
  readonly patientId: string;
  readonly at: string;
  readonly detail: { readonly [key: string]: JsonValue };
}

const STATUS: Readonly<Record<MessagingAuditInput['action'], string>> = {
  'messaging.sent': 'SENT',
  'messaging.failed': 'FAILED',
  'messaging.routed': 'ROUTED',
  'messaging.replayed': 'REPLAYED',
  'messaging.claimed': 'CLAIMED',
  'messaging.closed': 'CLOSED',
  'messaging.escalated': 'ESCALATED',
};

export function messagingEvent(input: MessagingAuditInput): ChangeEvent {
  return {
    category: 'change',
    at: input.at,
    tenant: input.tenant,
    action: input.action,
    outcome: input.action === 'messaging.failed' ? 'failure' : 'success',
    actor: input.actor,
    requestId: input.requestId,
    changeId: null,
    environment: input.environment,
    target: `ehr:Communication/${input.communicationId}`,
    settingCategory: 'messaging',
    risk: null,
    status: STATUS[input.action],
    before: null,
    after: null,
    reason: null,
    ticket: null,
    approvals: [],
    detail: { patientId: input.patientId, ...input.detail },
  };
}
