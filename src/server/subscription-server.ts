import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  createSourceEventStream,
  execute,
  getOperationAST,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { CloseCode, type SubscribePayload } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { decodeJwt } from 'jose';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Principal } from '../auth/principal.js';
import type { TokenVerifier } from '../auth/verify-token.js';
import type { FailedLoginAudit } from '../services/audit/failed-login.js';
import type { GatewayContext } from '../context/context.js';
import { AuditUnavailableError, ClearanceError, UnauthenticatedError } from '../errors/errors.js';
import { TrustedDocumentError } from '../errors/document-errors.js';
import type { LivePayload } from '../context/live-events.js';
import type { UpgradeRoute } from './gateway.js';
import { auditAdmissionRefusal } from './admission-audit.js';
import { createLiveSession, type LiveSessionDeps } from './live-events-session.js';
import { auditRequest } from './phi-audit-plugin.js';
import type { Logger } from './logger.js';
import type { RequestRateLimiter } from './rate-limit.js';
import type { GraphqlParams, TrustedDocuments } from './trusted-documents.js';

// GraphQL subscriptions over the graphql-ws protocol (`graphql-transport-ws`), on the gateway's own HTTP server at
// /graphql/ws and /graphql (issue 14). The connection is authenticated once, in `connection_init`, by the verifier
// HTTP requests use (payload `{ authorization: "Bearer <jwt>" }`); every event is then executed in a context built
// from the subscriber's rights as stored at that moment (live-events-session.ts). Only subscriptions run here:
// queries and mutations go over HTTP, where the PHI audit, rate limits and request log sit.
//
// What HTTP refuses, this refuses by the same function: the principal's admission (buildRequestContext, via
// contextFor: an emergency-stopped agent, an MFA step-up) at connect, at every subscribe and at every event; the
// trusted-documents manifest (TrustedDocuments.resolve, the instance FrontendRoutes asks) at every subscribe, by text
// or by hash; validation without field suggestions (Apollo's hideSchemaDetailsFromClientErrors on HTTP, graphql-js's
// hideSuggestions here: the same messages). A refused subscribe is a graphql-ws `error` message for its id with the
// HTTP answer's code and reason; the socket stays open.
//
// Close codes (graphql-ws's CloseCode, so its client knows them):
//   4403 Forbidden        connection_init without a token that verifies (the client may retry with a fresh token), or
//                         a principal the HTTP path refuses at admission: close reason "Forbidden: <reason>", e.g.
//                         AGENT_STOPPED (an emergency-stopped agent, audited access.denied as its HTTP request is) or
//                         MFA_REQUIRED. Stopped while connected: each subscribe, and each open stream at its next event,
//                         ends with FORBIDDEN AGENT_STOPPED (audited), as a revoked role ends it.
//   4401 Unauthorized     the token expired while connected (reconnect with a new one), or subscribe before init
//   4408 Timeout          no connection_init in time, or no subscription for the idle timeout
//   4429 Too many         the principal already holds the maximum of connections (or failed auth too often)

export interface SubscriptionOptions {
  /** Open connections per principal (tenant + sub) across this replica. */
  readonly maxConnectionsPerPrincipal: number;
  /** A connection with no subscription for this long is closed (4408). */
  readonly idleTimeoutMs: number;
  /** A socket that sends no connection_init for this long is closed (4408). */
  readonly initTimeoutMs: number;
}

const DEFAULT_SUBSCRIPTION_OPTIONS: SubscriptionOptions = {
  maxConnectionsPerPrincipal: 5,
  idleTimeoutMs: 5 * 60_000,
  initTimeoutMs: 10_000,
};

export interface SubscriptionServerDeps extends Omit<LiveSessionDeps, 'contextFor'> {
  readonly schema: GraphQLSchema;
  readonly verifier: TokenVerifier;
  readonly contextFor: LiveSessionDeps['contextFor'];
  readonly formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  readonly validationRules: readonly ValidationRule[];
  readonly maxTokens: number;
  readonly logger: Logger;
  readonly failedLogins?: FailedLoginAudit;
  readonly rateLimiter?: RequestRateLimiter | null;
  readonly options?: Partial<SubscriptionOptions>;
  /** The clock of token expiry; default Date.now. */
  readonly now?: () => number;
  /** The gateway's trusted documents: the very instance FrontendRoutes asks for HTTP requests (one decision for both paths). */
  readonly trustedDocuments: TrustedDocuments;
}

