import { createEhrConnector, type EhrConnectorOptions } from '../../connectors/ehr/create-ehr-connector.js';
import type { EhrConnector } from '../../connectors/ehr/ehr-reader.js';
import { EmbeddedFhirServer, type EmbeddedFhirServerOptions } from '../../connectors/ehr/embedded-fhir-server.js';
import { defaultTenantSeed } from '../../connectors/ehr/seed.js';
import type { SmartAuthOptions } from '../../connectors/ehr/server/smart-auth-server.js';
import type { PolicyDocument } from '../../rules/policy-document.js';
import { defaultPolicy } from '../../rules/policy-document.js';
import { createKeyGetter } from '../auth/key-source.js';
import { createTokenVerifier } from '../auth/verify-token.js';
import type { GatewayConfig } from '../config/config.js';
import { randomUUID } from 'node:crypto';
import { DEFAULT_APPROVAL_RULES } from '../governance/approval-rules.js';
import { functionsFromPolicy } from '../governance/functions.js';
import { ARCHIVE_INTERVAL_MS, AuditArchiver } from '../services/audit/audit-archiver.js';
import { AuditCheckpointer, CHECKPOINT_INTERVAL_MS } from '../services/audit/audit-checkpointer.js';
import { AuditService } from '../services/audit/audit-service.js';
import { FailedLoginAudit, UNVERIFIED_LOG } from '../services/audit/failed-login.js';
import { loadOrCreateAuditKey } from '../audit/embedded-audit-key.js';
import { createConnectorServices } from '../services/connectors/create-connector-services.js';
import { ESCALATION_INTERVAL_MS, EscalationSweeper } from '../services/messaging/escalation-sweeper.js';
import type { EscalationNotifier } from '../services/messaging/message-queue-service.js';
import { loadKms } from '../services/connectors/load-kms.js';
import { AccessService } from '../services/access-service.js';
import { AccessState } from '../services/access-state.js';
import { createStores } from '../stores/create-store.js';
import { MEMORY_CHANGE_WINDOW, MEMORY_DOC_HISTORY } from '../stores/memory-change-window.js';
import { PostgresAuditArchive } from '../stores/postgres-audit-archive.js';
import { keepingAuditWindow } from '../services/audit/audit-window.js';
import type { GovernanceStore } from '../stores/governance-store.js';
import type { Stores } from '../stores/stores.js';
import type { GatewayContext } from '../context/context.js';
import { buildGuardedSchema, buildUnguardedSchema, type PermissionEngine } from './build-schema.js';
import { ConsoleRoute, devTokenMinterFor } from './console-route.js';
import { withEhrReadHealth } from './ehr-read-health.js';
import { FrontendRoutes } from './frontend-routes.js';
import { Gateway } from './gateway.js';
import { GraphiqlRoute } from './graphiql-route.js';
import { SignedCursors } from '../services/signed-cursor.js';
import { TrustedDocuments } from './trusted-documents.js';
import { createHardening } from './hardening.js';
import type { Logger } from './logger.js';
import { changeEventOf } from '../governance/change-event.js';
import type { ChangeEventBus } from '../services/events/change-event-bus.js';
import { createChangeEventBus } from '../services/events/create-change-event-bus.js';
import { createFormatError } from './format-error.js';
import { queryLimitOptions } from './query-limits.js';
import { buildRequestContext } from './request-context.js';
import { credentialRefOf } from '../services/connectors/ehr-endpoints.js';
import { ConnectorSecretStore } from '../services/connectors/secret-store.js';
import {
  approversOf,
  createApproverNotifications,
  notificationOps,
  WEBHOOK_ROUTES_KEY,
  WEBHOOK_SECRET_ID,
  type WebhookRoute,
} from '../services/notifications/approver-notifications.js';
import {
  APPROVER_CONTACTS_KEY,
  createApproverEmail,
  isEmailEntry,
  type ApproverContact,
} from '../services/notifications/approver-email.js';
import { createEscalationNotifier } from '../services/notifications/escalation-notifier.js';
import { ACCESS_ENVIRONMENT } from '../governance/approval-path.js';
import type { Environment } from '../governance/environment.js';
import { ExpiryReminders } from '../services/notifications/expiry-reminders.js';
import { createSubscriptionServer, type SubscriptionOptions } from './subscription-server.js';
import { GatewayMetrics, type ApprovalQueueStat } from './gateway-metrics.js';
import { MetricsRoute } from './metrics-route.js';
import { startTracing } from './tracing.js';
import { withCommitSpans } from '../stores/traced-store.js';
import type { CircuitState } from '../../connectors/common/circuit-breaker.js';
import type { GovernanceDeps } from '../services/governance/deps.js';
import { currentSetting } from '../services/governance/reads.js';
import { OutboxWorker, runOutbox } from '../services/governance/outbox-worker.js';
import { KeyedLock } from '../services/governance/keyed-lock.js';

