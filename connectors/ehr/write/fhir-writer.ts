import type { CapabilityStatement, Resource } from '@medplum/fhirtypes';
import { ConnectorError } from '../../common/connector-error.js';
import type { Resilience, ResilienceOptions } from '../../common/resilient-call.js';
import { isFhirId } from '../../../spec/fhir-id.js';
import { FhirClientPool } from '../client/fhir-client-pool.js';
import type { FhirHttpClient } from '../client/fhir-http-client.js';
import {
  IDEMPOTENCY_SYSTEM,
  idempotencyToken,
  ifNoneExistFor,
  provenanceResource,
  withIdempotencyIdentifier,
  type WriteAuthor,
} from './write-resources.js';

// Writes to a tenant's FHIR server: conditional creates (`If-None-Exist` on the idempotency identifier) and
// version-aware updates (`If-Match`), each followed by a Provenance PUT under an id derived from the same key, so
// every call is idempotent and may be retried. Failures are ConnectorError with a kind, never the upstream body.
// Every call goes through the tenant's FhirHttpClient (client/fhir-http-client.ts): in the gateway the one its
// reads use too (same base URL, token and circuit), handed in as `clientFor`; standalone, an unauthenticated client
// per tenant and base URL.

export interface WriteTarget {
  readonly tenant: string;
  readonly baseUrl: string;
}

export interface WriteResult {
  readonly resourceType: string;
  readonly id: string;
  readonly versionId: string | null;
  /** false when a resource with the same idempotency key already existed (a retry). */
  readonly created: boolean;
}

interface HttpAnswer {
  readonly status: number;
  readonly body: unknown;
}

export type FhirWriterOptions = Omit<ResilienceOptions, 'connector' | 'classify'> & {
  /** The shared client of a target's tenant (the gateway's pool); default: one unauthenticated client per tenant and URL. */
  readonly clientFor?: (target: WriteTarget) => Promise<FhirHttpClient>;
};

export class FhirWriter {
  private readonly pool: FhirClientPool;

  constructor(private readonly options: FhirWriterOptions) {
    this.pool = new FhirClientPool({
      timeoutMs: options.timeoutMs,
      resilience: { retry: options.retry, circuit: options.circuit, now: options.now },
    });
  }

  private client(target: WriteTarget): Promise<FhirHttpClient> {
    if (this.options.clientFor) return this.options.clientFor(target);
    return Promise.resolve(
      this.pool.client(target.tenant, target.tenant, { baseUrl: target.baseUrl, credential: null, credentialKey: null, scopes: [] }),
    );
  }

  /** The circuit and health of the tenant's standalone client (null before its first call or with `clientFor`). */
  resilience(tenant: string): Resilience | null {
    return this.pool.current(tenant)?.resilience ?? null;
  }

  private async send(
    target: WriteTarget,
    operation: string,
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    body: unknown,
    headers: Record<string, string>,
  ): Promise<HttpAnswer> {
    const client = await this.client(target);
    // Conditional creates, If-Match updates and PUTs of a fixed id do their effect once however often sent.
    return client.request({ operation, method, path, body, headers, idempotent: true });
  }

  /** Creates `resource` unless one with the same idempotency key exists; then records its Provenance. */
  async create(target: WriteTarget, resource: Resource, key: string, author: WriteAuthor, nowIso: string): Promise<WriteResult> {
    const token = idempotencyToken(target.tenant, resource.resourceType, key);
    const answer = await this.send(
      target,
      `${resource.resourceType} create`,
      'POST',
      resource.resourceType,
      withIdempotencyIdentifier(resource, token),
      { 'If-None-Exist': ifNoneExistFor(token) },
    );
    const result = toResult(answer, resource.resourceType, answer.status === 201);
    await this.provenance(target, result, author, token, nowIso);
    return result;
  }

