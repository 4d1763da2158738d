import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import type { EhrConnector } from '../../connectors/ehr/ehr-reader.js';
import type { PolicyDocument } from '../../rules/policy-document.js';
import type { TokenVerifier } from '../auth/verify-token.js';
import type { GatewayContext, RequestLimits } from '../context/context.js';
import type { AuditService } from '../services/audit/audit-service.js';
import type { FailedLoginAudit } from '../services/audit/failed-login.js';
import { ClearanceError, UnauthenticatedError } from '../errors/errors.js';
import type { ConnectorServices } from '../services/connectors/connector-services.js';
import type { AccessService } from '../services/access-service.js';
import type { AccessState } from '../services/access-state.js';
import { withheldRowsPlugin } from './withheld-rows-plugin.js';
import { phiAuditPlugin } from './phi-audit-plugin.js';
import { createFormatError } from './format-error.js';
import { readBody } from './http-body.js';
import { buildRequestContext } from './request-context.js';
import { sendError, sendJson } from './http-responses.js';
import { InFlight } from './in-flight.js';
import { introspectionGuardPlugin } from './introspection-guard.js';
import { queryLimitOptions } from './query-limits.js';
import { rateLimitPlugin, type RequestRateLimiter } from './rate-limit.js';
import type { ArchiverStatus } from '../services/audit/audit-archiver.js';
import { checkReadiness, type ReadinessCheck } from './readiness.js';
import { ConsoleRoute } from './console-route.js';
import { FrontendRoutes } from './frontend-routes.js';
import { SignedCursors } from '../services/signed-cursor.js';
import { newRequestRecord, requestLogPlugin, writeRequestLine, type RequestRecord } from './request-log.js';
import type { QueryLimits } from '../config/hardening-config.js';
import type { Logger } from './logger.js';
import { auditAdmissionRefusal } from './admission-audit.js';
import { JWKS_PREFIX, parseJwksPath } from '../services/connectors/jwks-path.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import type { MetricsRoute } from './metrics-route.js';
import { tracer } from './tracing.js';
import type { ExecutionEngine } from '../config/config.js';
import { CompiledExecution } from './compiled-execution.js';
import type { GovernanceDeps } from '../services/governance/deps.js';

export interface GatewayDeps {
  readonly schema: GraphQLSchema;
  readonly verifier: TokenVerifier;
  readonly ehr: EhrConnector;
  readonly policy: PolicyDocument;
  readonly logger: Logger;
  readonly limits: RequestLimits;
  readonly governance: GovernanceDeps;
  /** Stored assignments, grants and the tenant's policy, read once per request (src/services/access-state.ts). */
  readonly accessState: AccessState;
  readonly accessAdmin: AccessService;
  /** The clock decisions use (grant expiry, break-glass); default Date.now. */
  readonly now?: () => number;
  /** The acting connectors (EHR write-back), shared by all requests. */
  readonly connectors: ConnectorServices;
  readonly audit: AuditService;
  /** Writes an `auth` audit event for a token that failed verification (never throws). */
  readonly failedLogins?: FailedLoginAudit;
  readonly production: boolean;
  /** false only in the benchmark, to measure what the PHI-read audit costs; the gateway always audits. */
  readonly phiAudit?: boolean;
  readonly hardening: GatewayHardening;
  /** The approver console at /console (issue 9); absent: /console is 404. */
  readonly console?: ConsoleRoute;
  /** WebSocket routes on the same server (graphql-ws subscriptions, issue 14): attached at start, closed at stop. */
  readonly upgrades?: UpgradeRoute;
  /** CORS, the SDL URL, the IDE and trusted documents (issue 14); absent: same-origin only, none of these. */
  readonly frontend?: FrontendRoutes;
  /** Relay cursor signing (issue 14); default: a key of this process only. */
  readonly cursors?: SignedCursors;
  /** The audit archiver's state (issue 20), shown by /readyz: records waiting to leave Redis, the last error. */
  readonly auditArchive?: () => ArchiverStatus;
  /** Prometheus metrics (issue 17): counted when given; /metrics served as `metricsRoute` allows. */
  readonly metrics?: GatewayMetrics;
  readonly metricsRoute?: MetricsRoute;
  /** EXECUTION_ENGINE (src/server/compiled-execution.ts); default jit. */
  readonly executionEngine?: ExecutionEngine;
}

