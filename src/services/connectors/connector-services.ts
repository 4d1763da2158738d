import type { IdempotentOnce } from '../idempotency/idempotent-once.js';
import type { BillingAutomation } from '../billing/billing-automation.js';
import type { BillingService } from '../billing/billing-service.js';
import type { MessageQueueService } from '../messaging/message-queue-service.js';
import type { MessagingService } from '../messaging/messaging-service.js';
import type { WriteBackService } from '../write-back/write-back-service.js';
import type { ConnectorAdmin } from './connector-admin.js';
import type { ConnectorHealthReport } from './connector-health-report.js';

// The acting connectors as resolvers see them (GatewayContext.connectors): shared by all requests, built once by
// the composition root (src/server/start-clearance.ts). Each member sits behind its own service with I/O handed in.

export interface ConnectorServices {
  readonly writeBack: WriteBackService;
  /** Clients' idempotency keys of EHR writes (the same implementation as sendPatientMessage's). */
  readonly idempotency: IdempotentOnce;
  /** Patient messaging: templated sends (email, SMS), inbound routing, queues. */
  readonly messaging: MessagingService;
  /** Work queues of inbound messages: list, claim, reply, close; escalation of unclaimed emergencies. */
  readonly messageQueue: MessageQueueService;
  /** Refunds (governed changes) and billing automation over the tenant's FHIR financial resources. */
  readonly billing: BillingService;
  readonly billingAutomation: BillingAutomation;
  /** Connector configuration (governed settings) and write-only credentials. */
  readonly admin: ConnectorAdmin;
  /** Circuit and rolling health of each outbound connector, as seen by this gateway process for a tenant. */
  health(tenant: string): ConnectorHealthReport[];
}
