import { ConnectorError } from '../../../connectors/common/connector-error.js';
import type { EmailMessage } from '../../../connectors/messaging/smtp-channel.js';
import type { AuditService } from '../audit/audit-service.js';
import { changeEventKindOf, type ChangeEventKind } from '../../governance/change-event.js';
import type { ChangeRequest } from '../../governance/change-request.js';
import { targetLabel } from '../../governance/change-target.js';
import type { GovernanceStore, OutboxEntry } from '../../stores/governance-store.js';
import type { NotificationHandler } from '../governance/outbox-worker.js';
import { changeDeliveryEvent } from '../../audit/audit-event.js';

// Approver notifications by email (issue 14), through the messaging connector's SMTP channel: the people who can
// give the next counted approval of a change are emailed when it is proposed and reminded before it expires; the
// requester is emailed the outcome of a change that waited for approval. Who gets email is the governed setting
// `access.approverContacts` (security owns it: person -> address); nobody without an entry gets any. An email names
// the change (id, environment, category, target, risk, status, approvals, expiry) and links to it in the console:
// never its values, diff, reason or comments, which can hold PHI. Each transition is its own outbox entry
// (`notify:...:email`), claimed with a lease, so two replicas send once; a recipient already sent to is marked in the
// store (`notified:<entry>:<sub>`), so retrying a failed send never emails the others twice.

export const APPROVER_CONTACTS_KEY = 'access.approverContacts';
export const EMAIL_KEY_SUFFIX = ':email';

export interface ApproverContact {
  readonly sub: string;
  readonly email: string;
  /** Also paged when an on-call emergency escalates (escalation-notifier.ts). */
  readonly escalations?: boolean;
}

type Kind = ChangeEventKind | 'REMINDER';
const OUTCOMES: ReadonlySet<Kind> = new Set(['APPLIED', 'REJECTED', 'EXPIRED', 'SUPERSEDED', 'FAILED']);

/** Whether a committed change is emailed: a proposal that waits for approvers, or the outcome of one that waited. */
export function emailedTransition(change: ChangeRequest): boolean {
  const kind = changeEventKindOf(change);
  if (kind === 'PROPOSED') return change.status === 'PENDING';
  // An outcome the requester did not just cause alone (a change that needed no approval is told by its answer).
  return OUTCOMES.has(kind) && (change.requirement.requiredApprovals > 0 || change.approvals.length > 0 || change.status !== 'APPLIED');
}

export const isEmailEntry = (entry: Pick<OutboxEntry, 'idempotencyKey'>) => entry.idempotencyKey.endsWith(EMAIL_KEY_SUFFIX);

export interface ApproverEmailDeps {
  readonly store: GovernanceStore;
  readonly audit: AuditService;
  readonly now: () => number;
  /** The people email goes to (the governed `access.approverContacts`). */
  readonly contacts: (tenant: string) => Promise<readonly ApproverContact[]>;
  /** Who can give the next counted approval now (approver-notifications.ts, approversOf). */
  readonly approversOf: (tenant: string, change: ChangeRequest) => Promise<string[]>;
  readonly email: { send(message: EmailMessage): Promise<unknown> };
  /** The gateway's address as people reach it: the console link is `<url>/console/#/change/<id>`. */
  readonly publicUrl: () => string;
}

const kindOf = (entry: OutboxEntry): Kind => entry.idempotencyKey.split(':')[1] as Kind;

