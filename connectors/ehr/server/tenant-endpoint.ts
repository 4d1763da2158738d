import { badRequest, getStatus, normalizeOperationOutcome } from '@medplum/core';
import type { FhirRequest, FhirRouter, HttpMethod, MemoryRepository } from '@medplum/fhir-router';
import type { OperationOutcome, Resource } from '@medplum/fhirtypes';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { capabilityStatement } from './capability-statement.js';
import { formToRecord, readBody } from './request-body.js';

// One tenant's FHIR REST endpoint: node:http in, medplum FhirRouter + MemoryRepository behind. The router returns
// [OperationOutcome, resource?]; this file adds what the router leaves to the HTTP layer: status codes, ETag,
// Last-Modified and Location (https://hl7.org/fhir/R4/http.html#versioning), /metadata, form-encoded _search,
// server-assigned ids on create, and tolerant If-Match parsing.

export interface TenantEndpoint {
  readonly router: FhirRouter;
  readonly repo: MemoryRepository;
  readonly baseUrl: string;
  readonly startedAt: string;
}

const METHODS = new Set<HttpMethod>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
const FHIR_JSON = 'application/fhir+json; charset=utf-8';

function sendJson(res: ServerResponse, status: number, body: Resource, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': FHIR_JSON, 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function sendOutcome(res: ServerResponse, outcome: OperationOutcome): void {
  sendJson(res, getStatus(outcome), outcome);
}

/** Version headers of a single resource (https://hl7.org/fhir/R4/http.html#read). */
function versionHeaders(endpoint: TenantEndpoint, resource: Resource, status: number): Record<string, string> {
  const headers: Record<string, string> = {};
  const versionId = resource.meta?.versionId;
  if (resource.resourceType === 'Bundle' || !resource.id || !versionId) return headers;
  headers['ETag'] = `W/"${versionId}"`;
  if (resource.meta?.lastUpdated) headers['Last-Modified'] = new Date(resource.meta.lastUpdated).toUTCString();
  if (status === 201) {
    headers['Location'] = `${endpoint.baseUrl}/${resource.resourceType}/${resource.id}/_history/${versionId}`;
  }
  return headers;
}

/**
 * medplum reads the version only from a quoted If-Match and silently ignores a bare one, which would turn a
 * guarded update into a blind overwrite. Bare values are quoted here so `If-Match: 3` guards like `W/"3"`
 * (https://hl7.org/fhir/R4/http.html#concurrency).
 */
function normalizeHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const ifMatch = headers['if-match'];
  if (typeof ifMatch !== 'string' || ifMatch.includes('"') || ifMatch.trim() === '*' || ifMatch.trim() === '') {
    return headers;
  }
  return { ...headers, 'if-match': `W/"${ifMatch.trim()}"` };
}

/** FHIR create ignores a client id and version (https://hl7.org/fhir/R4/http.html#create); MemoryRepository keeps them. */
function stripClientIdentity(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const { id: _id, meta, ...rest } = body as Resource & Record<string, unknown>;
  if (!meta) return rest;
  const { versionId: _v, lastUpdated: _l, ...keptMeta } = meta;
  return { ...rest, meta: keptMeta };
}

async function existed(repo: MemoryRepository, path: string): Promise<boolean> {
  const [type, id] = path.split('/');
  if (!type || !id) return false;
  try {
    await repo.readResource(type, id);
    return true;
  } catch {
    return false;
  }
}

/** Serves one request. `relativeUrl` is the part after `/fhir/<tenant>/`, query included ("Patient?name=x"). */
export async function serveTenantRequest(
  endpoint: TenantEndpoint,
  relativeUrl: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase() as HttpMethod;
  const queryAt = relativeUrl.indexOf('?');
  const path = (queryAt === -1 ? relativeUrl : relativeUrl.slice(0, queryAt)).replace(/^\/+|\/+$/g, '');
  if (!METHODS.has(method)) return sendJson(res, 405, badRequest('Method not supported'));
  if (method === 'GET' && path === 'metadata') {
    return sendJson(res, 200, capabilityStatement(endpoint.baseUrl, endpoint.startedAt));
  }

  const body = method === 'GET' || method === 'DELETE' ? ({ kind: 'none' } as const) : await readBody(req);
  if (body.kind === 'invalid') {
    const outcome = badRequest(body.reason);
    return sendJson(res, body.status, outcome);
  }
  const segments = path.split('/').filter(Boolean);
  const request: FhirRequest = {
    method,
    url: relativeUrl,
    pathname: '',
    body: body.kind === 'none' ? undefined : body.value,
    params: {},
    query: {},
    headers: normalizeHeaders(req.headers),
  };
  if (method === 'POST' && segments[segments.length - 1] === '_search') {
    // Search parameters may come in the URL, the form body, or both (https://hl7.org/fhir/R4/http.html#search-post).
    if (body.kind === 'json') return sendOutcome(res, badRequest('POST _search takes a form body'));
    const fromUrl = formToRecord(new URLSearchParams(queryAt === -1 ? '' : relativeUrl.slice(queryAt + 1)));
    request.url = path;
    request.body = { ...fromUrl, ...(body.kind === 'form' ? body.value : {}) };
  } else if (body.kind === 'form') {
    return sendOutcome(res, badRequest('Form bodies are only accepted for POST _search'));
  } else if (method === 'POST' && segments.length === 1) {
    request.body = stripClientIdentity(request.body);
  }
  // medplum answers 200 to an update that created the resource; FHIR says 201 (https://hl7.org/fhir/R4/http.html#upsert).
  const isUpsert = method === 'PUT' && segments.length === 2 && queryAt === -1;
  const createdByPut = isUpsert && !(await existed(endpoint.repo, path));

  let outcome: OperationOutcome;
  let resource: Resource | undefined;
  try {
    [outcome, resource] = await endpoint.router.handleRequest(request, endpoint.repo);
  } catch (err) {
    outcome = normalizeOperationOutcome(err);
  }
  const status = getStatus(outcome);
  if (!resource || status >= 400) return sendOutcome(res, outcome);
  const finalStatus = createdByPut && status === 200 ? 201 : status;
  sendJson(res, finalStatus, resource, versionHeaders(endpoint, resource, finalStatus));
}
