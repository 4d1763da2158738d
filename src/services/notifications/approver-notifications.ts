import { ACCESS_ENVIRONMENT } from '../../governance/approval-path.js';
import { canActOn, knownApprovers } from '../../governance/actionable.js';
import { readAccessDoc } from '../../governance/access-entries.js';
import { changeEventKindOf, type ChangeEventKind } from '../../governance/change-event.js';
import type { ChangeRequest } from '../../governance/change-request.js';
import type { Environment } from '../../governance/environment.js';
import type { FunctionsOf } from '../../governance/functions.js';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signWebhook } from '../../governance/webhook-signature.js';
import type { AuditService } from '../audit/audit-service.js';
import type { CommitOp, GovernanceStore, OutboxEntry } from '../../stores/governance-store.js';
import { NOTIFICATION_KEY_PREFIX, type NotificationHandler } from '../governance/outbox-worker.js';
import { EMAIL_KEY_SUFFIX, emailedTransition } from './approver-email.js';
import { changeDeliveryEvent } from '../../audit/audit-event.js';

// Approver notifications over signed webhooks (issue 14). Every committed transition queues one outbox entry in the
// same commit (`notify:<KIND>:<approvals>:<changeId>`, so a transition is told once however many replicas run); the
// outbox worker delivers it to the URLs `integration.webhookRoutes` names for its event (`change.proposed`,
// `change.approved`, `change.applied`, `change.rejected`, `change.expired`, `change.superseded`, `change.cancelled`,
// `change.failed`, and `change.reminder` before a pending change expires), signed with the tenant's webhook secret (the
// connector secret store, connector id `webhooks`, set with rotateConnectorSecret: write-only), retried with backoff on
// any non-2xx answer, each attempt written to the audit log (`notification.delivered`, `notification.retry`,
// `notification.failed`): the delivery log a security admin reads with auditEvents. A payload names the change, its
// setting key, its status and who can act on it (subjects, from the stored role assignments): never the change's
// before/after or diff, which can hold PHI.

export const WEBHOOK_SECRET_ID = 'webhooks';
export const WEBHOOK_ROUTES_KEY = 'integration.webhookRoutes';

export interface WebhookRoute {
  readonly event: string;
  readonly url: string;
}

export interface ApproverNotificationDeps {
  readonly store: GovernanceStore;
  readonly audit: AuditService;
  readonly functionsOf: FunctionsOf;
  readonly now: () => number;
  /** The routes in force for a tenant and environment (the governed setting's current value). */
  readonly routes: (tenant: string, environment: Environment) => Promise<readonly WebhookRoute[]>;
  /** The signing secret, from the connector secret store (null: none set, nothing is sent unsigned). */
  readonly secret: (tenant: string, environment: Environment) => Promise<string | null>;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

/** A transition's event, or the reminder before expiry (expiry-reminders.ts). */
type NotificationKind = ChangeEventKind | 'REMINDER';

const webhookEventOf = (kind: NotificationKind) => `change.${kind.toLowerCase()}`;

/** The outbox entries a committed change queues: one per transition for webhooks, one more when it is emailed. */
export function notificationOps(change: ChangeRequest): CommitOp[] {
  const key = `${NOTIFICATION_KEY_PREFIX}${changeEventKindOf(change)}:${change.approvals.length}:${change.id}`;
  const ops: CommitOp[] = [{ type: 'outbox-add', idempotencyKey: key, changeId: change.id }];
  // Its own entry, so a webhook retried from the outbox never sends the email twice (approver-email.ts).
  if (emailedTransition(change)) ops.push({ type: 'outbox-add', idempotencyKey: `${key}${EMAIL_KEY_SUFFIX}`, changeId: change.id });
  return ops;
}

function parseKey(key: string): { kind: NotificationKind } {
  const [, kind] = key.split(':');
  return { kind: kind as NotificationKind };
}

/** What a receiver gets: ids, names and statuses only. */
function webhookPayload(deliveryId: string, change: ChangeRequest, kind: NotificationKind, approvers: readonly string[], at: string) {
  return {
    deliveryId,
    event: webhookEventOf(kind),
    occurredAt: at,
    tenant: change.tenant,
    change: {
      id: change.id,
      environment: change.environment,
      category: change.category,
      targetType: change.target.type,
      key: change.target.type === 'setting' ? change.target.key : null,
      risk: change.risk,
      status: change.status,
      approvals: change.approvals.length,
      requiredApprovals: change.requirement.requiredApprovals,
      expiresAt: change.expiresAt,
    },
    /** Told the outcome: the requester's subject. */
    requester: change.requester.sub,
    /** Who can give the next counted approval now (known by stored role assignments); empty once decided. */
    approvers,
  };
}

/**
 * Who can give the next counted approval of a pending change now, known by the tenant's stored role assignments
 * (the decision approveChange makes, canActOn); nobody once it is decided.
 */
export async function approversOf(
  deps: Pick<ApproverNotificationDeps, 'store' | 'now' | 'functionsOf'>,
  tenant: string,
  change: ChangeRequest,
): Promise<string[]> {
  if (change.status !== 'PENDING') return [];
  const docs = await deps.store.listDocs(tenant, ACCESS_ENVIRONMENT, 'assignment:');
  const people = knownApprovers(
    tenant,
    docs.map((d) => readAccessDoc(d.ref.id.slice('assignment:'.length), d.value)),
    deps.now(),
  );
  // Configuration changes: the assignment's roles stand for the configuration read; a clinical write's patient right
  // is decided on the request of the approver (not known here), so those approvers are found by their queue.
  const facts = { targetAllowed: null, readsConfiguration: true };
  const options = { now: deps.now(), currentVersion: change.baseVersion, functionsOf: deps.functionsOf };
  return people
    .filter((p) => canActOn(change, p, facts, options).canAct)
    .map((p) => p.sub)
    .sort();
}

/** One signed POST of a webhook body (HMAC-SHA256 over timestamp and body); the HTTP status, or null when unreachable. */
export async function postSignedWebhook(
  send: typeof fetch,
  route: WebhookRoute,
  secret: string,
  body: string,
  headers: { readonly deliveryId: string; readonly event: string; readonly nowMs: number; readonly timeoutMs: number },
): Promise<number | null> {
  const t = Math.floor(headers.nowMs / 1000);
  try {
    const res = await send(route.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(headers.timeoutMs),
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: signWebhook(secret, t, body),
        [DELIVERY_HEADER]: headers.deliveryId,
        [EVENT_HEADER]: headers.event,
      },
      body,
    });
    await res.body?.cancel();
    return res.status;
  } catch {
    return null;
  }
}