/** Subject and text of one email: ids, names and statuses only, and the link. */
function approverEmail(
  change: ChangeRequest,
  kind: Kind,
  role: 'approver' | 'requester',
  consoleLink: string,
): { subject: string; text: string } {
  const what = `${targetLabel(change.target)} (${change.environment}, ${change.risk})`;
  const subject =
    role === 'approver'
      ? `[Clearance] ${kind === 'REMINDER' ? 'Reminder: approval still needed' : 'Approval needed'}: ${what}`
      : `[Clearance] Your change was ${change.status.toLowerCase()}: ${what}`;
  const lead =
    role === 'approver'
      ? kind === 'REMINDER'
        ? `A governed change you can approve expires at ${change.expiresAt} unless it gets its approvals.`
        : 'A governed change needs an approval you can give.'
      : `Your governed change is now ${change.status}.`;
  const text = [
    lead,
    '',
    `Change: ${change.id}`,
    `Target: ${targetLabel(change.target)}`,
    `Environment: ${change.environment}`,
    `Category: ${change.category}`,
    `Risk: ${change.risk}`,
    `Requested by: ${change.requester.sub}`,
    `Approvals: ${change.approvals.length} of ${change.requirement.requiredApprovals}`,
    `Expires: ${change.expiresAt}`,
    '',
    `Open it in the console: ${consoleLink}`,
    '',
    'What the change would set is not in this email: sign in to see it.',
  ].join('\n');
  return { subject, text };
}

export function createApproverEmail(deps: ApproverEmailDeps): NotificationHandler {
  async function log(
    tenant: string,
    change: ChangeRequest,
    action: string,
    status: string,
    detail: Record<string, string | number | null>,
  ) {
    const event = changeDeliveryEvent(new Date(deps.now()).toISOString(), tenant, change, 'email', action, status, detail);
    await deps.audit.write(tenant, [event]);
  }

  return {
    async deliver(tenant, entry) {
      const stored = await deps.store.getChange(tenant, entry.changeId);
      if (!stored) return;
      const change = stored.change;
      const kind = kindOf(entry);
      const role = kind === 'PROPOSED' || kind === 'REMINDER' ? 'approver' : 'requester';
      // A reminder of a change decided meanwhile is not sent.
      if (role === 'approver' && change.status !== 'PENDING') return;
      const subs = role === 'approver' ? await deps.approversOf(tenant, change) : [change.requester.sub];
      const contacts = new Map((await deps.contacts(tenant)).map((c) => [c.sub, c.email]));
      const to = subs.flatMap((sub) => (contacts.has(sub) ? [{ sub, email: contacts.get(sub)! }] : []));
      const event = `change.${kind.toLowerCase()}`;
      const link = `${deps.publicUrl()}/console/#/change/${encodeURIComponent(change.id)}`;
      const { subject, text } = approverEmail(change, kind, role, link);
      const failures: string[] = [];
      for (const { sub, email } of to) {
        const marker = { environment: change.environment, id: `notified:${entry.idempotencyKey}:${sub}` };
        if (await deps.store.getDoc(tenant, marker)) continue;
        const detail = { deliveryId: entry.idempotencyKey, event, channel: 'email', recipient: sub, attempt: entry.attempts + 1 };
        try {
          await deps.email.send({
            to: email,
            subject,
            text,
            messageId: `<${entry.idempotencyKey.replace(/[^A-Za-z0-9.-]/g, '.')}.${sub.replace(/[^A-Za-z0-9.-]/g, '_')}@clearance.local>`,
          });
        } catch (e) {
          const error = e instanceof ConnectorError ? e.kind : 'UNAVAILABLE';
          await log(tenant, change, 'notification.retry', 'RETRYING', { ...detail, error });
          failures.push(`${sub}: ${error}`);
          continue;
        }
        const at = new Date(deps.now()).toISOString();
        await deps.store.commit(tenant, [
          {
            type: 'put-doc',
            doc: { ref: marker, version: 1, value: { sub }, changedBy: 'clearance', changeId: change.id, at, reason: null },
          },
        ]);
        await log(tenant, change, 'notification.delivered', 'DELIVERED', { ...detail, error: null });
      }
      if (failures.length > 0) throw new Error(`email delivery failed: ${failures.join(', ')}`);
    },

    async gaveUp(tenant, entry, error) {
      const stored = await deps.store.getChange(tenant, entry.changeId);
      if (!stored) return;
      const event = `change.${kindOf(entry).toLowerCase()}`;
      await log(tenant, stored.change, 'notification.failed', 'FAILED', {
        deliveryId: entry.idempotencyKey,
        event,
        channel: 'email',
        recipient: null,
        attempt: entry.attempts + 1,
        error: error.slice(0, 200),
      });
    },
  };
}
