import { randomUUID } from 'node:crypto';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ConnectorError } from '../../connectors/common/connector-error.js';
import { ClearanceError } from '../errors/errors.js';
import type { Logger } from './logger.js';
import { isTooManyTokens, queryLimitError } from './query-limits.js';

// The edge: every error leaves as a code from src/errors/error-codes.ts. Known errors keep their message and
// extensions; connector errors name the connector and kind only; anything unexpected is masked with a correlation
// id and logged. graphql-js messages echo variable and literal values (which can be PHI), so they are scrubbed.

const CLIENT_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** Removes values graphql-js copies into messages; keeps names of variables, types and fields. */
function scrubValues(message: string): string {
  return message
    .replace(/(Variable "\$[^"]+") got invalid value[\s\S]*/, '$1 got an invalid value.')
    .replace(/(cannot represent)[^:]*? value:[\s\S]*/, '$1 the given value.')
    .replace(/(Expected value of type "[^"]+"), found[\s\S]*/, '$1.')
    .replace(/Value "[\s\S]*" does not exist in ("[^"]*" enum)[\s\S]*/, 'The value does not exist in $1.')
    .replace(/(Syntax Error: [^"]*?)"[\s\S]*"/, '$1<value>');
}

export function createFormatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    // A ClearanceError reported during validation (query limits) comes wrapped by Apollo's ValidationError, whose
    // code would hide ours: unwrap it like a resolver error.
    const unwrapped = unwrapResolverError(error);
    const original =
      unwrapped instanceof GraphQLError && unwrapped.originalError instanceof ClearanceError ? unwrapped.originalError : unwrapped;
    const where = {
      ...(formatted.path ? { path: formatted.path } : {}),
      ...(formatted.locations ? { locations: formatted.locations } : {}),
    };
    if (original instanceof ClearanceError) {
      const { http: _http, ...extensions } = original.extensions;
      return { message: original.message, ...where, extensions };
    }
    if (original instanceof ConnectorError) {
      const code = original.kind === 'CONFLICT' ? 'CONFLICT' : 'UPSTREAM_UNAVAILABLE';
      return {
        message: `The ${original.connector} connector failed (${original.kind}).`,
        ...where,
        extensions: { code, connector: original.connector, kind: original.kind },
      };
    }
    const code = String(formatted.extensions?.code ?? '');
    if (code === 'GRAPHQL_PARSE_FAILED' && isTooManyTokens(formatted.message)) {
      const limit = queryLimitError('TOO_MANY_TOKENS');
      return { message: limit.message, extensions: { code: 'BAD_USER_INPUT', reason: limit.extensions.reason } };
    }
    if (CLIENT_ERROR_CODES.has(code)) {
      return { message: scrubValues(formatted.message), ...where, extensions: { code: 'BAD_USER_INPUT', reason: code } };
    }
    const correlationId = randomUUID();
    logger.error(
      { correlationId, err: { name: (original as Error)?.name, message: scrubValues(String((original as Error)?.message ?? original)) } },
      'unexpected error',
    );
    return { message: `Internal error. Correlation id: ${correlationId}`, ...where, extensions: { code: 'INTERNAL', correlationId } };
  };
}
