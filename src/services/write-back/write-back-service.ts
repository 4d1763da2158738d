import type { Reference, Resource } from '@medplum/fhirtypes';
import { referenceId } from '../../../connectors/ehr/mapping/fhir-values.js';
import { ConnectorError } from '../../../connectors/common/connector-error.js';
import type { FhirWriter, WriteResult } from '../../../connectors/ehr/write/fhir-writer.js';
import { medicationRequestResource, noteResource, observationResource } from '../../../connectors/ehr/write/write-resources.js';
import type { MedicationDraft, NoteDraft, ObservationDraft, WriteAuthor } from '../../../connectors/ehr/write/write-resources.js';
import type { Principal } from '../../auth/principal.js';
import type { AuditService } from '../audit/audit-service.js';
import { ClearanceError, ConflictError } from '../../errors/errors.js';
import type { Environment } from '../../governance/environment.js';
import { writeBackRefusal, type WriteBackSettings, type WriteRefusal } from './write-back-gate.js';
import type { GovernanceDeps } from '../governance/deps.js';
import { currentSetting, stopState } from '../governance/reads.js';

// Writes to the EHR on behalf of a principal who the policy already allowed: checks the governed gate (write-back
// enabled in this gateway's environment, the connector's scopes, its emergency stop), writes through the FhirWriter
// (conditional create / If-Match update, Provenance) and records an audit event naming what was written (never its
// content). The audit record is written after the write; if it cannot be written the caller gets AUDIT_UNAVAILABLE.

export interface WriteBackDeps {
  readonly governance: GovernanceDeps;
  readonly writer: FhirWriter;
  readonly audit: AuditService;
  readonly environment: Environment;
  /** The tenant's FHIR base URL: the governed `integration.ehr.baseUrl` when set, else the deployment's. */
  readonly baseUrlFor: (tenant: string) => Promise<string | null>;
  readonly now: () => number;
}

export type WriteOperation =
  | { readonly kind: 'create'; readonly resource: Resource }
  | { readonly kind: 'update'; readonly resource: Resource & { id: string }; readonly expectedVersion: string };

type Writer = Pick<Principal, 'tenant' | 'sub' | 'kind'>;
/** The request id the audit record names (null outside a request). */
type Rid = string | null;

/** The stored note an update replaces, at the version the caller read. */
export interface NoteUpdate {
  readonly id: string;
  readonly expectedVersion: string;
}

export type ObservationInput = Omit<ObservationDraft, 'effective'> & { readonly effective: string | null };

export class WriteBackService {
  constructor(private readonly deps: WriteBackDeps) {}

  get environment(): Environment {
    return this.deps.environment;
  }

  /** Throws FORBIDDEN (reason WRITE_BACK_DISABLED, CONNECTOR_STOPPED, SCOPE_NOT_CONFIGURED, NOT_MAPPED) when the gate is closed. */
  async assertOpen(tenant: string, resourceType: string, interaction: 'c' | 'u'): Promise<void> {
    const refusal = await this.gateRefusal(tenant, resourceType, interaction);
    if (refusal) throw new ClearanceError('FORBIDDEN', refusal.message, { reason: refusal.reason, ...this.gateExtensions });
  }

  /** The extensions a closed gate's refusal carries besides its reason. */
  get gateExtensions(): { readonly connector: 'ehr'; readonly environment: Environment } {
    return { connector: 'ehr', environment: this.deps.environment };
  }

  /**
   * Why the gate is closed for this write now (null: open), read from the store on every call: what assertOpen throws,
   * what a proposal of a clinical write and its approval are refused with (ehr-write-effect.ts), what explain says.
   */
  async gateRefusal(tenant: string, resourceType: string, interaction: 'c' | 'u'): Promise<WriteRefusal | null> {
    const env = this.deps.environment;
    const [enabled, scopes, mappings, stop] = await Promise.all([
      currentSetting(this.deps.governance, tenant, 'integration.ehr.writeBackEnabled', env),
      currentSetting(this.deps.governance, tenant, 'integration.ehr.scopes', env),
      currentSetting(this.deps.governance, tenant, 'integration.ehr.writeBackMappings', env),
      stopState(this.deps.governance, tenant, env, 'connector:ehr'),
    ]);
    const settings = {
      environment: env,
      enabled: enabled.value === true,
      stopped: stop.value.stopped,
      scopes: (scopes.value as string[]) ?? [],
      mappings: (mappings.value as unknown as WriteBackSettings['mappings']) ?? [],
    };
    return writeBackRefusal(settings, resourceType, interaction);
  }

