import { getStatus, isOk } from '@medplum/core';
import { FhirRouter, makeSimpleRequest } from '@medplum/fhir-router';
import type { HttpMethod, MemoryRepository } from '@medplum/fhir-router';
import type { Bundle } from '@medplum/fhirtypes';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ensureFhirDefinitionsIndexed } from './server/medplum-definitions.js';
import { ElementsMemoryRepository } from './server/elements-memory-repository.js';
import { SmartAuthServer, type SmartAuthOptions } from './server/smart-auth-server.js';
import { serveTenantRequest } from './server/tenant-endpoint.js';
import type { TenantEndpoint } from './server/tenant-endpoint.js';

// A real FHIR R4 REST server in-process: one node:http listener on 127.0.0.1, one medplum FhirRouter +
// MemoryRepository per tenant under /fhir/<tenant>/. Used by `clearance dev`, the demo and the tests, so the EHR
// connector always talks HTTP to something that behaves like an EHR (ETags, 412s, conditional create, paging by
// _offset), with hooks tests need: a request log, and faults (slow, 500, dropped connections).
// With `auth`, it is also a SMART Backend Services authorization server (server/smart-auth-server.ts): every
// request but /metadata and .well-known/smart-configuration needs a bearer token from /fhir/<tenant>/auth/token,
// with a scope allowing the interaction; clients are registered with registerClient().

export type FaultMode = 'none' | 'down' | 'slow' | 'error500';

export interface FaultOptions {
  /** For 'slow': how long each request waits before it is served. Default 5000 ms. */
  readonly delayMs?: number;
  /** For 'error500': the body sent. The default contains a fake patient detail, so tests can prove it never leaks. */
  readonly body?: string;
}

export interface RecordedRequest {
  readonly tenant: string | null;
  readonly method: string;
  /** Path and query after the tenant base, for example "Condition?patient=Patient%2Fa". */
  readonly url: string;
}

export interface EmbeddedFhirServerOptions {
  /** Seed per tenant: bundles whose entries are PUT (or POST) requests, as produced by seed.ts. */
  readonly tenants: Readonly<Record<string, readonly Bundle[]>>;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Auth mode: require SMART Backend Services tokens (absent: an open server, as before). */
  readonly auth?: SmartAuthOptions;
}

const MAX_RECORDED_REQUESTS = 100_000;

function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

export const DEFAULT_500_BODY =
  '{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"exception","diagnostics":"database error reading Patient Jane ' +
  'Secretpatient SSN 999-12-3456"}]}';

export class EmbeddedFhirServer {
  /** Requests received, in arrival order (metadata included; the oldest half dropped past 100,000). */
  readonly requests: RecordedRequest[] = [];
  private readonly endpoints = new Map<string, Omit<TenantEndpoint, 'baseUrl'>>();
  private readonly listeners = new Set<(request: RecordedRequest) => void>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private fault: { mode: FaultMode; options: FaultOptions } = { mode: 'none', options: {} };
  private server: Server | null = null;
  private port: number;
  private seeded = false;
  /** The authorization server in auth mode, else null. */
  readonly auth: SmartAuthServer | null;

  constructor(private readonly options: EmbeddedFhirServerOptions) {
    this.port = options.port ?? 0;
    this.auth = options.auth ? new SmartAuthServer(options.auth) : null;
    ensureFhirDefinitionsIndexed();
    const startedAt = new Date().toISOString();
    for (const tenant of Object.keys(options.tenants)) {
      this.endpoints.set(tenant, { router: new FhirRouter(), repo: new ElementsMemoryRepository(), startedAt });
    }
  }

