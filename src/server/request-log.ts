import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../context/context.js';
import type { Logger } from './logger.js';

// One log line per HTTP request, written by the gateway when the response has ended (so every path is covered:
// 404, 413, 401 before any context, 429, GraphQL). What the line holds is filled in on the way: the principal when
// the token verified, the operation name and type and the error codes by the Apollo plugin below. Never variables,
// query text, tokens or response bodies: ids, codes and timings only.

export interface RequestRecord {
  readonly requestId: string;
  readonly startedAt: number;
  readonly method: string;
  readonly path: string;
  sub?: string;
  tenant?: string;
  operationName?: string | null;
  operationType?: string;
  /** extensions.code of each error in the response (codes come from our catalogue). */
  errorCodes?: string[];
  /** Why the request ended before GraphQL ran (e.g. BODY_TOO_LARGE, UNAUTHENTICATED). */
  outcome?: string;
}

export function newRequestRecord(requestId: string, method: string, path: string): RequestRecord {
  return { requestId, startedAt: performance.now(), method, path };
}

export function writeRequestLine(logger: Logger, record: RequestRecord, status: number): void {
  const durationMs = Math.round((performance.now() - record.startedAt) * 10) / 10;
  const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
  logger[level](
    {
      requestId: record.requestId,
      method: record.method,
      path: record.path,
      status,
      durationMs,
      ...(record.sub !== undefined ? { sub: record.sub, tenant: record.tenant } : {}),
      ...(record.operationType ? { operation: record.operationType, operationName: record.operationName ?? null } : {}),
      ...(record.errorCodes?.length ? { errorCodes: record.errorCodes } : {}),
      ...(record.outcome ? { outcome: record.outcome } : {}),
    },
    'request',
  );
}

/** Fills the request's record from Apollo: which operation ran and which error codes it answered with. */
export function requestLogPlugin(recordOf: (ctx: GatewayContext) => RequestRecord | undefined): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, operation, operationName, response }) {
          const record = recordOf(contextValue);
          if (!record) return;
          record.operationName = operationName ?? null;
          if (operation) record.operationType = operation.operation;
          if (response.body.kind === 'single') {
            record.errorCodes = (response.body.singleResult.errors ?? []).map((e) => String(e.extensions?.code ?? 'INTERNAL'));
          }
        },
      };
    },
  };
}
