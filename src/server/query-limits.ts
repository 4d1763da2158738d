import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ValidationContext, ValidationRule } from 'graphql';
import type { QueryLimits } from '../config/hardening-config.js';
import { ClearanceError } from '../errors/errors.js';

// Query limits (graphql-armor 3.x): each refusal is a BAD_USER_INPUT with its own stable `reason`,
// reported as a ClearanceError from armor's onReject (format-error keeps it as is). `exposeLimits: false`
// everywhere: the refusal says which limit, not its value or how far over the query was. Tokens are counted by
// graphql's own parser (Apollo `parseOptions.maxTokens`), never armor's maxTokens: that one turns a syntax error into
// an HTTP 500 that repeats the query text.

export type QueryLimitReason = 'QUERY_TOO_DEEP' | 'TOO_MANY_ALIASES' | 'QUERY_TOO_COSTLY' | 'TOO_MANY_DIRECTIVES' | 'TOO_MANY_TOKENS';

const MESSAGES: Record<QueryLimitReason, string> = {
  QUERY_TOO_DEEP: 'The query is nested too deeply.',
  TOO_MANY_ALIASES: 'The query uses too many aliases.',
  QUERY_TOO_COSTLY: 'The query asks for too much at once (cost limit).',
  TOO_MANY_DIRECTIVES: 'The query uses too many directives.',
  TOO_MANY_TOKENS: 'The query is too long (token limit).',
};

export function queryLimitError(reason: QueryLimitReason): ClearanceError<{ reason: QueryLimitReason }> {
  return new ClearanceError('BAD_USER_INPUT', MESSAGES[reason], { reason }, 400);
}

/** Armor's own error is dropped (its message is generic); ours goes to the validation context instead. */
function reportAs(reason: QueryLimitReason): {
  propagateOnRejection: false;
  onReject: ((ctx: ValidationContext | null) => void)[];
  exposeLimits: false;
} {
  return { propagateOnRejection: false, onReject: [(ctx) => ctx?.reportError(queryLimitError(reason))], exposeLimits: false };
}

export interface QueryLimitOptions {
  readonly validationRules: ValidationRule[];
  readonly plugins: ApolloServerPlugin[];
  readonly parseOptions: { readonly maxTokens: number };
}

export function queryLimitOptions(limits: QueryLimits): QueryLimitOptions {
  const armor = new ApolloArmor({
    // flattenFragments: one cost and one depth for one selection however it is spelled (armor's default counts a
    // fragment spread as one more level: the fragments client libraries write were refused where inline ran).
    maxDepth: { n: limits.maxDepth, flattenFragments: true, ...reportAs('QUERY_TOO_DEEP') },
    // allowList: [] so `__typename` aliases count too (armor's default allow-list lets them through unbounded).
    maxAliases: { n: limits.maxAliases, allowList: [], ...reportAs('TOO_MANY_ALIASES') },
    costLimit: { maxCost: limits.maxCost, flattenFragments: true, ...reportAs('QUERY_TOO_COSTLY') },
    maxDirectives: { n: limits.maxDirectives, ...reportAs('TOO_MANY_DIRECTIVES') },
    blockFieldSuggestion: { enabled: true },
    maxTokens: { enabled: false },
  });
  const { validationRules, plugins } = armor.protect();
  return {
    validationRules: validationRules as ValidationRule[],
    plugins: plugins as ApolloServerPlugin[],
    parseOptions: { maxTokens: limits.maxTokens },
  };
}

/** graphql's parser refusal for `maxTokens` (graphql 16 spells it "more that N tokens"), recognised by format-error. */
export function isTooManyTokens(message: string): boolean {
  return /Document contains more th(?:an|at) \d+ tokens/.test(message);
}
