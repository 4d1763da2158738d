import type { ChangeRequest } from './change-request.js';
import type { Category } from './environment.js';

// What happened to a change, as a live event (issue 14): derived from the change as committed, so every path that
// commits (propose, approve, reject, cancel, the outbox, the lazy expiry of a read) tells it the same way. An event
// carries ids and the kind only, never the change's before/after (which can hold PHI): a subscriber reads the change
// through the schema, where its field rules apply.

export const CHANGE_EVENT_KINDS = ['PROPOSED', 'APPROVED', 'REJECTED', 'APPLIED', 'SUPERSEDED', 'EXPIRED', 'CANCELLED', 'FAILED'] as const;
export type ChangeEventKind = (typeof CHANGE_EVENT_KINDS)[number];

export interface ChangeEvent {
  /** Unique per event (a receiver's idempotency key). */
  readonly eventId: string;
  readonly tenant: string;
  readonly changeId: string;
  readonly kind: ChangeEventKind;
  /** The change's category: an `access` event makes every replica drop its cached access of the tenant. */
  readonly category: Category;
  /** The number of approvals the change holds after this event (0 for a proposal). */
  readonly approvals: number;
  readonly at: string;
}

/** The event a committed change stands for. A counted approval that does not complete the change is APPROVED too. */
export function changeEventKindOf(change: ChangeRequest): ChangeEventKind {
  switch (change.status) {
    case 'PENDING':
      return change.approvals.length === 0 ? 'PROPOSED' : 'APPROVED';
    case 'APPROVED':
    case 'APPLIED':
    case 'REJECTED':
    case 'SUPERSEDED':
    case 'EXPIRED':
    case 'CANCELLED':
    case 'FAILED':
      return change.status;
    default: {
      const never: never = change;
      return never;
    }
  }
}

export function changeEventOf(change: ChangeRequest, eventId: string): ChangeEvent {
  return {
    eventId,
    tenant: change.tenant,
    changeId: change.id,
    kind: changeEventKindOf(change),
    category: change.category,
    approvals: change.approvals.length,
    at: change.updatedAt,
  };
}
