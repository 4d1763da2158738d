import type { CapabilityStatement } from '@medplum/fhirtypes';
import { supportedScopes } from '../../../connectors/ehr/capability-scopes.js';
import { ConnectorError } from '../../../connectors/common/connector-error.js';
import type { FhirHttpClient } from '../../../connectors/ehr/client/fhir-http-client.js';
import { originOf } from '../../../connectors/ehr/client/smart-token-source.js';
import { classifySearchFailure } from '../../../connectors/ehr/reader/tenant-fhir-client.js';
import { parseSmartScope } from '../../../spec/smart-scopes.js';
import type { Principal } from '../../auth/principal.js';
import type { AuditService } from '../audit/audit-service.js';
import { BadUserInputError, ConflictError } from '../../errors/errors.js';
import { GovernanceError } from '../../errors/governance-error.js';
import { describeTarget } from '../../governance/change-target.js';
import { DESTINATION_REASON, DESTINATION_REFUSED, isRefusedDestination } from '../../governance/connector-destination.js';
import { editCheck } from '../../governance/edit-permission.js';
import type { Environment } from '../../governance/environment.js';
import { jsonEqual, type JsonValue } from '../../governance/json.js';
import {
  CONNECTOR_FIELDS,
  connectorSettingKey,
  describeProblems,
  ID_PATTERN,
  validateSettingValue,
  type ConnectorField,
} from '../../governance/setting-catalog.js';
import { credentialRefOf, type EhrEndpoints } from './ehr-endpoints.js';
import type { ConnectorSecretStore, CredentialRef, Jwks, KeyAlgorithm, SecretMeta } from './secret-store.js';
import type { GovernanceDeps } from '../governance/deps.js';
import { currentSetting, stopState, storedSettings } from '../governance/reads.js';
import { proposalRefusal } from '../governance/refusals.js';
import { updateSetting, updateSettings } from '../governance/setting-proposals.js';

// Connector configuration: the connector's fields are the governed settings `integration.<id>.<field>` (each
// change goes through governance, approvals and history like any setting). Credentials are write-only: the value is
// staged in the secret store (secret-store.ts) and the governed setting `integration.<id>.credentials` names it by
// fingerprint, so setting or rotating one is a change like any other (CRITICAL in production: approvals of two
// functions, one of them security) whose diff holds no secret; it is also audited as "changed" with no value. Who may
// set credentials is decided by the policy before this is called (`write` on `credentials`), and again by governance
// when the credentials setting is proposed (its editors are those whose role holds that permission).
// A credential is bound to the origin of the base URL it is set for (the one given with it, else the connector's
// base URL now): the connector's client sends it nowhere else, so whoever may move the base URL cannot take the
// credential along; a new destination needs the credentials set again by a holder of `write` on credentials.
// testConnector authenticates as the connector does, through the same client, and reports each step by kind only;
// only those who may configure the connector may run it, and never against a link-local or metadata host.

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
  readonly governance: GovernanceDeps;
  readonly secrets: ConnectorSecretStore;
  readonly endpoints: EhrEndpoints;
  readonly audit: AuditService;
  /** Deadline of each step of testConnector. */
  readonly timeoutMs: number;
  readonly now: () => number;
}

type TestStepName = 'DISCOVERY' | 'TOKEN' | 'METADATA' | 'SEARCH';
interface TestStep {
  readonly name: TestStepName;
  readonly outcome: 'OK' | 'FAILED' | 'SKIPPED';
  /** A ConnectorError kind; never the server's words. */
  readonly error: string | null;
}

interface CredentialChange {
  readonly key: string;
  readonly status: string;
  readonly changeRequestId: string;
}

const keyOf = (id: string, field: ConnectorField) => `integration.${id}.${field}`;

export class ConnectorAdmin {
  constructor(private readonly deps: ConnectorAdminDeps) {}

  async list(tenant: string, environment: Environment): Promise<ConnectorView[]> {
    const stored = await storedSettings(this.deps.governance, tenant, environment);
    const ids = new Set(['ehr', ...stored.flatMap((s) => /^integration\.([a-z][a-z0-9-]*)\.[a-zA-Z]+$/.exec(s.key)?.[1] ?? [])]);
    return Promise.all([...ids].sort().map((id) => this.view(tenant, environment, id)));
  }