  /** Seeds (first time only) and listens. Restarting after stop() reuses the same port, so clients can reconnect. */
  async start(): Promise<this> {
    if (this.server) return this;
    if (!this.seeded) {
      for (const [tenant, bundles] of Object.entries(this.options.tenants)) await this.load(tenant, bundles);
      this.seeded = true;
    }
    const server = createServer((req, res) => this.handle(req, res));
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  /** Stops listening and drops open (keep-alive and in-flight) connections, so clients get ECONNREFUSED at once. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  get listening(): boolean {
    return this.server !== null;
  }

  /** The tenant's FHIR base URL; valid once start() has resolved (the port is chosen then). */
  baseUrl(tenant: string): string {
    return `http://127.0.0.1:${this.port}/fhir/${encodeURIComponent(tenant)}`;
  }

  /** The tenant's token endpoint (auth mode). */
  tokenUrl(tenant: string): string {
    return `${this.baseUrl(tenant)}/auth/token`;
  }

  /** Registers a backend client of a tenant (auth mode only). */
  registerClient(tenant: string, client: Parameters<SmartAuthServer['register']>[1]): void {
    if (!this.auth) throw new Error('registerClient needs auth mode');
    this.auth.register(tenant, client);
  }

  baseUrls(): Record<string, string> {
    return Object.fromEntries([...this.endpoints.keys()].map((tenant) => [tenant, this.baseUrl(tenant)]));
  }

  /** The tenant's repository, for tests that seed or inspect without HTTP. */
  repository(tenant: string): MemoryRepository {
    const endpoint = this.endpoints.get(tenant);
    if (!endpoint) throw new Error(`unknown tenant ${tenant}`);
    return endpoint.repo;
  }

  /** Listens to every request; returns the unsubscribe function. */
  onRequest(listener: (request: RecordedRequest) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setFault(mode: FaultMode, options: FaultOptions = {}): void {
    this.fault = { mode, options };
  }

  /**
   * Loads bundles straight into the tenant's router, entry by entry, without HTTP: fast, and not subject to
   * medplum's 50-update limit on transactions. A PUT of a new id creates it (update-as-create), keeping Synthea ids.
   */
  async load(tenant: string, bundles: readonly Bundle[]): Promise<void> {
    const endpoint = this.endpoints.get(tenant);
    if (!endpoint) throw new Error(`unknown tenant ${tenant}`);
    for (const bundle of bundles) {
      for (const entry of bundle.entry ?? []) {
        const { request, resource } = entry;
        if (!request?.url || !resource) continue;
        const [outcome] = await endpoint.router.handleRequest(
          makeSimpleRequest(request.method as HttpMethod, request.url, resource),
          endpoint.repo,
        );
        if (!isOk(outcome)) throw new Error(`seed of ${request.method} ${request.url} failed: HTTP ${getStatus(outcome)}`);
      }
    }
  }

  private record(request: RecordedRequest): void {
    // Bounded, so a long-running dev server does not grow without end; tests stay far below the bound.
    if (this.requests.length >= MAX_RECORDED_REQUESTS) this.requests.splice(0, MAX_RECORDED_REQUESTS / 2);
    this.requests.push(request);
    for (const listener of this.listeners) listener(request);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    const match = /^\/fhir\/([^/?]+)\/?(.*)$/.exec(url);
    const tenant = match?.[1] ? safeDecode(match[1]) : null;
    const recorded: RecordedRequest = { tenant, method: req.method ?? 'GET', url: match?.[2] ?? url };
    this.record(recorded);

    const { mode, options } = this.fault;
    if (mode === 'down') {
      req.socket.destroy();
      return;
    }
    if (mode === 'error500') {
      res.writeHead(500, { 'Content-Type': 'application/fhir+json' });
      res.end(options.body ?? DEFAULT_500_BODY);
      return;
    }
    const serve = (): void => {
      const endpoint = tenant === null ? undefined : this.endpoints.get(tenant);
      if (!endpoint || tenant === null) {
        res.writeHead(404, { 'Content-Type': 'application/fhir+json' });
        res.end('{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"not-found"}]}');
        return;
      }
      const path = recorded.url.split('?')[0]!.replace(/^\/+|\/+$/g, '');
      if (this.auth && path === '.well-known/smart-configuration' && req.method === 'GET') {
        const text = JSON.stringify(this.auth.smartConfiguration(this.tokenUrl(tenant)));
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
        res.end(text);
        return;
      }
      if (this.auth && path === 'auth/token') {
        this.auth.token(tenant, this.tokenUrl(tenant), req, res).catch(() => {
          if (!res.headersSent) res.writeHead(500);
          res.end();
        });
        return;
      }
      if (this.auth && !(path === 'metadata' && req.method === 'GET')) {
        const refused = this.auth.authorize(tenant, req.method ?? 'GET', recorded.url, req.headers.authorization);
        if (refused !== null) {
          const code = refused === 401 ? 'login' : 'forbidden';
          res.writeHead(refused, { 'Content-Type': 'application/fhir+json', ...(refused === 401 ? { 'WWW-Authenticate': 'Bearer' } : {}) });
          res.end(`{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"${code}"}]}`);
          return;
        }
      }
      serveTenantRequest({ ...endpoint, baseUrl: this.baseUrl(tenant) }, recorded.url, req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    };
    if (mode === 'slow') {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (!res.destroyed) serve();
      }, options.delayMs ?? 5000);
      this.timers.add(timer);
      return;
    }
    serve();
  }
}
