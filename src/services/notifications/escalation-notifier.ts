import { ConnectorError } from '../../../connectors/common/connector-error.js';
import type { EmailMessage } from '../../../connectors/messaging/smtp-channel.js';
import type { AuditService } from '../audit/audit-service.js';
import type { Environment } from '../../governance/environment.js';
import type { EscalationEvent, EscalationNotifier } from '../messaging/message-queue-service.js';
import type { ApproverContact } from './approver-email.js';
import { postSignedWebhook, type WebhookRoute } from './approver-notifications.js';
import { deliveryEvent } from '../../audit/audit-event.js';

// The default escalation hook (issue 18's EscalationNotifier, fed by the approver-notification channels of issue
// 14): an on-call emergency left unclaimed is posted to the `message.escalated` route of `integration.webhookRoutes`
// (signed like change events, with the same write-only secret) and emailed to every `access.approverContacts` entry
// with `escalations: true`. No PHI: the queue, the item's id, its escalation level and how long it waited; never the
// patient or the text. The escalation itself happens once across replicas (the item's If-Match update), so this runs
// once per escalation; a webhook answering non-2xx is tried again twice with a short backoff, each attempt audited
// (`notification.delivered|retry|failed`, target `webhook:message.escalated` or `email:message.escalated`).

const ESCALATION_EVENT = 'message.escalated';

export interface EscalationNotifierDeps {
  readonly audit: AuditService;
  readonly now: () => number;
  /** The environment whose routes and secret count: the gateway's (GATEWAY_ENVIRONMENT), where it escalates. */
  readonly environment: Environment;
  readonly routes: (tenant: string, environment: Environment) => Promise<readonly WebhookRoute[]>;
  readonly secret: (tenant: string, environment: Environment) => Promise<string | null>;
  readonly contacts: (tenant: string) => Promise<readonly ApproverContact[]>;
  readonly email: { send(message: EmailMessage): Promise<unknown> };
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
  /** Pause between webhook attempts (default 500 ms, then twice that). */
  readonly retryDelayMs?: number;
}

/** What a receiver gets: the queue, the item, the level and the wait. */
function escalationPayload(deliveryId: string, event: EscalationEvent, at: string) {
  return {
    deliveryId,
    event: ESCALATION_EVENT,
    occurredAt: at,
    tenant: event.tenant,
    message: {
      queue: event.queue,
      itemId: event.communicationId,
      level: event.level,
      receivedAt: event.receivedAt,
      waitedMinutes: event.waitedMinutes,
    },
  };
}

const ATTEMPTS = 3;

export function createEscalationNotifier(deps: EscalationNotifierDeps): EscalationNotifier {
  const send = deps.fetch ?? fetch;
  const environment = deps.environment;

  async function log(tenant: string, action: string, status: string, target: string, detail: Record<string, string | number | null>) {
    const at = new Date(deps.now()).toISOString();
    const event = { at, tenant, action, status, changeId: null, environment, target, settingCategory: 'messaging', detail };
    await deps.audit.write(tenant, [deliveryEvent(event)]);
  }

  async function webhooks(event: EscalationEvent, deliveryId: string) {
    const routes = (await deps.routes(event.tenant, environment)).filter((r) => r.event === ESCALATION_EVENT);
    if (routes.length === 0) return;
    const target = `webhook:${ESCALATION_EVENT}`;
    const secret = await deps.secret(event.tenant, environment);
    if (!secret)
      return log(event.tenant, 'notification.failed', 'FAILED', target, {
        deliveryId,
        event: ESCALATION_EVENT,
        attempt: 1,
        error: 'NO_WEBHOOK_SECRET',
        origin: null,
        httpStatus: null,
      });
    const body = JSON.stringify(escalationPayload(deliveryId, event, new Date(deps.now()).toISOString()));
    for (const route of routes) {
      const origin = new URL(route.url).origin;
      for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
        const status = await postSignedWebhook(send, route, secret, body, {
          deliveryId,
          event: ESCALATION_EVENT,
          nowMs: deps.now(),
          timeoutMs: deps.timeoutMs ?? 5_000,
        });
        const ok = status !== null && status >= 200 && status < 300;
        const last = attempt === ATTEMPTS;
        const error = ok ? null : status === null ? 'UNREACHABLE' : 'HTTP_STATUS';
        const [action, state] = ok
          ? ['notification.delivered', 'DELIVERED']
          : last
            ? ['notification.failed', 'FAILED']
            : ['notification.retry', 'RETRYING'];
        await log(event.tenant, action, state, target, { deliveryId, event: ESCALATION_EVENT, attempt, origin, httpStatus: status, error });
        if (ok || last) break;
        await new Promise((r) => setTimeout(r, (deps.retryDelayMs ?? 500) * attempt));
      }
    }
  }

  async function emails(event: EscalationEvent, deliveryId: string) {
    const to = (await deps.contacts(event.tenant)).filter((c) => c.escalations === true);
    const subject = `[Clearance] Unclaimed emergency message in ${event.queue} (escalation ${event.level})`;
    const text = [
      `An emergency patient message has waited ${event.waitedMinutes} minutes unclaimed in the ${event.queue} queue.`,
      '',
      `Item: ${event.communicationId}`,
      `Escalation: ${event.level}`,
      `Received: ${event.receivedAt}`,
      '',
      'Open the queue and make sure someone claims it. The message itself is not in this email.',
    ].join('\n');
    for (const c of to) {
      const detail = { deliveryId, event: ESCALATION_EVENT, channel: 'email', recipient: c.sub, attempt: 1 };
      try {
        await deps.email.send({
          to: c.email,
          subject,
          text,
          messageId: `<${deliveryId}.${c.sub.replace(/[^A-Za-z0-9.-]/g, '_')}@clearance.local>`,
        });
        await log(event.tenant, 'notification.delivered', 'DELIVERED', `email:${ESCALATION_EVENT}`, { ...detail, error: null });
      } catch (e) {
        // A send is never retried (it could deliver twice); the failure is on record.
        await log(event.tenant, 'notification.failed', 'FAILED', `email:${ESCALATION_EVENT}`, {
          ...detail,
          error: e instanceof ConnectorError ? e.kind : 'UNAVAILABLE',
        });
      }
    }
  }

  return {
    async notify(event) {
      // The same id for every attempt and channel: the receiver drops a copy it already has.
      const deliveryId = `escalation-${event.communicationId}-${event.level}`.replace(/[^A-Za-z0-9.-]/g, '-');
      await webhooks(event, deliveryId);
      await emails(event, deliveryId);
    },
  };
}
