import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import {
  execute as executeGraphqlJs,
  getOperationAST,
  GraphQLError,
  Kind,
  visit,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { ExecutionEngine } from '../config/config.js';

// Compiled execution (issue 17): graphql-jit turns an operation into one JavaScript function per document, which runs
// the same resolvers (the guard's synchronous wrappers included) without graphql-js's per-field bookkeeping. It sits
// behind Apollo Server as the executor of Apollo's gateway interface: parsing, validation, every plugin hook
// (didResolveOperation, executionDidStart, didEncounterErrors, willSendResponse) and formatError stay Apollo's; only
// the `execute` step changes. graphql-js still runs an operation graphql-jit does not carry the same way (FALLBACKS).

/** Why an operation ran on graphql-js although the engine is jit. */
type FallbackReason =
  /** A subscription over HTTP: graphql-jit compiles subscriptions for its own `subscribe`, not a one-shot execute. */
  | 'SUBSCRIPTION'
  /** A directive other than @skip/@include in the operation (@defer, @stream, a custom one): graphql-jit ignores them. */
  | 'DIRECTIVE'
  /** graphql-jit refused to compile (no such operation, several operations without a name): graphql-js's own error. */
  | 'NOT_COMPILABLE'
  /** The document's first use: compiling costs 3-12 ms here, several runs' worth, so a document is compiled when it
   * comes again (`compileAfter`); a client sending a new document each time never makes the gateway compile. */
  | 'COLD'
  /** A response key `__proto__` (an alias or field name): graphql-jit's compiled code builds the answer with plain
   * property writes, and a `__proto__` key lands last instead of where it was asked (GraphQL spec, "Field Collection":
   * the answer keeps the selection's order). graphql-js keeps the order. */
  | 'RESERVED_KEY'
  /** The request failed before any resolver ran (variables that do not coerce): graphql-js's errors, which name the
   * variable's definition node, are the ones Apollo turns into BAD_USER_INPUT. Nothing ran twice. */
  | 'REQUEST_ERROR';

export type ExecutionPath = 'jit' | 'graphql-js' | `fallback:${FallbackReason}`;

export interface ExecutionRequest {
  readonly document: DocumentNode;
  readonly operationName?: string | null | undefined;
  readonly contextValue: unknown;
  readonly variableValues?: Readonly<Record<string, unknown>> | null | undefined;
  /** The cache key of the document (Apollo's query hash); absent: the document object itself. */
  readonly key?: string;
}

export interface CompiledExecutionOptions {
  readonly engine: ExecutionEngine;
  /** Compiled operations kept (least recently used dropped first); each is a closure of a few kB. */
  readonly maxDocuments?: number;
  /** Compiled on this use of a document (default 2: the first use runs on graphql-js, see COLD). */
  readonly compileAfter?: number;
  /** Told which path ran each operation (tests, and a place for a metric). */
  readonly onExecute?: (path: ExecutionPath) => void;
}

const JIT_DIRECTIVES = new Set(['skip', 'include']);

type Entry = CompiledQuery | FallbackReason;

/** A bounded least-recently-used map (a Map keeps insertion order: the first key is the oldest). */
class Lru<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly max: number) {}
  get size(): number {
    return this.map.size;
  }
  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K);
  }
  delete(key: K): void {
    this.map.delete(key);
  }
}

/** The operation's directives outside @skip/@include, or a subscription: what graphql-jit would not run as graphql-js does. */
function unsupported(document: DocumentNode, operationName: string | null | undefined): FallbackReason | null {
  const operation = getOperationAST(document, operationName);
  if (!operation) return 'NOT_COMPILABLE';
  if (operation.operation === 'subscription') return 'SUBSCRIPTION';
  let reason: FallbackReason | null = null;
  visit(document, {
    [Kind.DIRECTIVE]: (node) => {
      if (!JIT_DIRECTIVES.has(node.name.value)) reason ??= 'DIRECTIVE';
    },
    [Kind.FIELD]: (node) => {
      if ((node.alias ?? node.name).value === '__proto__') reason ??= 'RESERVED_KEY';
    },
  });
  return reason;
}

/**
 * graphql-jit's errors are its own objects (prototype of GraphQLError, no `nodes`, `extensions` undefined when the
 * resolver's error had none): rebuilt as graphql-js builds them, so Apollo's formatting and format-error.ts see the
 * same error whichever engine ran.
 */
function asGraphqlJsError(e: GraphQLError): GraphQLError {
  const rebuilt = new GraphQLError(e.message, {
    ...(e.path ? { path: e.path } : {}),
    ...(e.originalError ? { originalError: e.originalError } : {}),
  });
  if (e.locations) (rebuilt as { locations: GraphQLError['locations'] }).locations = e.locations;
  return rebuilt;
}

