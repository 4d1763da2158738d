import { supportedScopes } from '../../../connectors/ehr/capability-scopes.js';
import { ConnectorError } from '../../../connectors/common/connector-error.js';
import type { FhirWriter } from '../../../connectors/ehr/write/fhir-writer.js';
import type { Principal } from '../../auth/principal.js';
import type { AuditService } from '../../audit/audit-service.js';
import { BadUserInputError, ConflictError } from '../../errors/errors.js';
import type { Environment } from '../../governance/environment.js';
import type { JsonValue } from '../../governance/json.js';
import { CONNECTOR_FIELDS, connectorSettingKey, describeProblems, ID_PATTERN, validateSettingValue, type ConnectorField } from '../../governance/setting-catalog.js';
import type { GovernanceService } from '../governance-service.js';
import type { ConnectorSecretStore, SecretMeta } from './secret-store.js';

// Connector configuration: the connector's fields are the governed settings `integration.<id>.<field>` (each
// change goes through governance, approvals and history like any setting); its credentials are write-only and kept
// apart (secret-store.ts): set or rotated, audited as "changed" with no value, never returned. Who may set
// credentials is decided by the policy before this is called (`write` on `credentials`).

export interface ConnectorView {
  readonly id: string;
  readonly environment: Environment;
  readonly settings: Readonly<Record<ConnectorField, JsonValue>>;
  readonly credentials: SecretMeta;
  readonly stopped: boolean;
}

export interface ConfigureInput {
  readonly connectorId: string;
  readonly environment: Environment;
  readonly settings: Partial<Record<ConnectorField, unknown>>;
  readonly credentials: { readonly clientId: string | null; readonly clientSecret: string } | null;
  readonly reason: string | null;
  readonly ticket: string | null;
}

export interface ConnectorAdminDeps {
  readonly governance: GovernanceService;
  readonly secrets: ConnectorSecretStore;
  readonly writer: FhirWriter;
  readonly audit: AuditService;
  /** The deployment's FHIR base URL of a tenant (FHIR_BASE_URLS or the embedded server): the `ehr` fallback. */
  readonly deploymentBaseUrl: (tenant: string) => string | null;
  readonly now: () => number;
}

const keyOf = (id: string, field: ConnectorField) => `integration.${id}.${field}`;

export class ConnectorAdmin {
  constructor(private readonly deps: ConnectorAdminDeps) {}

  async list(tenant: string, environment: Environment): Promise<ConnectorView[]> {
    const stored = await this.deps.governance.storedSettings(tenant, environment);
    const ids = new Set(['ehr', ...stored.flatMap((s) => /^integration\.([a-z][a-z0-9-]*)\.[a-zA-Z]+$/.exec(s.key)?.[1] ?? [])]);
    return Promise.all([...ids].sort().map((id) => this.view(tenant, environment, id)));
  }

  async view(tenant: string, environment: Environment, id: string): Promise<ConnectorView> {
    if (!ID_PATTERN.test(id)) throw new BadUserInputError('connectorId must be lower-case kebab-case.', 'connectorId');
    const values = await Promise.all(CONNECTOR_FIELDS.map((f) => this.deps.governance.currentSetting(tenant, keyOf(id, f), environment)));
    const [credentials, stop] = await Promise.all([this.deps.secrets.meta(tenant, environment, id), this.deps.governance.stopState(tenant, environment, `connector:${id}`)]);
    return { id, environment, settings: Object.fromEntries(CONNECTOR_FIELDS.map((f, i) => [f, values[i]!.value])) as Record<ConnectorField, JsonValue>, credentials, stopped: stop.value.stopped };
  }