  async view(tenant: string, environment: Environment, id: string): Promise<ConnectorView> {
    if (!ID_PATTERN.test(id)) throw new BadUserInputError('connectorId must be lower-case kebab-case.', 'connectorId');
    const values = await Promise.all(CONNECTOR_FIELDS.map((f) => currentSetting(this.deps.governance, tenant, keyOf(id, f), environment)));
    const [credentials, stop] = await Promise.all([
      this.credentialMeta(tenant, environment, id),
      stopState(this.deps.governance, tenant, environment, `connector:${id}`),
    ]);
    return {
      id,
      environment,
      settings: Object.fromEntries(CONNECTOR_FIELDS.map((f, i) => [f, values[i]!.value])) as Record<ConnectorField, JsonValue>,
      credentials,
      stopped: stop.value.stopped,
    };
  }

  /** The active credential as the governed setting names it: metadata only. */
  async credentialMeta(tenant: string, environment: Environment, id: string): Promise<SecretMeta> {
    const setting = await currentSetting(this.deps.governance, tenant, `integration.${id}.credentials`, environment);
    const ref = credentialRefOf(setting.value);
    return {
      configured: ref !== null,
      clientId: ref?.clientId ?? null,
      method: ref?.method ?? null,
      keyId: ref?.fingerprint.startsWith('jwk:') ? ref.fingerprint.slice(4) : null,
      version: setting.version,
      updatedAt: setting.updatedAt,
      updatedBy: setting.updatedBy,
    };
  }

  /**
   * Validates everything first, so a bad field changes nothing; then proposes the fields as ONE governed change (a
   * compound setting change when more than one field changes: approved once, at the highest risk among them, and
   * applied in one commit or not at all), then the credentials (their own governed change, with its own rule).
   */
  async configure(principal: Principal, input: ConfigureInput) {
    const key = connectorSettingKey(input.connectorId, 'baseUrl');
    if (!key.ok) throw new BadUserInputError(describeProblems(key.problems), 'connectorId');
    if (typeof input.settings.baseUrl === 'string' && isRefusedDestination(input.settings.baseUrl)) throw destinationRefused();
    const fields = CONNECTOR_FIELDS.filter((f) => input.settings[f] !== undefined);
    for (const f of fields) {
      const v = validateSettingValue(keyOf(input.connectorId, f), input.settings[f]);
      if (!v.ok) throw new BadUserInputError(`${f}: ${describeProblems(v.problems).replace(/^value/, f)}`, f);
    }
    if (input.credentials) {
      checkSecret(input.credentials.clientSecret);
      await this.clientIdOf(principal.tenant, input.environment, input.connectorId, input.credentials.clientId);
    }
    // Credentials given with a base URL are set for that URL (the holder of write:credentials names both), else for
    // the connector's base URL now.
    const given = input.settings.baseUrl;
    const boundOrigin = !input.credentials ? null
      : given === undefined ? await this.currentOrigin(principal.tenant, input.environment, input.connectorId)
      : typeof given === 'string' ? originOf(given) : null;
    const changes: CredentialChange[] = [];
    // Fields already at the given value are left out (a new version of an unchanged value would only add noise).
    const current = await Promise.all(
      fields.map((f) => currentSetting(this.deps.governance, principal.tenant, keyOf(input.connectorId, f), input.environment)),
    );
    const parsed = fields.map((f) => validateSettingValue(keyOf(input.connectorId, f), input.settings[f]));
    const changed = fields.filter((_, i) => {
      const p = parsed[i]!;
      return !p.ok || !jsonEqual(p.value, current[i]!.value);
    });
    const why = { reason: input.reason, ticket: input.ticket };
    if (changed.length === 1 || (changed.length === 0 && fields.length > 0)) {
      // One field (or nothing new: the governed answer is NO_CHANGE), one setting change.
      const f = changed[0] ?? fields[0]!;
      const outcome = await updateSetting(this.deps.governance, principal, {
        key: keyOf(input.connectorId, f),
        environment: input.environment,
        value: input.settings[f],
        ...why,
      });
      changes.push({ key: keyOf(input.connectorId, f), status: outcome.status, changeRequestId: outcome.change.id });
    } else if (changed.length > 1) {
      const values = Object.fromEntries(changed.map((f) => [keyOf(input.connectorId, f), input.settings[f]]));
      const outcome = await updateSettings(this.deps.governance, principal, { environment: input.environment, values, ...why });
      for (const f of changed)
        changes.push({ key: keyOf(input.connectorId, f), status: outcome.status, changeRequestId: outcome.change.id });
    }
    if (input.credentials)
      changes.push(
        await this.setSecret(
          principal,
          input.environment,
          input.connectorId,
          input.credentials,
          boundOrigin,
          'connector.credentials.changed',
          input.reason,
          input.ticket,
        ),
      );
    return {
      connector: await this.view(principal.tenant, input.environment, input.connectorId),
      changes,
      credentialsChanged: input.credentials !== null,
    };
  }

