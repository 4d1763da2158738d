import { Resilience } from '../../../connectors/common/resilient-call.js';
import { FhirClientPool } from '../../../connectors/ehr/client/fhir-client-pool.js';
import { FhirWriter } from '../../../connectors/ehr/write/fhir-writer.js';
import { stopGuardedWriter } from '../ehr-stop-guard.js';
import type { AuditService } from '../audit/audit-service.js';
import type { GatewayConfig } from '../../config/config.js';
import type { GovernanceStore } from '../../stores/governance-store.js';
import type { IdempotencyStore } from '../../stores/idempotency-store.js';
import type { LeaseStore } from '../../stores/lease-store.js';
import { randomUUID } from 'node:crypto';
import { createMessagingChannels } from '../messaging/create-channels.js';
import { IdempotentOnce } from '../idempotency/idempotent-once.js';
import { MessageIdempotency } from '../messaging/message-idempotency.js';
import { MessageQueueService, type EscalationNotifier } from '../messaging/message-queue-service.js';
import { MessagingService } from '../messaging/messaging-service.js';
import { MessagingSettingsReader } from '../messaging/messaging-settings.js';
import { WriteBackService } from '../write-back/write-back-service.js';
import type { OutboundChannel } from '../../../connectors/messaging/patient-messenger.js';
import { BillingAutomation } from '../billing/billing-automation.js';
import { BillingService } from '../billing/billing-service.js';
import { createRefundEffect } from '../billing/refund-effect.js';
import type { ConnectorEffectHandler } from '../governance/outbox-worker.js';
import { createEhrWriteEffect, createEhrWriteGate } from '../write-back/ehr-write-effect.js';
import { ConnectorAdmin } from './connector-admin.js';
import { connectorHealth } from './connector-health-report.js';
import type { ConnectorServices } from './connector-services.js';
import { EhrEndpoints } from './ehr-endpoints.js';
import type { KeyEncryptionService } from './key-encryption.js';
import { ConnectorSecretStore } from './secret-store.js';
import type { GovernanceDeps } from '../governance/deps.js';

// Builds the acting connectors from config. One FHIR client per tenant (ehr-endpoints.ts: the governed base URL and
// credentials of `integration.ehr` in the gateway's environment, else the deployment's FHIR_BASE_URLS or the
// embedded server) serves the EHR reads (handed to the reader as `endpoints`), the FhirWriter behind write-back,
// messaging and billing, and testConnector: one base URL, one token, one circuit.

export interface ConnectorServiceDeps {
  readonly config: GatewayConfig;
  readonly store: GovernanceStore;
  /** Client idempotency keys (messaging, write-back) and the refund leases: their own stores. */
  readonly idempotency: IdempotencyStore;
  readonly leases: LeaseStore;
  readonly governance: GovernanceDeps;
  readonly audit: AuditService;
  readonly baseUrls: Readonly<Record<string, string>>;
  /** Wraps the data keys of connector secrets (key-encryption.ts): its own KEK, never the audit key. */
  readonly kms: KeyEncryptionService;
  /** The clock of the EHR circuits and token expiry (tests move it); default Date.now. */
  readonly now?: () => number;
  /** Further channels an escalation is told to (the approver-notification channels, when they exist). */
  readonly escalationNotifiers?: readonly EscalationNotifier[];
}

