import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { GatewayContext } from '../context/context.js';
import type { Logger } from './logger.js';

// One log line per HTTP request, written by the gateway when the response has ended (so every path is covered:
// 404, 413, 401 before any context, 429, GraphQL). What the line holds is filled in on the way: the principal when
// the token verified, the operation (operationLabel) and the error codes by the Apollo plugin below. Never variables,
// query text, tokens, response bodies or any name a client chose: ids, codes and timings only.

export interface RequestRecord {
  readonly requestId: string;
  readonly startedAt: number;
  readonly method: string;
  readonly path: string;
  sub?: string;
  tenant?: string;
  /** The operation as operationLabel names it (`query:patient`). */
  operation?: string;
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
      ...(record.operation ? { operation: record.operation } : {}),
      ...(record.errorCodes?.length ? { errorCodes: record.errorCodes } : {}),
      ...(record.outcome ? { outcome: record.outcome } : {}),
    },
    'request',
  );
}

/**
 * The operation as the request log, the metrics and the spans name it: its type and the root fields it selects, sorted
 * (`query:me,patient`): names of our own schema. Never the client's operation name or aliases: a client chooses those
 * freely, and a tester put a patient's name and SSN in one (`query Dennis_Durgan_SSN_999_90_8884`), which then sat in
 * a Prometheus label and a log line, channels read without the audit. A root field the schema lacks is left out
 * (the request failed validation); an operation with none left is `<type>:(invalid)`.
 */
function operationLabel(schema: GraphQLSchema, document: DocumentNode | undefined, operation: OperationDefinitionNode): string {
  const root = schema.getRootType(operation.operation);
  const known = root?.getFields() ?? {};
  const fields = new Set<string>();
  const seen = new Set<string>();
  const visit = (set: SelectionSetNode): void => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        if (Object.hasOwn(known, s.name.value) || s.name.value === '__typename') fields.add(s.name.value);
      } else if (s.kind === Kind.INLINE_FRAGMENT) visit(s.selectionSet);
      else if (!seen.has(s.name.value)) {
        seen.add(s.name.value);
        const fragment = document?.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === s.name.value);
        if (fragment?.kind === Kind.FRAGMENT_DEFINITION) visit(fragment.selectionSet);
      }
    }
  };
  visit(operation.selectionSet);
  return `${operation.operation}:${fields.size ? [...fields].sort().join(',') : '(invalid)'}`;
}

/** Fills the request's record from Apollo: which operation ran and which error codes it answered with. */
export function requestLogPlugin(recordOf: (ctx: GatewayContext) => RequestRecord | undefined): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, operation, document, schema, response }) {
          const record = recordOf(contextValue);
          if (!record) return;
          if (operation) record.operation = operationLabel(schema, document, operation);
          if (response.body.kind === 'single') {
            record.errorCodes = (response.body.singleResult.errors ?? []).map((e) => String(e.extensions?.code ?? 'INTERNAL'));
          }
        },
      };
    },
  };
}