  /** Stages a new secret and proposes the switch to it; answers the active credential's metadata (the old one while the change waits). */
  async rotate(
    principal: Principal,
    environment: Environment,
    connectorId: string,
    credentials: { clientId: string | null; clientSecret: string },
    why: { reason: string | null; ticket: string | null } = { reason: null, ticket: null },
  ) {
    if (!ID_PATTERN.test(connectorId)) throw new BadUserInputError('connectorId must be lower-case kebab-case.', 'connectorId');
    const change = await this.setSecret(
      principal,
      environment,
      connectorId,
      credentials,
      await this.currentOrigin(principal.tenant, environment, connectorId),
      'connector.credentials.rotated',
      why.reason,
      why.ticket,
    );
    return { ...(await this.credentialMeta(principal.tenant, environment, connectorId)), change };
  }

  /**
   * Generates a signing key for SMART Backend Services (private_key_jwt) and proposes to authenticate with it. Its
   * public key is published at once (with the current one while the change waits) so the EHR can register it first.
   */
  async generateKey(
    principal: Principal,
    environment: Environment,
    connectorId: string,
    input: { clientId: string | null; algorithm: KeyAlgorithm; reason: string | null; ticket: string | null },
  ) {
    if (!ID_PATTERN.test(connectorId)) throw new BadUserInputError('connectorId must be lower-case kebab-case.', 'connectorId');
    const clientId = await this.clientIdOf(principal.tenant, environment, connectorId, input.clientId);
    const staged = await this.deps.secrets.stageKey(principal.tenant, environment, connectorId, {
      clientId,
      alg: input.algorithm,
      by: principal.sub,
      boundOrigin: await this.currentOrigin(principal.tenant, environment, connectorId),
    });
    if (!staged)
      throw new ConflictError('CONTENTION', 'The credentials changed at the same time: nothing was stored by this request. Retry.');
    const change = await this.propose(
      principal,
      environment,
      connectorId,
      staged.ref,
      'connector.credentials.key-generated',
      input.reason,
      input.ticket,
    );
    return {
      credentials: await this.credentialMeta(principal.tenant, environment, connectorId),
      change,
      jwks: await this.publicJwks(principal.tenant, environment, connectorId),
    };
  }

  /** The public JWKS to register at the EHR: the active key and any key staged after it. */
  async publicJwks(tenant: string, environment: Environment, connectorId: string): Promise<Jwks> {
    if (!ID_PATTERN.test(connectorId)) return { keys: [] };
    return this.deps.secrets.publicJwks(
      tenant,
      environment,
      connectorId,
      await this.deps.endpoints.credentialRef(tenant, environment, connectorId),
    );
  }