export interface UpgradeRoute {
  attach(server: Server): void;
  close(): Promise<void>;
}

/** Defences against hostile clients (issue 7): see src/config/hardening-config.ts for what each means. */
export interface GatewayHardening {
  readonly queryLimits: QueryLimits;
  readonly introspectionRoles: '*' | readonly string[];
  /** null: no rate limiting (never in production: config refuses limits of 0). */
  readonly rateLimiter: RequestRateLimiter | null;
  readonly readiness: readonly ReadinessCheck[];
  readonly readinessTimeoutMs: number;
  readonly shutdownTimeoutMs: number;
}

/** The HTTP gateway: node:http in front of Apollo Server, so routes beside /graphql (health, console) stay ours. */
export class Gateway {
  private readonly apollo: ApolloServer<GatewayContext>;
  private server: Server | null = null;
  private readonly inFlight = new InFlight();
  /** Each request's log record, for the Apollo plugin that fills in the operation (by request id: Apollo clones contexts). */
  private readonly records = new Map<string, RequestRecord>();

  private readonly cursors: SignedCursors;

  constructor(private readonly deps: GatewayDeps) {
    this.cursors = deps.cursors ?? new SignedCursors(randomBytes(32));
    const { hardening } = deps;
    const limits = queryLimitOptions(hardening.queryLimits);
    // Apollo's gateway interface is its one executor hook: the pipeline, plugins and formatError stay Apollo's.
    const execution = new CompiledExecution(deps.schema, {
      engine: deps.executionEngine ?? 'jit',
      ...(deps.metrics ? { onExecute: deps.metrics.executed.bind(deps.metrics) } : {}),
    });
    this.apollo = new ApolloServer<GatewayContext>({
      gateway: execution.gateway<GatewayContext>(),
      formatError: createFormatError(deps.logger),
      // Apollo's defaults that leak or cost are off. No "did you mean"; no stack traces; no automatic persisted
      // queries (any client could register any operation); no batching. Introspection is decided per role by
      // introspectionGuardPlugin (config refuses introspection for everyone in production), not by Apollo's
      // all-or-nothing switch, so Apollo's stays on.
      introspection: true,
      validationRules: limits.validationRules,
      parseOptions: limits.parseOptions,
      hideSchemaDetailsFromClientErrors: true,
      includeStacktraceInErrorResponses: false,
      persistedQueries: false,
      allowBatchedHttpRequests: false,
      csrfPrevention: true,
      plugins: [
        ApolloServerPluginCacheControlDisabled(),
        ApolloServerPluginLandingPageDisabled(),
        ApolloServerPluginUsageReportingDisabled(),
        ApolloServerPluginSchemaReportingDisabled(),
        ...(deps.phiAudit === false ? [] : [phiAuditPlugin(deps.logger)]),
        withheldRowsPlugin(),
        ...limits.plugins,
        introspectionGuardPlugin(hardening.introspectionRoles),
        ...(hardening.rateLimiter ? [rateLimitPlugin(hardening.rateLimiter)] : []),
        requestLogPlugin((ctx) => this.records.get(ctx.requestId)),
      ],
    });
  }