// The composition root: config in, a running gateway out. Embedded mode also starts the embedded FHIR server
// seeded with the Synthea sample patients; production mode uses the configured FHIR base URLs.

export interface StartOptions {
  readonly logger: Logger;
  readonly policy?: PolicyDocument;
  /** Embedded mode: the tenants' bundles for the embedded FHIR server (default: the Synthea samples). */
  readonly fhirSeed?: EmbeddedFhirServerOptions['tenants'];
  readonly onFhirRequest?: EhrConnectorOptions['onRequest'];
  /** Embedded mode: run the embedded FHIR server in SMART Backend Services auth mode (tests register Clearance's key). */
  readonly fhirAuth?: SmartAuthOptions;
  /** Benchmark only: `none` serves the same schema and resolvers with no permission layer (the physical limit). */
  readonly permissionEngine?: PermissionEngine | 'none';
  /** Benchmark only: false leaves PHI reads unaudited, to measure the audit's cost. */
  readonly phiAudit?: boolean;
  /** An EHR connector to use instead of the one from config (the benchmark's in-process FHIR data). */
  readonly ehr?: EhrConnector;
  /** Stores to use instead of the ones from config (tests share them between two gateways). */
  readonly stores?: Stores;
  /**
   * The clock of decisions, governed changes and the EHR read circuit (tests move it to see grants expire and circuits
   * half-open); default Date.now.
   */
  readonly now?: () => number;
  /** A change event bus to use instead of the one from config (tests join two gateways on one in-process bus). */
  readonly bus?: ChangeEventBus;
  /** Subscription limits (connections per principal, idle and init timeouts) instead of the defaults. */
  readonly subscriptions?: Partial<SubscriptionOptions>;
  /** How often pending changes are checked for their expiry reminder (default 60 s), and how long before (24 h). */
  readonly reminderIntervalMs?: number;
  readonly reminderWindowMs?: number;
  /**
   * Further channels an unclaimed emergency's escalation is told to (the approver-notification channels plug in
   * here); the on-call roster is paged by email in any case.
   */
  readonly escalationNotifiers?: readonly EscalationNotifier[];
  /** Benchmark only: false counts no metrics (and serves none), to measure what they cost. Default true. */
  readonly metrics?: boolean;
}

export interface RunningClearance {
  readonly url: string;
  readonly fhir: EmbeddedFhirServer | null;
  readonly governance: GovernanceDeps;
  readonly audit: AuditService;
  /** Failed logins counted per source and window (flush writes the open windows now). */
  readonly failedLogins: FailedLoginAudit;
  /** Moves sealed audit segments to PostgreSQL (null without AUDIT_ARCHIVE_URL). */
  readonly auditArchiver: AuditArchiver | null;
  readonly durable: boolean;
  /** The escalation of unclaimed emergencies (runs on a timer; `sweep()` runs one pass now). */
  readonly escalations: EscalationSweeper;
  /** The METRICS_PORT listener's URL (null: /metrics is on the API port, or not served). */
  readonly metricsUrl: string | null;
  /**
   * A request's context from its Authorization header, built as the gateway builds it (token verified, stored access
   * read): what a hand-built server over the same schema would do (the benchmark's default Apollo Server column).
   */
  contextFor(authorization: string | undefined): Promise<GatewayContext>;
  stop(): Promise<void>;
}