export function createApproverNotifications(deps: ApproverNotificationDeps): NotificationHandler {
  const send = deps.fetch ?? fetch;

  async function log(
    tenant: string,
    change: ChangeRequest,
    action: string,
    status: string,
    detail: Record<string, string | number | null>,
  ) {
    const event = changeDeliveryEvent(new Date(deps.now()).toISOString(), tenant, change, 'webhook', action, status, detail);
    await deps.audit.write(tenant, [event]);
  }

  return {
    async deliver(tenant: string, entry: OutboxEntry) {
      const stored = await deps.store.getChange(tenant, entry.changeId);
      if (!stored) return;
      const change = stored.change;
      const { kind } = parseKey(entry.idempotencyKey);
      const event = webhookEventOf(kind);
      const routes = (await deps.routes(tenant, change.environment)).filter((r) => r.event === event);
      if (routes.length === 0) return;
      const secret = await deps.secret(tenant, change.environment);
      const deliveryId = entry.idempotencyKey;
      if (!secret) {
        // Nothing leaves unsigned: the delivery is logged as failed, once, and not retried.
        await log(tenant, change, 'notification.failed', 'FAILED', {
          deliveryId,
          event,
          attempt: entry.attempts + 1,
          error: 'NO_WEBHOOK_SECRET',
          origin: null,
          httpStatus: null,
        });
        return;
      }
      const body = JSON.stringify(
        webhookPayload(deliveryId, change, kind, await approversOf(deps, tenant, change), new Date(deps.now()).toISOString()),
      );
      const failures: string[] = [];
      for (const route of routes) {
        // The origin only: a route's path or query may hold the receiver's own token.
        const origin = new URL(route.url).origin;
        const status = await postSignedWebhook(send, route, secret, body, {
          deliveryId,
          event,
          nowMs: deps.now(),
          timeoutMs: deps.timeoutMs ?? 5_000,
        });
        const ok = status !== null && status >= 200 && status < 300;
        const detail = {
          deliveryId,
          event,
          attempt: entry.attempts + 1,
          origin,
          httpStatus: status,
          error: ok ? null : status === null ? 'UNREACHABLE' : 'HTTP_STATUS',
        };
        await log(tenant, change, ok ? 'notification.delivered' : 'notification.retry', ok ? 'DELIVERED' : 'RETRYING', detail);
        if (!ok) failures.push(`${origin}: ${status ?? 'unreachable'}`);
      }
      // Any route failed: the whole entry is retried (same delivery id, so a receiver that got it drops the copy).
      if (failures.length > 0) throw new Error(`webhook delivery failed: ${failures.join(', ')}`);
    },

    async gaveUp(tenant: string, entry: OutboxEntry, error: string) {
      const stored = await deps.store.getChange(tenant, entry.changeId);
      if (!stored) return;
      const event = webhookEventOf(parseKey(entry.idempotencyKey).kind);
      await log(tenant, stored.change, 'notification.failed', 'FAILED', {
        deliveryId: entry.idempotencyKey,
        event,
        attempt: entry.attempts + 1,
        origin: null,
        httpStatus: null,
        error: error.slice(0, 200),
      });
    },
  };
}