  /**
   * The stored resource an update would change, read from the tenant's FHIR server before anything is decided (a
   * write authorizes against what it changes, never its arguments); null when the tenant has no such resource.
   */
  async readTarget(tenant: string, resourceType: string, id: string): Promise<(Resource & { id: string }) | null> {
    const baseUrl = await this.deps.baseUrlFor(tenant);
    if (!baseUrl) throw new ConnectorError('ehr', 'REJECTED', null, 'ehr: no FHIR base URL is configured for this tenant');
    try {
      const found = await this.deps.writer.read({ tenant, baseUrl }, resourceType, id);
      return found.resourceType === resourceType ? found : null;
    } catch (e) {
      if (e instanceof ConnectorError && e.kind === 'NOT_FOUND') return null;
      throw e;
    }
  }

  /** A progress note (DocumentReference): created, or the stored one (already authorized) updated at its version. */
  writeNote(principal: Writer, patientId: string, draft: NoteDraft, update: NoteUpdate | null, key: string, author: WriteAuthor, rid: Rid) {
    const resource = noteResource(patientId, draft, this.nowIso());
    const op: WriteOperation = update
      ? { kind: 'update', resource: { ...resource, id: update.id }, expectedVersion: update.expectedVersion }
      : { kind: 'create', resource };
    return this.write(principal, op, key, author, rid);
  }

  /** A vital sign (Observation), effective now unless the draft says when. */
  writeObservation(principal: Writer, patientId: string, draft: ObservationInput, key: string, author: WriteAuthor, requestId: Rid) {
    const resource = observationResource(patientId, { ...draft, effective: draft.effective ?? this.nowIso() });
    return this.write(principal, { kind: 'create', resource }, key, author, requestId);
  }

  /** A medication proposal (MedicationRequest, status draft) written at once by someone allowed to write it. */
  writeMedicationRequest(principal: Writer, patientId: string, draft: MedicationDraft, key: string, author: WriteAuthor, requestId: Rid) {
    const resource = medicationRequestResource(patientId, draft, this.nowIso());
    return this.write(principal, { kind: 'create', resource }, key, author, requestId);
  }

  private nowIso(): string {
    return new Date(this.deps.now()).toISOString();
  }

  async write(principal: Writer, op: WriteOperation, idempotencyKey: string, author: WriteAuthor, requestId: Rid): Promise<WriteResult> {
    const tenant = principal.tenant;
    await this.assertOpen(tenant, op.resource.resourceType, op.kind === 'create' ? 'c' : 'u');
    const baseUrl = await this.deps.baseUrlFor(tenant);
    if (!baseUrl) throw new ConnectorError('ehr', 'REJECTED', null, 'ehr: no FHIR base URL is configured for this tenant');
    const target = { tenant, baseUrl };
    const nowIso = new Date(this.deps.now()).toISOString();
    let result: WriteResult;
    try {
      result =
        op.kind === 'create'
          ? await this.deps.writer.create(target, op.resource, idempotencyKey, author, nowIso)
          : await this.deps.writer.update(target, op.resource, op.expectedVersion, idempotencyKey, author, nowIso);
    } catch (e) {
      if (e instanceof ConnectorError && e.kind === 'CONFLICT') throw new ConflictError('STALE_VERSION', e.message.replace(/^ehr: /, ''));
      throw e;
    }
    // Top level, so the audit log's patient filter finds the write.
    const patientId = referenceId((op.resource as { subject?: Reference }).subject, 'Patient');
    await this.deps.audit.write(tenant, [
      {
        category: 'change',
        at: nowIso,
        tenant,
        action: `ehr.${op.kind}`,
        outcome: 'success',
        actor: { sub: principal.sub, kind: principal.kind },
        requestId,
        changeId: null,
        environment: this.deps.environment,
        target: `ehr:${result.resourceType}/${result.id}`,
        settingCategory: null,
        risk: null,
        status: result.created || op.kind === 'update' ? 'WRITTEN' : 'ALREADY_WRITTEN',
        before: null,
        after: null,
        reason: null,
        ticket: null,
        approvals: [],
        detail: {
          resourceType: result.resourceType,
          id: result.id,
          versionId: result.versionId,
          approvedBy: [...(author.approvedBy ?? [])],
        },
        ...(patientId ? { patientId } : {}),
      },
    ]);
    return result;
  }
}