export async function startClearance(config: GatewayConfig, options: StartOptions): Promise<RunningClearance> {
  const { logger } = options;
  // Read and checked before anything starts: a bad manifest stops start-up with nothing left running.
  const trustedDocuments = await TrustedDocuments.load(config.trustedDocuments.mode, config.trustedDocuments.file);
  let fhir: EmbeddedFhirServer | null = null;
  let baseUrls: Readonly<Record<string, string>> = config.fhir.baseUrls ?? {};
  if (!config.fhir.baseUrls && !options.ehr) {
    const tenants = options.fhirSeed ?? (await defaultTenantSeed());
    fhir = await new EmbeddedFhirServer({ tenants, ...(options.fhirAuth ? { auth: options.fhirAuth } : {}) }).start();
    baseUrls = fhir.baseUrls();
  }
  const stores = options.stores ?? (await createStores(config.redisUrl));
  // Shared stores handed in count as durable and keep every audit record (two gateways on one log).
  const created = options.stores ? { durable: true, auditWindow: null } : stores;
  // Issue 17: the tracing SDK only with an OTLP endpoint; then store commits get spans too.
  const tracing = config.otlpEndpoint ? startTracing(config.otlpEndpoint) : null;
  const baseStore = tracing ? withCommitSpans(stores.governance) : stores.governance;
  const { durable } = created;
  const metrics: GatewayMetrics | null = options.metrics === false ? null : new GatewayMetrics({
    approvals: () => approvalQueue(store, now),
    circuits: () => Object.keys(baseUrls).flatMap((tenant): { tenant: string; state: CircuitState }[] => {
      const breaker = ehr.resilience?.(tenant)?.breaker;
      return breaker ? [{ tenant, state: breaker.state }] : [];
    }),
    ...(config.audit.archiveUrl ? { archivePending: () => archiver?.status().pendingRecords ?? null } : {}),
  });
  const auditKey = config.audit.hmacKey ?? (await loadOrCreateAuditKey(config.stateDir));
  // Issue 20: with AUDIT_ARCHIVE_URL, sealed segments move to PostgreSQL and Redis keeps the hot window only.
  const archive = config.audit.archiveUrl ? new PostgresAuditArchive(config.audit.archiveUrl) : undefined;
  const audit: AuditService = new AuditService({
    stores: { governance: baseStore, audit: stores.audit }, hmacKey: auditKey, now: () => Date.now(), archive, durable,
    window: created.auditWindow,
    ...(metrics ? { onAppend: (s: number) => metrics.auditAppended(s) } : {}),
  });
  // The embedded store's audit window holds after every commit that appends audit records (a governed change, a
  // transition, a delivery), not only after the audit service's own appends: a gateway that only takes governed
  // changes stays bounded too.
  const store: GovernanceStore = created.auditWindow ? keepingAuditWindow(baseStore, audit) : baseStore;
  const bus = options.bus ?? (await createChangeEventBus(options.stores ? null : config.redisUrl));
  const policy = options.policy ?? defaultPolicy();
  const now = options.now ?? (() => Date.now());
  const accessState = new AccessState({
    store, usage: stores.usage, rules: DEFAULT_APPROVAL_RULES, now, defaultPolicy: policy,
    onError: () => logger.warn('grant usage not recorded'),
  });
  const governance: GovernanceDeps = {
    store,
    rules: DEFAULT_APPROVAL_RULES,
    functionsOf: functionsFromPolicy(policy),
    policyOf: async (tenant) => (await accessState.policy(tenant)).policy,
    onCommitted: (tenant, change) => {
      if (change.category === 'access') accessState.invalidate(tenant);
      // Live subscribers on every replica (issue 14); a lost event costs a subscriber a refresh, never the commit.
      bus.publish(changeEventOf(change, randomUUID())).catch(() => logger.warn({ changeId: change.id }, 'change event not published'));
    },
    now,
    newId: () => randomUUID(),
    locks: new KeyedLock(),
    maxOpenProposals: config.limits.maxOpenProposalsPerRequester,
    connectorEffects: (effect) => connectors.effects(effect),
    applyRefusal: (tenant, change) => connectors.applyRefusal(tenant, change),
    notificationOps,
    // Webhook and email entries of a transition are apart in the outbox (approver-email.ts).
    notifications: {
      deliver: (tenant, entry) => (isEmailEntry(entry) ? mailer : notifier).deliver(tenant, entry),
      gaveUp: (tenant, entry, error) => (isEmailEntry(entry) ? mailer : notifier).gaveUp(tenant, entry, error),
    },
    ...(metrics ? { onOutboxApplied: (lagMs: number) => metrics.outboxApplied(lagMs / 1000) } : {}),
  };
  if (created.auditWindow) {
    const kept = `every open one and the newest ${MEMORY_CHANGE_WINDOW} finished ones per tenant are kept`;
    logger.info({ changeWindow: MEMORY_CHANGE_WINDOW }, `change requests: in memory (embedded default): ${kept}`);
    const versions = `the newest ${MEMORY_DOC_HISTORY} versions of each are kept`;
    logger.info({ docHistory: MEMORY_DOC_HISTORY }, `setting, policy and access histories: in memory (embedded default): ${versions}`);
  }
  logger.info(
    { auditStorage: audit.storage, ...(created.auditWindow ? { auditWindow: created.auditWindow } : {}) },
    durable
      ? archive
        ? 'audit log: Redis hot window, PostgreSQL archive'
        : 'audit log: Redis only (no archive: set AUDIT_ARCHIVE_URL)'
      : `audit log: in memory (embedded default, no archive): the newest ${created.auditWindow ?? 'all'} records per tenant are kept, ` +
        `older ones dropped`,
  );
  const kms = await loadKms(config.secrets, config.stateDir);
  // The default escalation hook (webhook `message.escalated`, email to contacts with `escalations`) before the caller's.
  const escalationHook: EscalationNotifier = { notify: (event) => escalationNotifier.notify(event) };
  const connectors = createConnectorServices({
    config, store, idempotency: stores.idempotency, leases: stores.leases, governance, audit, baseUrls, kms, now,
    escalationNotifiers: [escalationHook, ...(options.escalationNotifiers ?? [])],
  });
  // Approver notifications (issue 14): routes from the governed setting; the signing secret is the `webhooks`
  // connector's client secret (rotateConnectorSecret), governed like any connector credential (issue 16).
  const webhookSecrets = new ConnectorSecretStore(store, kms, () => Date.now());
  const routes = async (tenant: string, environment: Environment) =>
    (await currentSetting(governance, tenant, WEBHOOK_ROUTES_KEY, environment)).value as unknown as WebhookRoute[];
  const secret = async (tenant: string, environment: Environment) => {
    const ref = credentialRefOf(
      (await currentSetting(governance, tenant, `integration.${WEBHOOK_SECRET_ID}.credentials`, environment)).value,
    );
    const credential = ref ? await webhookSecrets.reveal(tenant, environment, WEBHOOK_SECRET_ID, ref) : null;
    return credential?.method === 'client_secret_basic' ? credential.secret : null;
  };
  const notifier = createApproverNotifications({ store, audit, functionsOf: functionsFromPolicy(policy), now, routes, secret });
  // Email through the messaging connector's SMTP channel to the governed contacts (access.approverContacts).
  const contacts = async (tenant: string) =>
    (await currentSetting(governance, tenant, APPROVER_CONTACTS_KEY, ACCESS_ENVIRONMENT)).value as unknown as ApproverContact[];
  let publicUrl = config.messaging.publicUrl ?? '';
  const mailer = createApproverEmail({
    store,
    audit,
    now,
    contacts,
    approversOf: (tenant, change) => approversOf({ store, now, functionsOf: functionsFromPolicy(policy) }, tenant, change),
    email: connectors.email,
    publicUrl: () => publicUrl,
  });
  const escalationNotifier = createEscalationNotifier({
    audit,
    now,
    environment: config.environment,
    routes,
    secret,
    contacts,
    email: connectors.email,
  });
  // Finish what a crash left between an approval and its external effect, then keep sweeping.
  await runOutbox(governance);
  const outbox = new OutboxWorker(governance);
  outbox.start(5_000);
  const reminders = new ExpiryReminders({ store, now, ...(options.reminderWindowMs ? { windowMs: options.reminderWindowMs } : {}) });
  reminders.start(options.reminderIntervalMs ?? 60_000);
  // Unclaimed on-call emergencies escalate after their SLA (messaging.queueSla), on the gateway's clock.
  const escalations = new EscalationSweeper({
    escalate: (tenant) => connectors.messageQueue.escalateOverdue(tenant),
    // Tenants with an EHR: the failed-login log of no known tenant is an audit log, not a tenant with patients (a pass
    // there failed every 30 s once anyone had sent a bad token, found by the tester), and a tenant the store knows
    // from its audit alone has no queue to escalate (the pass failed every 30 s, naming no base URL).
    tenants: async () => {
      const known = (await store.tenants()).filter((t) => t !== UNVERIFIED_LOG);
      const ehr = await Promise.all(known.map((t) => connectors.endpoints.baseUrl(t, config.environment, 'ehr')));
      return known.filter((_, i) => ehr[i] !== null);
    },
    logger,
  });
  escalations.start(ESCALATION_INTERVAL_MS);
  const checkpointer = new AuditCheckpointer({ audit, tenants: () => store.tenants(), logger });
  checkpointer.start(CHECKPOINT_INTERVAL_MS);
  const archiver = archive
    ? new AuditArchiver({ audit, archive, tenants: () => store.tenants(), hot: config.audit.hot, now: () => Date.now(), logger })
    : null;
  // The first pass also finishes a segment a crash left copied but not trimmed.
  if (archiver) {
    void archiver.runAll();
    archiver.start(ARCHIVE_INTERVAL_MS);
  }
  const verifier = createTokenVerifier({ ...config.auth, keys: await createKeyGetter(config) });
  const hardening = await createHardening(config, { stores, baseUrls, policy, logger });
  // Built once. Its tenants' clients are the connector services' (one per tenant for reads, writes and
  // testConnector, ehr-endpoints.ts), asked for once per request, so a governed change moves reads and writes together.
  const endpoints = connectors.endpoints;
  const ehr =
    options.ehr ??
    createEhrConnector({
      baseUrls,
      timeoutMs: config.fhir.timeoutMs,
      onRequest: options.onFhirRequest,
      ...(metrics
        ? { onResponse: (e: { tenant: string; outcome: string; seconds: number }) => metrics.fhirCall(e.tenant, e.outcome, e.seconds) }
        : {}),
      clientFor: (tenant) => endpoints.client(tenant),
      currentClient: (tenant) => endpoints.current(tenant),
    });
  const schema = options.permissionEngine === 'none' ? buildUnguardedSchema() : buildGuardedSchema(options.permissionEngine ?? 'fast');
  // Counted per source and window of the failed-auth rate limit (one event each); on the gateway's clock.
  const failedLogins = new FailedLoginAudit({
    audit, tenants: () => store.tenants(), logger, now, windowMs: config.rateLimits.windowSec * 1000,
  });
  const accessAdmin = new AccessService({ store, usage: stores.usage, governance, state: accessState, now, newId: () => randomUUID() });
  const limits = { ...config.limits, suppressionThreshold: config.statistics.suppressionThreshold };
  const cursors = new SignedCursors(auditKey);
  const contextDeps = {
    accessState,
    accessAdmin,
    now,
    ehr,
    limits,
    governance,
    audit,
    connectors: options.ehr ? withEhrReadHealth(connectors, options.ehr) : connectors,
    cursors,
  };
  const queryLimits = queryLimitOptions(config.queryLimits);
  const upgrades = createSubscriptionServer({
    schema,
    verifier,
    bus,
    contextFor: (principal, requestId) => buildRequestContext(contextDeps, principal, requestId),
    invalidateAccess: (tenant) => accessState.invalidate(tenant),
    formatError: createFormatError(logger),
    validationRules: queryLimits.validationRules,
    maxTokens: queryLimits.parseOptions.maxTokens,
    logger,
    failedLogins,
    rateLimiter: hardening.hardening.rateLimiter,
    // The same trusted documents as the HTTP path and the same audit (a stopped agent's refusal at the socket).
    trustedDocuments,
    audit,
    ...(options.subscriptions ? { options: options.subscriptions } : {}),
  });
  const metricsRoute = metrics
    ? new MetricsRoute(metrics, {
        token: config.metrics.token,
        separatePort: config.metrics.port !== null,
        production: config.mode === 'production',
      })
    : null;
  const gateway = new Gateway({
    schema,
    phiAudit: options.phiAudit ?? true,
    executionEngine: config.executionEngine,
    verifier,
    ehr,
    policy,
    governance,
    accessState,
    accessAdmin,
    now,
    audit,
    connectors: contextDeps.connectors,
    failedLogins,
    logger,
    limits,
    production: config.mode === 'production',
    hardening: hardening.hardening,
    console: new ConsoleRoute({ devTokens: await devTokenMinterFor(config, policy), oidc: config.oidc }),
    upgrades,
    cursors,
    frontend: new FrontendRoutes({ corsOrigins: config.corsOrigins, schema, introspectionRoles: hardening.hardening.introspectionRoles,
      graphiql: config.graphiql ? new GraphiqlRoute() : null,
      trustedDocuments,
    }),
    ...(archiver ? { auditArchive: () => archiver.status() } : {}),
    ...(metricsRoute ? { metrics: metrics!, metricsRoute } : {}),
  });
  const url = await gateway.start(config.port, config.host);
  publicUrl ||= url.replace(/\/graphql$/, '').replace(/\/+$/, '');
  const metricsServer = metricsRoute && config.metrics.port !== null ? await metricsRoute.listen(config.metrics.port, config.host) : null;
  return {
    url,
    fhir,
    governance,
    audit,
    failedLogins,
    auditArchiver: archiver,
    durable,
    escalations,
    metricsUrl: metricsServer ? metricsServer.url : null,
    contextFor: async (authorization) => buildRequestContext(contextDeps, await verifier.verify(authorization), randomUUID()),
    async stop() {
      await gateway.stop();
      await metricsServer?.stop();
      // Open failed-login windows are written before the store closes.
      failedLogins.stop();
      await failedLogins.flush();
      await outbox.stop();
      await reminders.stop();
      await hardening.close();
      if (!options.bus) await bus.close();
      await checkpointer.stop();
      await escalations.stop();
      await archiver?.stop();
      await archive?.close();
      if (!options.stores) await stores.close();
      await fhir?.stop();
      await tracing?.shutdown();
    },
  };
}

/** Pending change requests per risk, and the oldest one's age: read at scrape time from every tenant's store. */
async function approvalQueue(store: GovernanceStore, now: () => number): Promise<ApprovalQueueStat[]> {
  const byRisk = new Map<string, { depth: number; oldest: number }>();
  for (const tenant of await store.tenants()) {
    for (const change of await store.listChanges(tenant, { status: 'PENDING' }, 10_000)) {
      const at = byRisk.get(change.risk) ?? { depth: 0, oldest: Infinity };
      at.depth++;
      at.oldest = Math.min(at.oldest, Date.parse(change.createdAt));
      byRisk.set(change.risk, at);
    }
  }
  return [...byRisk].map(([risk, { depth, oldest }]) => ({ risk, depth, oldestSeconds: Math.max(0, (now() - oldest) / 1000) }));
}