  /** Updates `resource` (with its id) only if it is still at `expectedVersion`; a stale version is CONFLICT. */
  async update(
    target: WriteTarget,
    resource: Resource & { id: string },
    expectedVersion: string,
    key: string,
    author: WriteAuthor,
    nowIso: string,
  ): Promise<WriteResult> {
    // The id goes into the path and the version into If-Match: neither is sent unless it is FHIR id syntax (callers
    // check first and answer BAD_USER_INPUT; this is the last line, so no header or path is ever built from them).
    assertFhirIds(resource.id, expectedVersion);
    const token = idempotencyToken(target.tenant, `${resource.resourceType}/update`, key);
    let answer: HttpAnswer;
    try {
      answer = await this.send(
        target,
        `${resource.resourceType} update`,
        'PUT',
        `${resource.resourceType}/${encodeURIComponent(resource.id)}`,
        resource,
        { 'If-Match': `W/"${expectedVersion}"` },
      );
    } catch (e) {
      if (e instanceof ConnectorError && e.kind === 'CONFLICT') {
        throw new ConnectorError(
          'ehr',
          'CONFLICT',
          e.status,
          `ehr: ${resource.resourceType}/${resource.id} is no longer at version ${expectedVersion}: read it again and retry`,
        );
      }
      throw e;
    }
    const result = toResult(answer, resource.resourceType, false);
    await this.provenance(target, result, author, token, nowIso);
    return result;
  }

  async read(target: WriteTarget, resourceType: string, id: string): Promise<Resource & { id: string }> {
    assertFhirIds(id);
    const answer = await this.send(target, `${resourceType} read`, 'GET', `${resourceType}/${encodeURIComponent(id)}`, undefined, {});
    return answer.body as Resource & { id: string };
  }

  /** Resources of a type carrying an idempotency token (tests and reconciliation). */
  async countByToken(target: WriteTarget, resourceType: string, key: string): Promise<number> {
    const token = idempotencyToken(target.tenant, resourceType, key);
    const answer = await this.send(
      target,
      `${resourceType} search`,
      'GET',
      `${resourceType}?identifier=${encodeURIComponent(`${IDEMPOTENCY_SYSTEM}|${token}`)}&_total=accurate&_count=0`,
      undefined,
      {},
    );
    return (answer.body as { total?: number }).total ?? 0;
  }

  /** How many resources of a type match a search (messaging queues); the parameters are encoded here. */
  async count(target: WriteTarget, resourceType: string, params: Readonly<Record<string, string>>): Promise<number> {
    const query = new URLSearchParams({ ...params, _total: 'accurate', _count: '0' }).toString();
    const answer = await this.send(target, `${resourceType} count`, 'GET', `${resourceType}?${query}`, undefined, {});
    return (answer.body as { total?: number }).total ?? 0;
  }

  /** The resources of a type matching a search (messaging queues), at most `_count`; the parameters are encoded here. */
  async search<R extends Resource>(
    target: WriteTarget,
    resourceType: R['resourceType'],
    params: Readonly<Record<string, string>>,
  ): Promise<(R & { id: string })[]> {
    const query = new URLSearchParams(params).toString();
    const answer = await this.send(target, `${resourceType} search`, 'GET', `${resourceType}?${query}`, undefined, {});
    const entries = (answer.body as { entry?: { resource?: Resource }[] }).entry ?? [];
    return entries
      .map((e) => e.resource)
      .filter((r): r is R & { id: string } => r?.resourceType === resourceType && typeof r.id === 'string');
  }

  /** The server's CapabilityStatement (`GET /metadata`). */
  async capabilities(target: WriteTarget): Promise<CapabilityStatement> {
    const answer = await this.send(target, 'metadata', 'GET', 'metadata', undefined, {});
    const body = answer.body as Resource;
    if (body.resourceType !== 'CapabilityStatement')
      throw new ConnectorError('ehr', 'UNAVAILABLE', null, 'ehr: metadata did not answer a CapabilityStatement');
    return body;
  }

  private async provenance(target: WriteTarget, result: WriteResult, author: WriteAuthor, token: string, nowIso: string): Promise<void> {
    const prov = provenanceResource({ ...result, versionId: result.versionId ?? undefined }, author, token, nowIso);
    await this.send(target, 'Provenance write', 'PUT', `Provenance/${prov.id}`, prov, {});
  }
}

/** Refuses (REJECTED, nothing sent) an id or version id that is not FHIR id syntax (spec/fhir-id.ts). */
function assertFhirIds(...values: string[]): void {
  if (values.some((v) => !isFhirId(v))) throw new ConnectorError('ehr', 'REJECTED', null, 'ehr: an id or version id is not a FHIR id');
}

function toResult(answer: HttpAnswer, resourceType: string, created: boolean): WriteResult {
  const body = answer.body as Resource;
  if (body.resourceType !== resourceType || !body.id)
    throw new ConnectorError('ehr', 'UNAVAILABLE', answer.status, `ehr: ${resourceType} write did not answer the resource`);
  return { resourceType, id: body.id, versionId: body.meta?.versionId ?? null, created };
}
