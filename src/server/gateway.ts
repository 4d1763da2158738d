import { randomUUID } from 'node:crypto';
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
import { compilePrincipalPolicy } from '../../rules/decide.js';
import type { PolicyDocument } from '../../rules/policy-document.js';
import type { TokenVerifier } from '../auth/verify-token.js';
import type { GatewayContext, RequestLimits } from '../context/context.js';
import type { AuditService } from '../audit/audit-service.js';
import type { FailedLoginAudit } from '../audit/failed-login.js';
import { PhiReadCollector } from '../audit/phi-read-collector.js';
import { UnauthenticatedError } from '../errors/errors.js';
import type { GovernanceService } from '../services/governance-service.js';
import { phiAuditPlugin } from './phi-audit-plugin.js';
import { createFormatError } from './format-error.js';
import type { Logger } from './logger.js';

export interface GatewayDeps {
  readonly schema: GraphQLSchema;
  readonly verifier: TokenVerifier;
  readonly ehr: EhrConnector;
  readonly policy: PolicyDocument;
  readonly logger: Logger;
  readonly limits: RequestLimits;
  readonly governance: GovernanceService;
  readonly audit: AuditService;
  /** Writes an `auth` audit event for a token that failed verification (never throws). */
  readonly failedLogins?: FailedLoginAudit;
  readonly production: boolean;
  readonly maxBodyBytes?: number;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

/** The HTTP gateway: node:http in front of Apollo Server, so routes beside /graphql (health, console) stay ours. */
export class Gateway {
  private readonly apollo: ApolloServer<GatewayContext>;
  private server: Server | null = null;

  constructor(private readonly deps: GatewayDeps) {
    this.apollo = new ApolloServer<GatewayContext>({
      schema: deps.schema,
      formatError: createFormatError(deps.logger),
      // STACK.md: Apollo's defaults that leak or cost. Introspection only outside production; no "did you mean";
      // no stack traces; no automatic persisted queries (any client could register any operation); no batching.
      introspection: !deps.production,
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
        phiAuditPlugin(deps.logger),
      ],
    });
  }

  async start(port: number, host = '127.0.0.1'): Promise<string> {
    await this.apollo.start();
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        this.deps.logger.error({ err: { message: String((err as Error)?.message) } }, 'request handler failed');
        if (!res.headersSent) res.writeHead(500, JSON_HEADERS);
        res.end(JSON.stringify({ errors: [{ message: 'Internal error', extensions: { code: 'INTERNAL' } }] }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, host, resolve));
    const { port: bound } = this.server.address() as AddressInfo;
    return `http://${host}:${bound}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
    }
    await this.apollo.stop();
  }

  private async createContext(authorization: string | undefined): Promise<GatewayContext> {
    const principal = await this.deps.verifier.verify(authorization).catch(async (e: unknown) => {
      if (e instanceof UnauthenticatedError) await this.deps.failedLogins?.record(authorization, e.extensions.reason);
      throw e;
    });
    return {
      requestId: randomUUID(),
      principal,
      access: compilePrincipalPolicy(this.deps.policy, principal),
      ehr: this.deps.ehr.forRequest(principal.tenant),
      limits: this.deps.limits,
      governance: this.deps.governance,
      audit: this.deps.audit,
      phiReads: new PhiReadCollector(),
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://gateway.local');
    if (url.pathname === '/healthz') {
      res.writeHead(200, JSON_HEADERS).end(JSON.stringify({ status: 'ok' }));
      return;
    }
    if (url.pathname !== '/graphql') {
      res.writeHead(404, JSON_HEADERS).end(JSON.stringify({ errors: [{ message: 'Not found', extensions: { code: 'NOT_FOUND' } }] }));
      return;
    }
    const raw = await readBody(req, this.deps.maxBodyBytes ?? 1_000_000);
    if (raw === null) {
      res.writeHead(413, JSON_HEADERS).end(JSON.stringify({ errors: [{ message: 'Request body too large', extensions: { code: 'BAD_USER_INPUT' } }] }));
      return;
    }
    const headers = new HeaderMap();
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
    let body: unknown = raw;
    if ((headers.get('content-type') ?? '').includes('json') && raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        res.writeHead(400, JSON_HEADERS).end(JSON.stringify({ errors: [{ message: 'Body is not valid JSON', extensions: { code: 'BAD_USER_INPUT' } }] }));
        return;
      }
    }
    const result = await this.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body },
      context: () => this.createContext(headers.get('authorization')),
    });
    for (const [k, v] of result.headers) res.setHeader(k, v);
    res.statusCode = result.status ?? 200;
    if (result.body.kind === 'complete') {
      res.end(result.body.string);
      return;
    }
    for await (const chunk of result.body.asyncIterator) res.write(chunk);
    res.end();
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(over ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