  async start(port: number, host = '127.0.0.1'): Promise<string> {
    await this.apollo.start();
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        this.deps.logger.error({ err: { message: String((err as Error)?.message) } }, 'request handler failed');
        if (!res.headersSent) sendError(res, 500, 'INTERNAL', 'Internal error');
        else res.end();
      });
    });
    // Slow clients (slowloris): headers within 10 s, the whole request within 30 s.
    this.server.headersTimeout = 10_000;
    this.server.requestTimeout = 30_000;
    this.deps.upgrades?.attach(this.server);
    await new Promise<void>((resolve) => this.server!.listen(port, host, resolve));
    const { port: bound } = this.server.address() as AddressInfo;
    return `http://${host}:${bound}`;
  }

  /** Graceful: stop accepting, let in-flight requests finish (up to the shutdown timeout), then cut the rest. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) {
      await this.deps.upgrades?.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const finished = await this.inFlight.drain(this.deps.hardening.shutdownTimeoutMs);
      if (!finished) this.deps.logger.warn({ inFlight: this.inFlight.size }, 'shutdown timeout: cutting requests still in flight');
      server.closeAllConnections();
      await closed;
    }
    await this.apollo.stop();
  }

  private async createContext(authorization: string | undefined, clientIp: string, record: RequestRecord): Promise<GatewayContext> {
    const principal = await this.deps.verifier.verify(authorization).catch(async (e: unknown) => {
      if (!(e instanceof UnauthenticatedError)) throw e; // e.g. the IdP's JWKS unreachable: not the client's failure
      record.outcome = 'UNAUTHENTICATED';
      await this.deps.failedLogins?.record(authorization, e.extensions.reason, clientIp);
      // Brute force of tokens: refused per client IP once over the failed-auth budget.
      const limited = await this.deps.hardening.rateLimiter?.failedAuth(clientIp);
      if (limited) {
        record.outcome = 'RATE_LIMITED';
        throw limited;
      }
      throw e;
    });
    record.sub = principal.sub;
    record.tenant = principal.tenant;
    const tally = this.deps.metrics?.decisionTally;
    const context = await buildRequestContext({ ...this.deps, cursors: this.cursors }, principal, record.requestId, tally).catch(
      async (e: unknown) => {
        // Refused at admission (request-context.ts): the MFA policy's step-up, or an emergency-stopped agent.
        if (e instanceof UnauthenticatedError) record.outcome = 'UNAUTHENTICATED';
        else if (e instanceof ClearanceError && e.extensions.reason === 'AGENT_STOPPED') {
          record.outcome = 'AGENT_STOPPED';
          await auditAdmissionRefusal(this.deps, principal, record.requestId, e);
        }
        throw e;
      },
    );
    this.records.set(record.requestId, record);
    return context;
  }

  /** A connector's public JWKS (src/services/connectors/jwks-path.ts): public keys only, for the EHR to fetch. */
  private async jwks(res: ServerResponse, pathname: string): Promise<void> {
    const where = parseJwksPath(pathname);
    const jwks = where ? await this.deps.connectors.admin.publicJwks(where.tenant, where.environment, where.connectorId) : null;
    if (!jwks || jwks.keys.length === 0) return sendError(res, 404, 'NOT_FOUND', 'Not found', { resource: 'jwks' });
    return sendJson(res, 200, jwks);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://gateway.local');
    const probe = url.pathname === '/healthz' || url.pathname === '/readyz';
    // Only known paths reach the log: a path is client text and could carry anything, PHI included.
    const record = newRequestRecord(randomUUID(), req.method ?? '?', probe || url.pathname === '/graphql' ? url.pathname : '(unknown)');
    this.inFlight.enter();
    res.once('close', () => {
      this.inFlight.leave();
      this.records.delete(record.requestId);
      if (!probe) writeRequestLine(this.deps.logger, record, res.statusCode);
      this.deps.metrics?.request(record, res.statusCode);
    });
    res.setHeader('x-request-id', record.requestId);
    if (this.inFlight.draining) res.setHeader('connection', 'close');
    if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (url.pathname === '/readyz') return this.ready(res);
    if (url.pathname === '/metrics' && this.deps.metricsRoute) return this.deps.metricsRoute.handle(req, res, 'api');
    if (this.deps.console && ConsoleRoute.matches(url.pathname)) return this.deps.console.handle(req, res, url.pathname);
    if (url.pathname.startsWith(JWKS_PREFIX) && req.method === 'GET') return this.jwks(res, url.pathname);
    if (this.deps.frontend && FrontendRoutes.covers(url.pathname)) {
      const principalOf = async (auth: string | undefined) =>
        (await this.createContext(auth, req.socket.remoteAddress ?? 'unknown', record)).principal;
      if (await this.deps.frontend.handle(req, res, url.pathname, principalOf)) return;
    }
    if (url.pathname !== '/graphql') return sendError(res, 404, 'NOT_FOUND', 'Not found', { resource: 'route' });
    const raw = await readBody(req, this.deps.hardening.queryLimits.maxBodyBytes);
    if (raw === null) {
      record.outcome = 'BODY_TOO_LARGE';
      return sendError(res, 413, 'BAD_USER_INPUT', 'Request body too large', { reason: 'BODY_TOO_LARGE' }, { connection: 'close' });
    }
    const headers = new HeaderMap();
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
    let body: unknown = raw;
    if ((headers.get('content-type') ?? '').includes('json') && raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        record.outcome = 'INVALID_JSON';
        return sendError(res, 400, 'BAD_USER_INPUT', 'Body is not valid JSON', { reason: 'INVALID_JSON' });
      }
    }
    const method = (req.method ?? 'GET').toUpperCase();
    // Trusted documents (issue 14): a hash becomes its manifest document; in enforce mode nothing else runs.
    const parts = this.deps.frontend?.graphqlRequest(method, body, url.search) ?? { body, search: url.search };
    if ('refused' in parts) {
      const { code, http, ...rest } = parts.refused.extensions;
      record.outcome = rest.reason;
      return sendError(res, http?.status ?? 400, code, parts.refused.message, rest);
    }
    // One span per GraphQL operation (a no-op without the tracing SDK); FHIR calls and store commits are its children.
    const result = await tracer.startActiveSpan(
      'graphql.request',
      { attributes: { 'clearance.request_id': record.requestId } },
      async (span) => {
        try {
          return await this.apollo.executeHTTPGraphQLRequest({
            httpGraphQLRequest: { method, headers, search: parts.search, body: parts.body },
            context: () => this.createContext(headers.get('authorization'), req.socket.remoteAddress ?? 'unknown', record),
          });
        } finally {
          if (span.isRecording()) {
            // The operation's type and root fields (request-log.ts operationLabel), never the client's operation name.
            if (record.operation) span.setAttribute('clearance.operation', record.operation);
            if (record.tenant) span.setAttribute('clearance.tenant', record.tenant);
            const outcome = record.outcome ?? record.errorCodes?.[0];
            if (outcome) span.setAttribute('clearance.outcome', outcome);
          }
          span.end();
        }
      },
    );
    for (const [k, v] of result.headers) res.setHeader(k, v);
    res.statusCode = result.status ?? 200;
    if (result.body.kind === 'complete') {
      res.end(result.body.string);
      return;
    }
    for await (const chunk of result.body.asyncIterator) res.write(chunk);
    res.end();
  }

  /** 503 while draining or when a dependency fails, naming which (never its URL). */
  private async ready(res: ServerResponse): Promise<void> {
    const { readiness, readinessTimeoutMs } = this.deps.hardening;
    const result = await checkReadiness(readiness, readinessTimeoutMs);
    const ready = result.ready && !this.inFlight.draining;
    // The archive being behind does not stop serving (Redis keeps every record): it is reported, not failed on.
    const archive = this.deps.auditArchive?.();
    sendJson(res, ready ? 200 : 503, {
      status: ready ? 'ready' : 'not ready',
      ...(this.inFlight.draining ? { draining: true } : {}),
      checks: result.checks,
      ...(archive ? { auditArchive: archive } : {}),
    });
  }
}
