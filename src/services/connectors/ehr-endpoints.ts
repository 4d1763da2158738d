import { ConnectorError } from '../../../connectors/common/connector-error.js';
import type { EhrEndpoint, FhirClientPool } from '../../../connectors/ehr/client/fhir-client-pool.js';
import type { FhirHttpClient } from '../../../connectors/ehr/client/fhir-http-client.js';
import type { ConnectorCredential } from '../../../connectors/ehr/client/smart-token-source.js';
import type { WriteTarget } from '../../../connectors/ehr/write/fhir-writer.js';
import { isRefusedDestination } from '../../governance/connector-destination.js';
import type { Environment } from '../../governance/environment.js';
import { sendsCredentials, type ConnectorSecretStore, type CredentialRef } from './secret-store.js';
import type { GovernanceDeps } from '../governance/deps.js';
import { currentSetting } from '../governance/reads.js';

// Where and as whom a connector calls its FHIR server, from one source: the governed settings of the connector in
// an environment (`integration.<id>.baseUrl`, `.credentials`, `.scopes`), the `ehr` connector falling back to the
// deployment's base URL (FHIR_BASE_URLS or the embedded server). EHR reads, writes and testConnector all ask here
// and get their client from one pool, so a governed change moves them together when it is committed; a request
// keeps the client it started with. A credential goes out only to the origin it was bound to when it was set
// (secret-store.ts; checked by the token source before anything is sent), and never to a link-local or metadata
// host (connector-destination.ts), even one stored before that rule. Only a connector that sends credentials
// (secret-store.ts sendsCredentials: the EHR) gets its credential in its endpoint; any other connector's client (the
// webhooks connector's, whose secret only signs) calls without credentials and has no token source.

/** A base URL stored before connector-destination.ts refused it is refused at use, for reads and writes alike. */
function refuseDestination(connectorId: string, baseUrl: string): void {
  if (isRefusedDestination(baseUrl))
    throw new ConnectorError('ehr', 'REJECTED', null, `${connectorId}: the base URL is a link-local or cloud metadata address`);
}

/** Asked for when the connector's governed scopes name no system scope (backend services use system/ scopes). */
const DEFAULT_SYSTEM_SCOPES: readonly string[] = ['system/*.rs', 'system/*.cu'];

export interface EhrEndpointsDeps {
  readonly governance: GovernanceDeps;
  readonly secrets: ConnectorSecretStore;
  readonly pool: FhirClientPool;
  /** The environment whose settings this gateway obeys. */
  readonly environment: Environment;
  readonly deploymentBaseUrl: (tenant: string) => string | null;
}

export function credentialRefOf(value: unknown): CredentialRef | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Partial<CredentialRef>;
  // A reference stored before binding has no boundOrigin: bound to nothing, so sent nowhere.
  const boundOrigin = typeof v.boundOrigin === 'string' ? v.boundOrigin : null;
  return typeof v.fingerprint === 'string' &&
    typeof v.clientId === 'string' &&
    (v.method === 'private_key_jwt' || v.method === 'client_secret_basic')
    ? { method: v.method, clientId: v.clientId, fingerprint: v.fingerprint, boundOrigin }
    : null;
}

export class EhrEndpoints {
  /** Revealed credentials by fingerprint: a credential is decrypted once, not per request. */
  private readonly revealed = new Map<string, ConnectorCredential | null>();

  constructor(private readonly deps: EhrEndpointsDeps) {}

  get environment(): Environment {
    return this.deps.environment;
  }

  private setting(tenant: string, environment: Environment, connectorId: string, field: string) {
    return currentSetting(this.deps.governance, tenant, `integration.${connectorId}.${field}`, environment);
  }

  async baseUrl(tenant: string, environment: Environment, connectorId: string): Promise<string | null> {
    const governed = (await this.setting(tenant, environment, connectorId, 'baseUrl')).value;
    if (typeof governed === 'string') return governed;
    return connectorId === 'ehr' ? this.deps.deploymentBaseUrl(tenant) : null;
  }

  async credentialRef(tenant: string, environment: Environment, connectorId: string): Promise<CredentialRef | null> {
    return credentialRefOf((await this.setting(tenant, environment, connectorId, 'credentials')).value);
  }

  async endpoint(tenant: string, environment: Environment, connectorId: string): Promise<EhrEndpoint | null> {
    const [baseUrl, ref, scopes] = await Promise.all([
      this.baseUrl(tenant, environment, connectorId),
      this.credentialRef(tenant, environment, connectorId),
      this.setting(tenant, environment, connectorId, 'scopes'),
    ]);
    if (!baseUrl) return null;
    refuseDestination(connectorId, baseUrl);
    const system = Array.isArray(scopes.value)
      ? scopes.value.filter((s): s is string => typeof s === 'string' && s.startsWith('system/'))
      : [];
    const sent = ref && sendsCredentials(connectorId) ? ref : null;
    const credential = sent ? await this.reveal(tenant, environment, connectorId, sent) : null;
    return {
      baseUrl,
      credential,
      credentialKey: sent ? `${sent.clientId}|${sent.fingerprint}` : null,
      scopes: system.length ? system : DEFAULT_SYSTEM_SCOPES,
    };
  }

  private async reveal(
    tenant: string,
    environment: Environment,
    connectorId: string,
    ref: CredentialRef,
  ): Promise<ConnectorCredential | null> {
    const key = `${tenant}|${environment}|${connectorId}|${ref.clientId}|${ref.fingerprint}`;
    if (!this.revealed.has(key)) this.revealed.set(key, await this.deps.secrets.reveal(tenant, environment, connectorId, ref));
    return this.revealed.get(key) ?? null;
  }

  /** The pool scope of a connector: the `ehr` connector of the gateway's environment is the one reads and writes use. */
  scope(tenant: string, environment: Environment, connectorId: string): string {
    return `${tenant}|${environment}|${connectorId}`;
  }

  /** The connector's client now (null: no base URL). */
  async client(tenant: string, environment: Environment = this.deps.environment, connectorId = 'ehr'): Promise<FhirHttpClient | null> {
    const endpoint = await this.endpoint(tenant, environment, connectorId);
    return endpoint ? this.deps.pool.client(this.scope(tenant, environment, connectorId), tenant, endpoint) : null;
  }

  /** A write's client: the tenant's EHR client, for the base URL the write resolved (the same one unless it just changed). */
  async clientForTarget(target: WriteTarget): Promise<FhirHttpClient> {
    refuseDestination('ehr', target.baseUrl);
    const endpoint = await this.endpoint(target.tenant, this.deps.environment, 'ehr');
    const base = endpoint ?? { credential: null, credentialKey: null, scopes: DEFAULT_SYSTEM_SCOPES };
    return this.deps.pool.client(this.scope(target.tenant, this.deps.environment, 'ehr'), target.tenant, {
      ...base,
      baseUrl: target.baseUrl,
    });
  }

  /** The client reads and writes of a tenant used last (for connectorHealth). */
  current(tenant: string): FhirHttpClient | null {
    return this.deps.pool.current(this.scope(tenant, this.deps.environment, 'ehr'));
  }
}