export function createConnectorServices(
  deps: ConnectorServiceDeps,
): ConnectorServices & {
  readonly effects: ConnectorEffectHandler;
  readonly applyRefusal: NonNullable<GovernanceDeps['applyRefusal']>;
  readonly endpoints: EhrEndpoints;
  readonly email: OutboundChannel;
} {
  const { config, governance } = deps;
  const now = deps.now ?? (() => Date.now());
  const pool = new FhirClientPool({
    timeoutMs: config.fhir.timeoutMs,
    resilience: { retry: { attempts: 3, baseDelayMs: 100 }, circuit: { failureThreshold: 5, coolDownMs: 30_000 }, now },
    now,
  });
  const secrets = new ConnectorSecretStore(deps.store, deps.kms, () => Date.now());
  const endpoints = new EhrEndpoints({
    governance,
    secrets,
    pool,
    environment: config.environment,
    deploymentBaseUrl: (tenant) => (Object.hasOwn(deps.baseUrls, tenant) ? deps.baseUrls[tenant]! : null),
  });
  // Every EHR write of every service (write-back, refunds, billing automation, messaging's Communications) passes
  // this one writer, which asks the `connector:ehr` emergency stop first (src/services/ehr-stop-guard.ts).
  const writer = stopGuardedWriter(
    new FhirWriter({ timeoutMs: config.fhir.timeoutMs, clientFor: (target) => endpoints.clientForTarget(target) }),
    deps.store,
    config.environment,
  );
  const baseUrlFor = (tenant: string): Promise<string | null> => endpoints.baseUrl(tenant, config.environment, 'ehr');
  const writeBack = new WriteBackService({
    governance,
    writer,
    audit: deps.audit,
    environment: config.environment,
    baseUrlFor,
    now: () => Date.now(),
  });
  const outbound = createMessagingChannels(config.mode, config.messaging);
  // Messaging records every message as a FHIR Communication through the same writer (one circuit per tenant's EHR).
  const messaging = new MessagingService({
    settings: new MessagingSettingsReader(governance, config.environment),
    writer,
    audit: deps.audit,
    channels: outbound.channels,
    baseUrlFor,
    messageIdDomain: 'clearance.local',
    now: deps.now ?? (() => Date.now()),
    newId: () => randomUUID(),
    // In the idempotency store, so every replica sees a key claimed by another (Redis) or the one process does.
    idempotency: new MessageIdempotency(deps.idempotency),
  });
  const messageQueue = new MessageQueueService({
    settings: new MessagingSettingsReader(governance, config.environment),
    writer,
    messaging,
    pager: outbound.channels.email,
    notifiers: deps.escalationNotifiers ?? [],
    now: deps.now ?? (() => Date.now()),
    newId: () => randomUUID(),
  });
  const billing = new BillingService({
    governance, writer, environment: config.environment, baseUrlFor, newId: () => randomUUID(), store: deps.store, leases: deps.leases, now,
  });
  // The outbox's effects of approved changes, one handler per connector that acts on approval (an approved EHR write,
  // a refund); each ignores the effect types that are not its own. src/server/start-clearance.ts hands `effects` to
  // the governance service, so a new connector with an effect registers it here and nowhere else.
  const effectHandlers: readonly ConnectorEffectHandler[] = [
    createEhrWriteEffect({ store: deps.store, governance, writeBack }),
    createRefundEffect({ store: deps.store, writer, baseUrlFor, now: () => Date.now() }),
  ];
  const effects: ConnectorEffectHandler = async (effect) => {
    for (const handler of effectHandlers) await handler(effect);
  };
  const billingAutomation = new BillingAutomation({
    governance,
    writer,
    messaging,
    audit: deps.audit,
    environment: config.environment,
    target: (t) => billing.target(t),
    now: () => Date.now(),
  });
  const admin = new ConnectorAdmin({
    governance,
    secrets,
    endpoints,
    audit: deps.audit,
    timeoutMs: config.fhir.timeoutMs,
    now: () => Date.now(),
  });
  // Before a tenant's first EHR call there is no client yet: an idle, closed circuit.
  const idle = new Resilience({ connector: 'ehr', timeoutMs: config.fhir.timeoutMs });
  const health = (tenant: string) => connectorHealth({ ehr: endpoints.current(tenant)?.resilience ?? idle, ...outbound.resilience });
  return {
    writeBack, idempotency: new IdempotentOnce(deps.idempotency), messaging, messageQueue, billing, billingAutomation, admin, health,
    effects, endpoints, email: outbound.channels.email,
    // An approval of a change whose effect the gate would refuse is refused itself (start-clearance.ts hands it over).
    applyRefusal: createEhrWriteGate({ governance, writeBack }),
  };
}
