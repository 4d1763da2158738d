import { FhirWriter } from '../../../connectors/ehr/write/fhir-writer.js';
import type { AuditService } from '../../audit/audit-service.js';
import type { GatewayConfig } from '../../config/config.js';
import type { GovernanceStore } from '../../stores/governance-store.js';
import type { GovernanceService } from '../governance-service.js';
import { WriteBackService } from '../write-back/write-back-service.js';
import type { ConnectorServices } from './connector-services.js';

// Builds the acting connectors from config: one FhirWriter (circuit, retries and health per tenant) behind the
// write-back service. The EHR base URL of a tenant is its governed `integration.ehr.baseUrl` in the gateway's
// environment when one is set, else the deployment's (FHIR_BASE_URLS or the embedded server).

export interface ConnectorServiceDeps {
  readonly config: GatewayConfig;
  readonly store: GovernanceStore;
  readonly governance: GovernanceService;
  readonly audit: AuditService;
  readonly baseUrls: Readonly<Record<string, string>>;
}

export function createConnectorServices(deps: ConnectorServiceDeps): ConnectorServices {
  const { config, governance } = deps;
  const writer = new FhirWriter({ timeoutMs: config.fhir.timeoutMs, retry: { attempts: 3, baseDelayMs: 100 }, circuit: { failureThreshold: 5, coolDownMs: 30_000 } });
  const baseUrlFor = async (tenant: string): Promise<string | null> => {
    const governed = await governance.currentSetting(tenant, 'integration.ehr.baseUrl', config.environment);
    return typeof governed.value === 'string' ? governed.value : (deps.baseUrls[tenant] ?? null);
  };
  const writeBack = new WriteBackService({ governance, writer, audit: deps.audit, environment: config.environment, baseUrlFor, now: () => Date.now() });
  return { writeBack };
}
