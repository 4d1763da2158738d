import type { IncomingMessage, ServerResponse } from 'node:http';
import { printSchema, type GraphQLSchema } from 'graphql';
import type { Principal } from '../auth/principal.js';
import { IntrospectionRefusedError, TrustedDocumentError } from '../errors/document-errors.js';
import { ClearanceError } from '../errors/errors.js';
import { CorsPolicy } from './cors.js';
import { GraphiqlRoute } from './graphiql-route.js';
import { sendError } from './http-responses.js';
import type { GraphqlParams, TrustedDocuments } from './trusted-documents.js';

// The gateway's routes for frontend teams (issue 14), kept out of gateway.ts: CORS on every /graphql answer (and
// the preflight), the SDL at /graphql/schema.graphql for introspection roles, and the GraphiQL IDE for browsers.
// Trusted documents are applied on the request body (src/server/trusted-documents.ts).

const SCHEMA_PATH = '/graphql/schema.graphql';

export interface FrontendRoutesOptions {
  readonly corsOrigins: '*' | readonly string[];
  /** The schema the gateway serves; its SDL is what /graphql/schema.graphql and `clearance schema print` print. */
  readonly schema: GraphQLSchema;
  readonly introspectionRoles: '*' | readonly string[];
  /** null: no IDE (production without GRAPHIQL=on). */
  readonly graphiql: GraphiqlRoute | null;
  readonly trustedDocuments: TrustedDocuments;
}

export type GraphqlRequestParts = { readonly body: unknown; readonly search: string } | { readonly refused: TrustedDocumentError };

/** The effective principal of a bearer token (the gateway's own verification and stored access); throws ClearanceError. */
export type PrincipalOf = (authorization: string | undefined) => Promise<Principal>;

export class FrontendRoutes {
  private readonly cors: CorsPolicy;
  private sdl: string | null = null;

  constructor(private readonly options: FrontendRoutesOptions) {
    this.cors = new CorsPolicy(options.corsOrigins);
  }

  static covers(pathname: string): boolean {
    return pathname === '/graphql' || pathname === SCHEMA_PATH || GraphiqlRoute.matches(pathname);
  }

  /** The SDL as served: the guarded schema prints the same types and fields as the SDL files. */
  schemaSdl(): string {
    this.sdl ??= `${printSchema(this.options.schema)}\n`;
    return this.sdl;
  }

  /**
   * Runs first for /graphql and /graphql/schema.graphql: sets the CORS headers, answers preflights, the SDL and the
   * IDE. Returns true when it wrote the response; false lets the gateway run the GraphQL request.
   */
  async handle(req: IncomingMessage, res: ServerResponse, pathname: string, principalOf: PrincipalOf): Promise<boolean> {
    const method = (req.method ?? 'GET').toUpperCase();
    const origin = req.headers.origin;
    const requestMethod = req.headers['access-control-request-method'];
    if (CorsPolicy.isPreflight(method, origin, typeof requestMethod === 'string' ? requestMethod : undefined)) {
      const answer = this.cors.preflight(origin!, String(requestMethod));
      if (answer.allowed) {
        res.writeHead(204, { ...answer.headers, 'content-length': '0' }).end();
      } else {
        sendError(res, 403, 'FORBIDDEN', 'This origin may not call the gateway from a browser.', { reason: answer.reason }, answer.headers);
      }
      return true;
    }
    for (const [k, v] of Object.entries(this.cors.responseHeaders(origin))) res.setHeader(k, v);
    if (pathname === SCHEMA_PATH) {
      await this.schemaRoute(req, res, method, principalOf);
      return true;
    }
    if (GraphiqlRoute.matches(pathname)) {
      if (this.options.graphiql) await this.options.graphiql.handle(req, res, pathname);
      else sendError(res, 404, 'NOT_FOUND', 'Not found', { resource: 'route' });
      return true;
    }
    if (this.options.graphiql && (method === 'GET' || method === 'HEAD') && wantsHtml(req)) {
      await this.options.graphiql.handle(req, res, pathname);
      return true;
    }
    return false;
  }

  /**
   * Trusted documents on a /graphql request before Apollo sees it: a hash becomes its manifest document, and in
   * enforce mode anything else is refused. Both the POST body and GET parameters (Apollo reads either).
   */
  graphqlRequest(method: string, body: unknown, search: string): GraphqlRequestParts {
    const trusted = this.options.trustedDocuments;
    try {
      if (method === 'GET') {
        const params = new URLSearchParams(search);
        const fields: GraphqlParams = {
          query: params.get('query') ?? undefined,
          documentId: params.get('documentId') ?? undefined,
          extensions: jsonParam(params.get('extensions')),
        };
        if (trusted.mode === 'off' && fields.documentId === undefined && params.get('extensions') === null) return { body, search };
        const resolved = trusted.resolve(fields);
        params.delete('documentId');
        params.delete('extensions');
        if (typeof resolved.query === 'string') params.set('query', resolved.query);
        if (resolved.extensions !== undefined) params.set('extensions', JSON.stringify(resolved.extensions));
        return { body, search: `?${params.toString()}` };
      }
      if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        if (trusted.mode === 'enforce') throw new TrustedDocumentError('TRUSTED_DOCUMENT_REQUIRED');
        return { body, search };
      }
      return { body: trusted.resolve(body as GraphqlParams), search };
    } catch (e) {
      if (e instanceof TrustedDocumentError) return { refused: e };
      throw e;
    }
  }

  private async schemaRoute(req: IncomingMessage, res: ServerResponse, method: string, principalOf: PrincipalOf): Promise<void> {
    if (method !== 'GET' && method !== 'HEAD') {
      return sendError(res, 405, 'BAD_USER_INPUT', 'Method not allowed', { reason: 'METHOD_NOT_ALLOWED' }, { allow: 'GET, HEAD' });
    }
    let principal: Principal;
    try {
      principal = await principalOf(req.headers.authorization);
    } catch (e) {
      if (!(e instanceof ClearanceError)) throw e;
      const { code, http, ...rest } = e.extensions;
      return sendError(res, http?.status ?? 400, code, e.message, rest);
    }
    const allowed = this.options.introspectionRoles;
    if (allowed !== '*' && !principal.roles.some((r) => allowed.includes(r))) {
      const refused = new IntrospectionRefusedError();
      return sendError(res, 403, 'FORBIDDEN', refused.message, { reason: refused.extensions.reason });
    }
    const body = this.schemaSdl();
    res.writeHead(200, {
      'content-type': 'application/graphql; charset=utf-8',
      'cache-control': 'no-store',
      'content-length': String(Buffer.byteLength(body)),
    });
    res.end(method === 'HEAD' ? undefined : body);
  }
}

function jsonParam(raw: string | null): unknown {
  if (raw === null) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw; // Apollo reports the malformed parameter itself
  }
}

/** A browser navigation (Accept: text/html first), not a GraphQL client's GET (which asks for JSON). */
function wantsHtml(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? '';
  return (
    accept.includes('text/html') &&
    req.headers['content-type'] === undefined &&
    !new URL(req.url ?? '/', 'http://x').searchParams.has('query')
  );
}