  /**
   * Authenticates and calls the server as the connector would, step by step: SMART discovery and a token (when the
   * connector has credentials), `GET /metadata`, and a search within its scopes. Each step reports OK, FAILED with a
   * ConnectorError kind, or SKIPPED; nothing the server says is repeated (the FHIR version only if it is a version).
   */
  async test(principal: Principal, environment: Environment, id: string) {
    this.mayConfigure(principal, environment, id);
    const tenant = principal.tenant;
    const view = await this.view(tenant, environment, id);
    // A base URL stored before the rule (or a deployment's) is refused too, before anything is sent.
    const url = await this.deps.endpoints.baseUrl(tenant, environment, id);
    if (url && isRefusedDestination(url)) throw destinationRefused();
    const scopes = (view.settings.scopes as string[] | null) ?? [];
    const base = { connectorId: id, environment, software: null };
    const client = await this.deps.endpoints.client(tenant, environment, id);
    if (!client) {
      const steps = (['DISCOVERY', 'TOKEN', 'METADATA', 'SEARCH'] as const).map((name): TestStep => ({
        name,
        outcome: 'SKIPPED',
        error: null,
      }));
      return {
        ...base,
        reachable: false,
        authenticated: false,
        fhirVersion: null,
        supportedScopes: [],
        unsupportedScopes: scopes,
        error: 'NOT_CONFIGURED',
        steps,
      };
    }
    const steps: TestStep[] = [];
    let failed: string | null = null;
    const step = async <T>(name: TestStepName, run: (() => Promise<T>) | null): Promise<T | null> => {
      if (!run || failed) {
        steps.push({ name, outcome: 'SKIPPED', error: null });
        return null;
      }
      try {
        const result = await run();
        steps.push({ name, outcome: 'OK', error: null });
        return result;
      } catch (e) {
        if (!(e instanceof ConnectorError)) throw e;
        failed = e.kind;
        steps.push({ name, outcome: 'FAILED', error: e.kind });
        return null;
      }
    };
    const tokens = client.tokens;
    await step('DISCOVERY', tokens ? () => tokens.discover(AbortSignal.timeout(this.deps.timeoutMs)) : null);
    await step('TOKEN', tokens ? () => tokens.token(AbortSignal.timeout(this.deps.timeoutMs)) : null);
    const caps = await step('METADATA', () => capabilities(client));
    await step('SEARCH', () => scopedSearch(client, scopes));
    const { supported, unsupported } = caps ? supportedScopes(caps, scopes) : { supported: [], unsupported: scopes };
    const version = caps?.fhirVersion && /^\d{1,2}\.\d{1,2}(\.\d{1,2})?$/.test(caps.fhirVersion) ? caps.fhirVersion : null;
    return {
      ...base,
      reachable: caps !== null,
      authenticated: tokens !== null && steps[1]?.outcome === 'OK',
      fhirVersion: version,
      supportedScopes: supported,
      unsupportedScopes: unsupported,
      error: failed,
      steps,
    };
  }

  /**
   * Who may test a connector: who may configure it, by the check configureConnector's proposal makes (editCheck on
   * its base URL setting, in that environment). A reader of configuration (support, auditor...) may not use the
   * gateway to probe hosts and ports.
   */
  private mayConfigure(principal: Principal, environment: Environment, id: string): void {
    const key = connectorSettingKey(id, 'baseUrl');
    if (!key.ok) throw new BadUserInputError(describeProblems(key.problems), 'connectorId');
    const { rules, stopPolicy } = this.deps.governance;
    const target = { type: 'setting' as const, key: key.key };
    const described = describeTarget(target, rules, stopPolicy);
    if (!described.ok) throw new BadUserInputError(describeProblems(described.problems), 'connectorId');
    const edit = editCheck(described.descriptor, principal, environment);
    if (edit.ok) return;
    // As a proposal of the connector's settings is refused: its owner, approval path and failed scope.
    const error = { code: 'FORBIDDEN' as const, reason: edit.reason, message: edit.message };
    throw proposalRefusal(this.deps.governance, error, { target, environment, requester: principal });
  }

  /** The origin a credential set now is bound to: the connector's base URL in that environment (null: none). */
  private async currentOrigin(tenant: string, environment: Environment, connectorId: string): Promise<string | null> {
    const url = await this.deps.endpoints.baseUrl(tenant, environment, connectorId);
    return url ? originOf(url) : null;
  }

  private async clientIdOf(tenant: string, environment: Environment, connectorId: string, given: string | null): Promise<string> {
    const current = await this.deps.endpoints.credentialRef(tenant, environment, connectorId);
    const clientId = (given ?? current?.clientId ?? '').trim();
    if (!/^[\x21-\x7e]{1,200}$/.test(clientId))
      throw new BadUserInputError('clientId is required (1 to 200 visible characters).', 'clientId');
    return clientId;
  }

