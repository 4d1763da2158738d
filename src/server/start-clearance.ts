import { createEhrConnector, type EhrConnectorOptions } from '../../connectors/ehr/create-ehr-connector.js';
import type { EhrConnector } from '../../connectors/ehr/ehr-reader.js';
import { createEmbeddedFhirServer, type EmbeddedFhirServer } from '../../connectors/ehr/embedded-fhir-server.js';
import { defaultTenantSeed } from '../../connectors/ehr/seed.js';
import type { PolicyDocument } from '../../rules/policy-document.js';
import { defaultPolicy } from '../../rules/policy-document.js';
import { createKeyGetter } from '../auth/key-source.js';
import { createTokenVerifier } from '../auth/verify-token.js';
import type { GatewayConfig } from '../config/config.js';
import { randomUUID } from 'node:crypto';
import { DEFAULT_APPROVAL_RULES } from '../governance/approval-rules.js';
import { functionsFromPolicy } from '../governance/functions.js';
import { ARCHIVE_INTERVAL_MS, createAuditArchiver, type AuditArchiver } from '../audit/audit-archiver.js';
import { CHECKPOINT_INTERVAL_MS, createAuditCheckpointer } from '../audit/audit-checkpointer.js';
import { AuditService } from '../audit/audit-service.js';
import { createFailedLoginAudit } from '../audit/failed-login.js';
import { loadOrCreateAuditKey } from '../audit/embedded-audit-key.js';
import { createConnectorServices } from '../services/connectors/create-connector-services.js';
import { AccessService } from '../services/access-service.js';
import { AccessState } from '../services/access-state.js';
import { GovernanceService } from '../services/governance-service.js';
import { createEhrWriteEffect } from '../services/write-back/ehr-write-effect.js';
import { createStore } from '../stores/create-store.js';
import { createPostgresAuditArchive } from '../stores/postgres-audit-archive.js';
import type { GovernanceStore } from '../stores/governance-store.js';
import { buildGuardedSchema, buildUnguardedSchema, type PermissionEngine } from './build-schema.js';
import { ConsoleRoute, devTokenMinterFor } from './console-route.js';
import { withEhrReadHealth } from './ehr-read-health.js';
import { Gateway } from './gateway.js';
import { createHardening } from './hardening.js';
import type { Logger } from './logger.js';

// The composition root: config in, a running gateway out. Embedded mode also starts the embedded FHIR server
// seeded with the Synthea sample patients; production mode uses the configured FHIR base URLs.

export interface StartOptions {
  readonly logger: Logger;
  readonly policy?: PolicyDocument;
  /** Embedded mode: the tenants' bundles for the embedded FHIR server (default: the Synthea samples). */
  readonly fhirSeed?: Parameters<typeof createEmbeddedFhirServer>[0]['tenants'];
  readonly onFhirRequest?: EhrConnectorOptions['onRequest'];
  /** Benchmark only: `none` serves the same schema and resolvers with no permission layer (the physical limit). */
  readonly permissionEngine?: PermissionEngine | 'none';
  /** Benchmark only: false leaves PHI reads unaudited, to measure the audit's cost. */
  readonly phiAudit?: boolean;
  /** An EHR connector to use instead of the one from config (the benchmark's in-process FHIR data). */
  readonly ehr?: EhrConnector;
  /** A store to use instead of the one from config (tests share one between two gateways). */
  readonly store?: GovernanceStore;
  /** The clock of decisions, governed changes and the EHR read circuit (tests move it to see grants expire and circuits half-open); default Date.now. */
  readonly now?: () => number;
}

export interface RunningClearance {
  readonly url: string;
  readonly fhir: EmbeddedFhirServer | null;
  readonly governance: GovernanceService;
  readonly audit: AuditService;
  /** Moves sealed audit segments to PostgreSQL (null without AUDIT_ARCHIVE_URL). */
  readonly auditArchiver: AuditArchiver | null;
  readonly durable: boolean;
  stop(): Promise<void>;
}