/**
 * Executes operations on one schema with the configured engine; compiled operations cached per document. Documents
 * not yet compiled are counted apart (`sightings`), so a flood of one-off documents never pushes a busy document's
 * compiled operation out of the cache.
 */
export class CompiledExecution {
  readonly engine: ExecutionEngine;
  private readonly compiled: Lru<string, Entry>;
  private readonly sightings: Lru<string, number>;
  private readonly byDocument = new WeakMap<DocumentNode, Map<string, Entry | number>>();
  private readonly compileAfter: number;

  constructor(
    readonly schema: GraphQLSchema,
    private readonly options: CompiledExecutionOptions,
  ) {
    this.engine = options.engine;
    this.compiled = new Lru(options.maxDocuments ?? 1000);
    this.sightings = new Lru(options.maxDocuments ?? 1000);
    this.compileAfter = Math.max(1, options.compileAfter ?? 2);
  }

  /** Documents held in the bounded cache of compiled operations (compiled, or the reason they run on graphql-js). */
  get cachedDocuments(): number {
    return this.compiled.size;
  }

  /** Documents seen but not yet compiled (bounded apart from the compiled ones). */
  get coldDocuments(): number {
    return this.sightings.size;
  }

  async execute(request: ExecutionRequest): Promise<ExecutionResult> {
    if (this.engine === 'graphql-js') return this.graphqlJs(request, 'graphql-js');
    const entry = this.entryFor(request);
    if (entry === null) return this.graphqlJs(request, 'fallback:COLD');
    if (typeof entry === 'string') return this.graphqlJs(request, `fallback:${entry}`);
    const result = await entry.query(undefined, request.contextValue, (request.variableValues ?? {}) as Record<string, unknown>);
    // No `data` at all: the variables did not coerce and no resolver ran (createBoundQuery returns before executing).
    if (!('data' in result)) return this.graphqlJs(request, 'fallback:REQUEST_ERROR');
    this.options.onExecute?.('jit');
    return result.errors ? { ...result, errors: result.errors.map(asGraphqlJsError) } : result;
  }

  /** Apollo Server's gateway interface serving this schema, with `execute` as the executor (no schema updates). */
  gateway<TContext extends BaseContext>(): ApolloServerOptionsWithGateway<TContext>['gateway'] {
    let onLoad: ((schema: { apiSchema: GraphQLSchema; coreSupergraphSdl: string }) => void) | null = null;
    return {
      onSchemaLoadOrUpdate: (callback) => {
        onLoad = callback;
        return () => {
          onLoad = null;
        };
      },
      load: async () => {
        // The supergraph SDL is a federation notion; nothing here reads it.
        onLoad?.({ apiSchema: this.schema, coreSupergraphSdl: '' });
        return {
          executor: (rc) =>
            this.execute({
              document: rc.document,
              operationName: rc.request.operationName,
              contextValue: rc.context,
              variableValues: rc.request.variables,
              key: rc.queryHash,
            }),
        };
      },
      stop: async () => {},
    };
  }

  /** The compiled operation or the reason for graphql-js; null while the document is cold. */
  private entryFor(request: ExecutionRequest): Entry | null {
    const name = request.operationName ?? '';
    const key = request.key === undefined ? null : `${request.key}\n${name}`;
    const forDocument = key === null ? (this.byDocument.get(request.document) ?? new Map<string, Entry | number>()) : null;
    const cached = key === null ? forDocument!.get(name) : this.compiled.get(key);
    if (cached !== undefined && typeof cached !== 'number') return cached;
    const seen = (key === null ? ((cached as number | undefined) ?? 0) : (this.sightings.get(key) ?? 0)) + 1;
    const entry = seen >= this.compileAfter ? this.compile(request) : null;
    if (key !== null) {
      if (entry === null) this.sightings.set(key, seen);
      else {
        this.sightings.delete(key);
        this.compiled.set(key, entry);
      }
    } else {
      forDocument!.set(name, entry ?? seen);
      this.byDocument.set(request.document, forDocument!);
    }
    return entry;
  }

  private compile(request: ExecutionRequest): Entry {
    const reason = unsupported(request.document, request.operationName);
    if (reason !== null) return reason;
    const compiled = compileQuery(this.schema, request.document, request.operationName ?? undefined);
    return isCompiledQuery(compiled) ? compiled : 'NOT_COMPILABLE';
  }

  private async graphqlJs(request: ExecutionRequest, path: ExecutionPath): Promise<ExecutionResult> {
    this.options.onExecute?.(path);
    return executeGraphqlJs({
      schema: this.schema,
      document: request.document,
      operationName: request.operationName,
      contextValue: request.contextValue,
      variableValues: request.variableValues,
    });
  }
}