interface Connection {
  principal: Principal;
  key: string;
  active: number;
  idle: NodeJS.Timeout | null;
  expiry: NodeJS.Timeout | null;
}

type Extra = { readonly socket: WebSocket; readonly request: IncomingMessage; connection?: Connection };

const PATHS = new Set(['/graphql', '/graphql/ws']);
const MAX_TIMER_MS = 2 ** 31 - 1;

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * graphql-ws closes a subscribe message whose payload has no `query` string with 4400 before any hook runs, so a client
 * that names a trusted document by hash alone (`extensions.persistedQuery.sha256Hash`, or `documentId`) could never
 * subscribe. This JSON reviver (graphql-ws's `jsonMessageReviver`) gives such a payload `query: ""`, the same as a
 * client that sends the empty string itself: TrustedDocuments.resolve then puts the manifest's document there, or
 * refuses. Only a subscribe message's payload, only when it names a hash; every other message is left as sent.
 */
function hashOnlySubscribe(this: unknown, key: string, value: unknown): unknown {
  if (key !== 'payload' || !isRecord(this) || this.type !== 'subscribe' || !isRecord(value) || 'query' in value) return value;
  const pq = isRecord(value.extensions) ? value.extensions.persistedQuery : undefined;
  return value.documentId !== undefined || pq !== undefined ? { ...value, query: '' } : value;
}

export function createSubscriptionServer(deps: SubscriptionServerDeps): UpgradeRoute {
  const options = { ...DEFAULT_SUBSCRIPTION_OPTIONS, ...deps.options };
  const now = deps.now ?? Date.now;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const perPrincipal = new Map<string, number>();
  let server: Server | null = null;

  const close = (socket: WebSocket, code: number, reason: string) => {
    if (socket.readyState === socket.OPEN) socket.close(code, reason);
  };
  const armIdle = (socket: WebSocket, c: Connection) => {
    if (c.idle) clearTimeout(c.idle);
    c.idle = setTimeout(
      () => close(socket, CloseCode.ConnectionInitialisationTimeout, 'Idle timeout: no subscription'),
      options.idleTimeoutMs,
    );
  };
  const release = (extra: Extra) => {
    const c = extra.connection;
    if (!c) return;
    extra.connection = undefined;
    if (c.idle) clearTimeout(c.idle);
    if (c.expiry) clearTimeout(c.expiry);
    const left = (perPrincipal.get(c.key) ?? 1) - 1;
    if (left > 0) perPrincipal.set(c.key, left);
    else perPrincipal.delete(c.key);
  };
  // The edge of HTTP (format-error.ts) is the edge here too: graphql-ws serializes, onNext/onError format.
  const formatted = (errors: readonly GraphQLError[]) => errors.map((e) => deps.formatError(e.toJSON(), e));

  async function authenticate(extra: Extra, params: Readonly<Record<string, unknown>> | undefined): Promise<boolean> {
    const raw = params?.authorization ?? params?.Authorization;
    const authorization = typeof raw === 'string' ? raw : undefined;
    let principal: Principal;
    try {
      principal = await deps.verifier.verify(authorization);
    } catch (e) {
      if (!(e instanceof UnauthenticatedError)) throw e; // the IdP's keys unreachable: 4500, not the client's fault
      const source = extra.request.socket.remoteAddress ?? 'unknown';
      await deps.failedLogins?.record(authorization, e.extensions.reason, source);
      const limited = await deps.rateLimiter?.failedAuth(source);
      if (limited) close(extra.socket, CloseCode.TooManyInitialisationRequests, 'Too many failed authentications');
      return false; // graphql-ws closes with 4403 Forbidden
    }
    // The HTTP path's admission (buildRequestContext): an emergency-stopped agent, or a session the MFA policy refuses,
    // is not acknowledged. A stopped agent's refusal is audited as its HTTP request's is (access.denied AGENT_STOPPED).
    const refused = await admitted(principal);
    if (refused instanceof ClearanceError) {
      const reason = typeof refused.extensions.reason === 'string' ? refused.extensions.reason : refused.extensions.code;
      close(extra.socket, CloseCode.Forbidden, `Forbidden: ${reason}`);
      return false;
    }
    const key = `${principal.tenant}\u0000${principal.sub}`;
    const open = perPrincipal.get(key) ?? 0;
    if (open >= options.maxConnectionsPerPrincipal) {
      close(
        extra.socket,
        CloseCode.TooManyInitialisationRequests,
        `Too many connections: at most ${options.maxConnectionsPerPrincipal} per principal`,
      );
      return false;
    }
    perPrincipal.set(key, open + 1);
    const c: Connection = { principal, key, active: 0, idle: null, expiry: null };
    extra.connection = c;
    // The token verified, so its `exp` is there and trusted: the connection ends with it.
    const exp = decodeJwt(authorization!.replace(/^Bearer\s+/i, '')).exp!;
    c.expiry = setTimeout(
      () => close(extra.socket, CloseCode.Unauthorized, 'Unauthorized: token expired'),
      Math.min(MAX_TIMER_MS, Math.max(0, exp * 1000 - now())),
    );
    armIdle(extra.socket, c);
    return true;
  }

  /**
   * The principal's context as the HTTP path builds it (buildRequestContext: its admission refuses an emergency-stopped
   * agent or a session the MFA policy refuses), or that refusal, audited as its HTTP request's is.
   */
  async function admitted(principal: Principal): Promise<GatewayContext | ClearanceError> {
    const requestId = randomUUID();
    try {
      return await deps.contextFor(principal, requestId);
    } catch (e) {
      if (!(e instanceof ClearanceError)) throw e;
      await auditAdmissionRefusal(deps, principal, requestId, e);
      return e;
    }
  }

  /**
   * The document a subscribe message runs, asked of the HTTP path's TrustedDocuments.resolve: a hash becomes its
   * manifest document (never the text sent beside it); in enforce mode any other text is TrustedDocumentError.
   */
  function trustedQuery(payload: SubscribePayload): string {
    const raw = payload as unknown as Record<string, unknown>;
    const params: GraphqlParams = { query: payload.query, documentId: raw.documentId, extensions: payload.extensions };
    const resolved = deps.trustedDocuments.resolve(params);
    return typeof resolved.query === 'string' ? resolved.query : '';
  }

  /** The operation's name as the audit records it (the HTTP path's: Apollo's operationName, from the document). */
  const operationOf = (args: ExecutionArgs): string | null =>
    args.operationName ?? getOperationAST(args.document, null)?.name?.value ?? null;

  function liveResults(source: AsyncIterableIterator<LivePayload>, args: ExecutionArgs): AsyncIterableIterator<ExecutionResult> {
    let ended = false;
    const iterator: AsyncIterableIterator<ExecutionResult> = {
      async next() {
        if (ended) return { value: undefined, done: true };
        const r = await source.next();
        if (r.done) return { value: undefined, done: true };
        const payload = r.value;
        if (payload.type === 'end') {
          ended = true;
          await source.return?.();
          return { value: { errors: [payload.error] }, done: false };
        }
        const result = await execute({ ...args, rootValue: payload.event, contextValue: payload.context });
        // The HTTP path's rule (phi-audit-plugin.ts): no PHI leaves unaudited, and a refusal is audited. An event's
        // change is configuration today, so its reads stay empty; it holds if a PHI field is ever reached from an event.
        try {
          await auditRequest(payload.context, result.errors, operationOf(args));
        } catch {
          ended = true;
          await source.return?.();
          return { value: { errors: [new AuditUnavailableError()] }, done: false };
        }
        return { value: result, done: false };
      },
      async return() {
        ended = true;
        await source.return?.();
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }

  const disposable = useServer<Record<string, unknown>, Extra>(
    {
      schema: deps.schema,
      connectionInitWaitTimeout: options.initTimeoutMs,
      jsonMessageReviver: hashOnlySubscribe,
      onConnect: (ctx) => authenticate(ctx.extra, ctx.connectionParams),
      onClose: (ctx) => release(ctx.extra),
      onSubscribe: async (ctx, _id, payload: SubscribePayload) => {
        // In the HTTP path's order: the trusted document (before anything else), the principal's admission, then parse
        // and validation.
        let query: string;
        try {
          query = trustedQuery(payload);
        } catch (e) {
          if (e instanceof TrustedDocumentError) return [e];
          throw e;
        }
        const c = ctx.extra.connection!;
        const context = await admitted(c.principal);
        if (context instanceof ClearanceError) return [context];
        // Marked with the codes Apollo gives them over HTTP, so the edge formats them the same way (scrubbed).
        const as = (code: string) => (e: GraphQLError) =>
          new GraphQLError(e.message, { nodes: e.nodes ?? null, originalError: e.originalError, extensions: { ...e.extensions, code } });
        let document;
        try {
          document = parse(query, { maxTokens: deps.maxTokens });
        } catch (e) {
          return [as('GRAPHQL_PARSE_FAILED')(e instanceof GraphQLError ? e : new GraphQLError('Syntax Error'))];
        }
        // No "did you mean": HTTP strips suggestions (Apollo's hideSchemaDetailsFromClientErrors, in every mode).
        const errors = validate(deps.schema, document, [...specifiedRules, ...deps.validationRules], { hideSuggestions: true });
        if (errors.length > 0)
          return errors.map((e) => (e.originalError instanceof ClearanceError ? e : as('GRAPHQL_VALIDATION_FAILED')(e)));
        const operation = getOperationAST(document, payload.operationName);
        if (operation?.operation !== 'subscription') {
          return [
            new ClearanceError('BAD_USER_INPUT', 'Only subscriptions run over WebSocket: send queries and mutations to POST /graphql.', {
              reason: 'NOT_A_SUBSCRIPTION',
            }),
          ];
        }
        c.active++;
        if (c.idle) clearTimeout(c.idle);
        c.idle = null;
        const operationName = payload.operationName ?? operation.name?.value ?? null;
        return {
          schema: deps.schema,
          document,
          operationName: payload.operationName ?? null,
          variableValues: payload.variables ?? null,
          contextValue: { ...context, live: createLiveSession(deps, c.principal, operationName) } satisfies GatewayContext,
          hideSuggestions: true,
        };
      },
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: formatted(result.errors) } : result),
      onError: (_ctx, _id, _payload, errors) => formatted(errors),
      onComplete: (ctx) => {
        const c = ctx.extra.connection;
        if (!c) return;
        c.active = Math.max(0, c.active - 1);
        if (c.active === 0) armIdle(ctx.extra.socket, c);
      },
      subscribe: async (args) => {
        const source = await createSourceEventStream(args);
        if (!(Symbol.asyncIterator in source)) {
          // Refused at subscribe (FORBIDDEN from the root field's guard): audited as an HTTP request's refusal is.
          try {
            await auditRequest(args.contextValue as GatewayContext, source.errors, operationOf(args));
          } catch {
            return { errors: [new AuditUnavailableError()] };
          }
          return source;
        }
        return liveResults(source as AsyncIterableIterator<LivePayload>, args);
      },
      // Never send an unexpected error's message to the client (it could carry anything).
      isProd: true,
    },
    wss,
  );

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://gateway.local').pathname;
    if (!PATHS.has(path)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };

  return {
    attach(s) {
      server = s;
      s.on('upgrade', onUpgrade);
    },
    async close() {
      server?.off('upgrade', onUpgrade);
      server = null;
      // Going away (1001): clients reconnect to another replica.
      for (const ws of wss.clients) ws.close(1001, 'Server shutting down');
      await disposable.dispose();
    },
  };
}