  private async setSecret(
    principal: Principal,
    environment: Environment,
    connectorId: string,
    input: { clientId: string | null; clientSecret: string },
    boundOrigin: string | null,
    action: string,
    reason: string | null,
    ticket: string | null,
  ): Promise<CredentialChange> {
    const clientId = await this.clientIdOf(principal.tenant, environment, connectorId, input.clientId);
    checkSecret(input.clientSecret);
    const ref = await this.deps.secrets.stageSecret(principal.tenant, environment, connectorId, {
      clientId,
      secret: input.clientSecret,
      by: principal.sub,
      boundOrigin,
    });
    if (!ref) throw new ConflictError('CONTENTION', 'The credentials changed at the same time: nothing was stored by this request. Retry.');
    return this.propose(principal, environment, connectorId, ref, action, reason, ticket);
  }

  /** The governed switch to a staged credential, and an audit record of the fact (no value, no fingerprint). */
  private async propose(
    principal: Principal,
    environment: Environment,
    connectorId: string,
    ref: CredentialRef,
    action: string,
    reason: string | null,
    ticket: string | null,
  ): Promise<CredentialChange> {
    const key = `integration.${connectorId}.credentials`;
    const outcome = await updateSetting(this.deps.governance, principal, { key, environment, value: { ...ref }, reason, ticket });
    const at = new Date(this.deps.now()).toISOString();
    await this.deps.audit.write(principal.tenant, [
      {
        category: 'change',
        at,
        tenant: principal.tenant,
        action,
        outcome: 'success',
        actor: { sub: principal.sub, kind: principal.kind },
        requestId: null,
        changeId: outcome.change.id,
        environment,
        target: `connector:${connectorId}`,
        settingCategory: 'integration',
        risk: null,
        status: 'CHANGED',
        before: null,
        after: null,
        reason: null,
        ticket: null,
        approvals: [],
        detail: { connectorId, clientId: ref.clientId, method: ref.method },
      },
    ]);
    return { key, status: outcome.status, changeRequestId: outcome.change.id };
  }
}

async function capabilities(client: FhirHttpClient): Promise<CapabilityStatement> {
  const answer = await client.request({
    operation: 'metadata',
    method: 'GET',
    path: 'metadata',
    idempotent: true,
    check: (body) => {
      if ((body as { resourceType?: unknown }).resourceType !== 'CapabilityStatement')
        throw new ConnectorError('ehr', 'UNAVAILABLE', null, 'ehr: metadata did not answer a CapabilityStatement');
    },
  });
  return answer.body as CapabilityStatement;
}

/** One search of a resource type the connector's scopes allow to search (Patient when none names one). */
async function scopedSearch(client: FhirHttpClient, scopes: readonly string[]): Promise<void> {
  const type = scopes.map(parseSmartScope).find((s) => s && s.resource !== '*' && s.interactions.has('s'))?.resource ?? 'Patient';
  await client.request({
    operation: `${type} search`,
    method: 'GET',
    path: `${type}?_count=1&_elements=id`,
    idempotent: true,
    classify: classifySearchFailure,
    check: (body) => {
      if ((body as { resourceType?: unknown }).resourceType !== 'Bundle')
        throw new ConnectorError('ehr', 'UNAVAILABLE', null, `ehr: ${type} search did not answer a Bundle`);
    },
  });
}

/** A base URL at a link-local or metadata host: refused in every environment, with a stable reason. */
function destinationRefused(): GovernanceError {
  return new GovernanceError({
    code: 'BAD_USER_INPUT',
    reason: DESTINATION_REASON,
    message: `baseUrl: ${DESTINATION_REFUSED}.`,
    problems: [{ path: 'baseUrl', message: DESTINATION_REFUSED }],
  });
}

/** The message never repeats the secret, whatever is wrong with it. */
function checkSecret(secret: string): void {
  if (secret.length < 8 || secret.length > 4096) throw new BadUserInputError('clientSecret must be 8 to 4096 characters.', 'clientSecret');
}