export async function startClearance(config: GatewayConfig, options: StartOptions): Promise<RunningClearance> {
  const { logger } = options;
  let fhir: EmbeddedFhirServer | null = null;
  let baseUrls: Readonly<Record<string, string>> = config.fhir.baseUrls ?? {};
  if (!config.fhir.baseUrls && !options.ehr) {
    fhir = await createEmbeddedFhirServer({ tenants: options.fhirSeed ?? (await defaultTenantSeed()) }).start();
    baseUrls = fhir.baseUrls();
  }
  const { store, durable } = options.store ? { store: options.store, durable: true } : await createStore(config.redisUrl);
  const policy = options.policy ?? defaultPolicy();
  const now = options.now ?? (() => Date.now());
  const accessState = new AccessState({ store, rules: DEFAULT_APPROVAL_RULES, now, defaultPolicy: policy, onError: () => logger.warn('grant usage not recorded') });
  const governance = new GovernanceService({
    store,
    rules: DEFAULT_APPROVAL_RULES,
    functionsOf: functionsFromPolicy(policy),
    policyOf: async (tenant) => (await accessState.policy(tenant)).policy,
    onCommitted: (tenant, change) => change.category === 'access' && accessState.invalidate(tenant),
    now,
    newId: () => randomUUID(),
    connectorEffects: (effect) => connectorEffects(effect),
  });
  const auditKey = config.audit.hmacKey ?? (await loadOrCreateAuditKey(config.stateDir));
  // Issue 20: with AUDIT_ARCHIVE_URL, sealed segments move to PostgreSQL and Redis keeps the hot window only.
  const archive = config.audit.archiveUrl ? createPostgresAuditArchive(config.audit.archiveUrl) : undefined;
  const audit = new AuditService({ store, hmacKey: auditKey, now: () => Date.now(), archive, durable });
  logger.info(
    { auditStorage: audit.storage },
    durable ? (archive ? 'audit log: Redis hot window, PostgreSQL archive' : 'audit log: Redis only (no archive: set AUDIT_ARCHIVE_URL)') : 'audit log: in memory (embedded default, no archive)',
  );
  const connectors = createConnectorServices({ config, store, governance, audit, baseUrls, secretKey: auditKey });
  const ehrWriteEffect = createEhrWriteEffect({ store, governance, writeBack: connectors.writeBack });
  // Each effect handler ignores the effect types that are not its own.
  const connectorEffects = async (effect: Parameters<typeof ehrWriteEffect>[0]) => {
    await ehrWriteEffect(effect);
    await connectors.refundEffect(effect);
  };
  // Finish what a crash left between an approval and its external effect, then keep sweeping.
  await governance.outbox.runAll();
  governance.outbox.start(5_000);
  const checkpointer = createAuditCheckpointer({ audit, tenants: () => store.tenants(), logger });
  checkpointer.start(CHECKPOINT_INTERVAL_MS);
  const archiver = archive
    ? createAuditArchiver({ audit, archive, tenants: () => store.tenants(), hot: config.audit.hot, now: () => Date.now(), logger })
    : null;
  // The first pass also finishes a segment a crash left copied but not trimmed.
  if (archiver) {
    void archiver.runAll();
    archiver.start(ARCHIVE_INTERVAL_MS);
  }
  const verifier = createTokenVerifier({ ...config.auth, keys: await createKeyGetter(config) });
  const hardening = await createHardening(config, { store, baseUrls, policy, logger });
  // Built once: its per-tenant circuits and health span all requests (and show in connectorHealth with the writes').
  const ehr = options.ehr ?? createEhrConnector({ baseUrls, timeoutMs: config.fhir.timeoutMs, onRequest: options.onFhirRequest, resilience: { now } });
  const gateway = new Gateway({
    schema: options.permissionEngine === 'none' ? buildUnguardedSchema() : buildGuardedSchema(options.permissionEngine ?? 'fast'),
    phiAudit: options.phiAudit ?? true,
    verifier,
    ehr,
    policy,
    governance,
    accessState,
    accessAdmin: new AccessService({ store, governance, state: accessState, now, newId: () => randomUUID() }),
    now,
    audit,
    connectors: withEhrReadHealth(connectors, ehr),
    failedLogins: createFailedLoginAudit({ audit, tenants: () => store.tenants(), logger, now: () => Date.now() }),
    logger,
    limits: { ...config.limits, suppressionThreshold: config.statistics.suppressionThreshold },
    production: config.mode === 'production',
    hardening: hardening.hardening,
    console: new ConsoleRoute({ devTokens: await devTokenMinterFor(config, policy) }),
    ...(archiver ? { auditArchive: () => archiver.status() } : {}),
  });
  const url = await gateway.start(config.port, config.host);
  return {
    url,
    fhir,
    governance,
    audit,
    auditArchiver: archiver,
    durable,
    async stop() {
      await gateway.stop();
      await governance.outbox.stop();
      await hardening.close();
      await checkpointer.stop();
      await archiver?.stop();
      await archive?.close();
      if (!options.store) await store.close();
      await fhir?.stop();
    },
  };
}