  /** Validates everything first, so a bad field changes nothing; then the credentials, then one governed change per field. */
  async configure(principal: Principal, input: ConfigureInput) {
    const key = connectorSettingKey(input.connectorId, 'baseUrl');
    if (!key.ok) throw new BadUserInputError(describeProblems(key.problems), 'connectorId');
    const fields = CONNECTOR_FIELDS.filter((f) => input.settings[f] !== undefined);
    for (const f of fields) {
      const v = validateSettingValue(keyOf(input.connectorId, f), input.settings[f]);
      if (!v.ok) throw new BadUserInputError(`${f}: ${describeProblems(v.problems).replace(/^value/, f)}`, f);
    }
    if (input.credentials) await this.setSecret(principal, input.environment, input.connectorId, input.credentials, 'connector.credentials.changed');
    const changes = [];
    for (const f of fields) {
      const outcome = await this.deps.governance.updateSetting(principal, { key: keyOf(input.connectorId, f), environment: input.environment, value: input.settings[f], reason: input.reason, ticket: input.ticket });
      changes.push({ key: keyOf(input.connectorId, f), status: outcome.status, changeRequestId: outcome.change.id });
    }
    return { connector: await this.view(principal.tenant, input.environment, input.connectorId), changes, credentialsChanged: input.credentials !== null };
  }

  async rotate(principal: Principal, environment: Environment, connectorId: string, credentials: { clientId: string | null; clientSecret: string }): Promise<SecretMeta> {
    if (!ID_PATTERN.test(connectorId)) throw new BadUserInputError('connectorId must be lower-case kebab-case.', 'connectorId');
    await this.setSecret(principal, environment, connectorId, credentials, 'connector.credentials.rotated');
    return this.deps.secrets.meta(principal.tenant, environment, connectorId);
  }

  /** `GET /metadata` of the connector's base URL: reachable, FHIR version, which configured scopes it supports. */
  async test(tenant: string, environment: Environment, id: string) {
    const view = await this.view(tenant, environment, id);
    const scopes = (view.settings.scopes as string[] | null) ?? [];
    const baseUrl = typeof view.settings.baseUrl === 'string' ? view.settings.baseUrl : id === 'ehr' ? this.deps.deploymentBaseUrl(tenant) : null;
    if (!baseUrl) return { connectorId: id, environment, reachable: false, fhirVersion: null, software: null, supportedScopes: [], unsupportedScopes: scopes, error: 'NOT_CONFIGURED' };
    try {
      const caps = await this.deps.writer.capabilities({ tenant: `${tenant}:test:${id}`, baseUrl });
      const { supported, unsupported } = supportedScopes(caps, scopes);
      return { connectorId: id, environment, reachable: true, fhirVersion: caps.fhirVersion ?? null, software: caps.software?.name ?? null, supportedScopes: supported, unsupportedScopes: unsupported, error: null };
    } catch (e) {
      if (!(e instanceof ConnectorError)) throw e;
      return { connectorId: id, environment, reachable: false, fhirVersion: null, software: null, supportedScopes: [], unsupportedScopes: scopes, error: e.kind };
    }
  }

  private async setSecret(principal: Principal, environment: Environment, connectorId: string, input: { clientId: string | null; clientSecret: string }, action: string): Promise<void> {
    const current = await this.deps.secrets.meta(principal.tenant, environment, connectorId);
    const clientId = (input.clientId ?? current.clientId ?? '').trim();
    if (!/^[\x21-\x7e]{1,200}$/.test(clientId)) throw new BadUserInputError('clientId is required (1 to 200 visible characters).', 'clientId');
    // The message never repeats the secret, whatever is wrong with it.
    if (input.clientSecret.length < 8 || input.clientSecret.length > 4096) throw new BadUserInputError('clientSecret must be 8 to 4096 characters.', 'clientSecret');
    const at = new Date(this.deps.now()).toISOString();
    if (!(await this.deps.secrets.put(principal.tenant, environment, connectorId, { clientId, secret: input.clientSecret, by: principal.sub }))) {
      throw new ConflictError('CONTENTION', 'The credentials changed at the same time: nothing was stored by this request. Retry.');
    }
    // Audited as a fact, with no value, no length and no fingerprint: nothing about the secret.
    await this.deps.audit.write(principal.tenant, [
      {
        category: 'change', at, tenant: principal.tenant, action, outcome: 'success', actor: { sub: principal.sub, kind: principal.kind }, requestId: null,
        changeId: null, environment, target: `connector:${connectorId}`, settingCategory: 'integration', risk: null, status: 'CHANGED',
        before: null, after: null, reason: null, ticket: null, approvals: [], detail: { connectorId, clientId },
      },
    ]);
  }
}
