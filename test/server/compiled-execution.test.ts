import { ApolloServer } from '@apollo/server';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { ExecutionEngine } from '../../src/config/config.js';
import { ClearanceError } from '../../src/errors/errors.js';
import { CompiledExecution, type ExecutionPath } from '../../src/server/compiled-execution.js';
import { createFormatError } from '../../src/server/format-error.js';
import { createLogger } from '../../src/server/logger.js';

// Compiled execution behind Apollo Server (src/server/compiled-execution.ts) on a small schema made to fail every way
// the gateway's can: the same ApolloServer set-up as the gateway's (gateway executor, formatError of
// src/server/format-error.ts) must answer alike with either engine, and run on the path it says.

const typeDefs = /* GraphQL */ `
  directive @upper on FIELD
  interface Named { name: String }
  type Row implements Named { id: ID! name: String secret: String }
  type Query {
    rows: [Row!]!
    row(id: ID!): Row
    strictRows: [Row!]
    broken: String
    denied: String
    nullRequired: String!
    named: [Named]
    echo(text: String): String
  }
  type Mutation { touch(n: Int!): Int! }
  type Subscription { ticks: Int }
`;

const ROWS = [{ id: '1', name: 'a' }, { id: '2', name: null }, { id: '3', name: 'c' }];
let touched = 0;

const schema = makeExecutableSchema({
  typeDefs,
  resolvers: {
    Query: {
      rows: () => ROWS,
      row: (_p: unknown, { id }: { id: string }) => {
        if (id === 'bad') throw new ClearanceError('BAD_USER_INPUT', 'Not an id.', { reason: 'INVALID_ID' }, 400);
        return ROWS.find((r) => r.id === id) ?? null;
      },
      // A non-null item whose id is null: the item's null bubbles to the nullable list.
      strictRows: () => [{ id: '1', name: 'a' }, { id: null, name: 'x' }],
      // An unexpected error (a bug): masked as INTERNAL with a correlation id.
      broken: () => {
        throw new TypeError('Cannot read properties of undefined (reading "x") for patient Jane Doe');
      },
      // The guard returns its denial (rules/fast-guard.ts), it does not throw it.
      denied: () => new ClearanceError('FORBIDDEN', 'Not for you.', { dataClass: 'phi', failedScope: 'role' }, 403),
      nullRequired: () => null,
      named: () => [{ id: '9', name: 'n' }],
      echo: (_p: unknown, { text }: { text: string }) => text,
    },
    Row: { secret: () => new ClearanceError('FORBIDDEN', 'Secret.', { dataClass: 'secret' }, 403) },
    Named: { __resolveType: () => 'Row' },
    Mutation: { touch: (_p: unknown, { n }: { n: number }) => (touched += n) },
  },
});

function server(engine: ExecutionEngine, paths: ExecutionPath[] = [], maxDocuments?: number) {
  // Compiled on first use here, so that each case shows its path at once (the cold first use has a test of its own).
  const execution = new CompiledExecution(schema, {
    engine, compileAfter: 1, onExecute: (p) => paths.push(p), ...(maxDocuments ? { maxDocuments } : {}),
  });
  const apollo = new ApolloServer({
    gateway: execution.gateway(),
    formatError: createFormatError(createLogger('silent')),
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: true,
  });
  return { apollo, execution, paths };
}

/** The JSON answer with correlation ids made comparable (they are random per error). */
async function answer(apollo: ApolloServer, query: string, variables?: Record<string, unknown>, operationName?: string) {
  const r = await apollo.executeOperation({ query, ...(variables ? { variables } : {}), ...(operationName ? { operationName } : {}) });
  if (r.body.kind !== 'single') throw new Error('incremental answer');
  const text = JSON.stringify(r.body.singleResult).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>');
  const body = JSON.parse(text) as { data?: unknown; errors?: { message: string; extensions: Record<string, unknown> }[] };
  return { status: r.http.status ?? 200, body };
}

const QUERIES: { name: string; query: string; variables?: Record<string, unknown>; operationName?: string; path: ExecutionPath }[] = [
  { name: 'plain data, an interface, __typename', query: '{ rows { id name } named { __typename name ... on Row { id } } }', path: 'jit' },
  { name: 'FORBIDDEN returned by a field of every row', query: '{ rows { id secret } }', path: 'jit' },
  { name: 'FORBIDDEN returned by a root field, beside data', query: '{ denied rows { id } }', path: 'jit' },
  { name: 'BAD_USER_INPUT thrown by a resolver', query: '{ row(id: "bad") { id } }', path: 'jit' },
  { name: 'null for a missing row', query: '{ row(id: "404") { id } }', path: 'jit' },
  { name: 'an unexpected error, masked as INTERNAL', query: '{ broken rows { id } }', path: 'jit' },
  { name: 'null on a non-null list item: the list becomes null', query: '{ strictRows { id name } rows { id } }', path: 'jit' },
  { name: 'null on a non-null root field: data becomes null', query: '{ nullRequired rows { id } }', path: 'jit' },
  { name: 'a mutation', query: 'mutation { a: touch(n: 1) b: touch(n: 2) }', path: 'jit' },
  {
    name: 'variables and @include', query: 'query Q($id: ID!, $n: Boolean!) { row(id: $id) { id name @include(if: $n) } }',
    variables: { id: '1', n: false }, path: 'jit',
  },
  {
    name: 'variables that do not coerce', query: 'query Q($id: ID!) { row(id: $id) { id } }',
    variables: { id: { not: 'an id' } }, path: 'fallback:REQUEST_ERROR',
  },
  { name: 'a missing required variable', query: 'query Q($id: ID!) { row(id: $id) { id } }', path: 'fallback:REQUEST_ERROR' },
  { name: 'a directive graphql-jit does not carry', query: '{ rows { name @upper } }', path: 'fallback:DIRECTIVE' },
  { name: 'a subscription over HTTP', query: 'subscription { ticks }', path: 'fallback:SUBSCRIPTION' },
  { name: 'several operations and no name', query: 'query A { rows { id } } query B { denied }', path: 'fallback:NOT_COMPILABLE' },
  // Attacker text in literals, defaults and variables: graphql-jit generates code, none of it may become code.
  {
    name: 'string literals that look like code',
    query: String.raw`{ a: echo(text: "\"); globalThis.pwned = 1; (\"") b: echo(text: "\\\u2028\u2029\n'; globalThis.pwned = 2; //") }`,
    path: 'jit',
  },
  {
    name: 'a variable default and a variable value that look like code',
    query: String.raw`query Q($a: String = "\"); globalThis.pwned = 3; (\"", $b: String!) { a: echo(text: $a) b: echo(text: $b) }`,
    variables: { b: '"); globalThis.pwned = 4; ("' },
    path: 'jit',
  },
  { name: 'one operation of several, by name', query: 'query A { rows { id } } query B { denied }', operationName: 'B', path: 'jit' },
];

describe('compiled execution behind Apollo Server', () => {
  it.each(QUERIES)('$name: the same answer on both engines, on the path $path', async (q) => {
    const jit = server('jit');
    const js = server('graphql-js');
    await Promise.all([jit.apollo.start(), js.apollo.start()]);
    try {
      touched = 0;
      const a = await answer(jit.apollo, q.query, q.variables, q.operationName);
      touched = 0;
      const b = await answer(js.apollo, q.query, q.variables, q.operationName);
      expect(a).toEqual(b);
      expect(jit.paths).toEqual([q.path]);
      expect(js.paths).toEqual(['graphql-js']);
      expect((globalThis as { pwned?: unknown }).pwned).toBeUndefined();
    } finally {
      await Promise.all([jit.apollo.stop(), js.apollo.stop()]);
    }
  });

  it('the answers themselves: codes, paths, masking, null propagation', async () => {
    const { apollo } = server('jit');
    await apollo.start();
    try {
      const forbidden = await answer(apollo, '{ rows { id secret } }');
      expect(forbidden.body.errors!.map((e) => [e.extensions.code, (e as { path?: unknown }).path])).toEqual([
        ['FORBIDDEN', ['rows', 0, 'secret']], ['FORBIDDEN', ['rows', 1, 'secret']], ['FORBIDDEN', ['rows', 2, 'secret']],
      ]);
      const echoed = await answer(apollo, String.raw`{ a: echo(text: "\"); globalThis.pwned = 1; (\"") }`);
      expect(echoed.body.data).toEqual({ a: '"); globalThis.pwned = 1; ("' });
      const masked = await answer(apollo, '{ broken rows { id } }');
      expect(masked.body.errors![0]!.extensions.code).toBe('INTERNAL');
      expect(JSON.stringify(masked.body)).not.toContain('Jane Doe');
      expect(masked.body.data).toEqual({ broken: null, rows: [{ id: '1' }, { id: '2' }, { id: '3' }] });
      const bubbled = await answer(apollo, '{ strictRows { id name } rows { id } }');
      expect((bubbled.body.data as { strictRows: unknown }).strictRows).toBeNull();
      expect((await answer(apollo, '{ nullRequired rows { id } }')).body.data).toBeNull();
      const coerced = await answer(apollo, 'query Q($id: ID!) { row(id: $id) { id } }', { id: { not: 'an id' } });
      expect([coerced.status, coerced.body.errors![0]!.extensions.code]).toEqual([400, 'BAD_USER_INPUT']);
      expect(JSON.stringify(coerced.body)).not.toContain('an id"');
    } finally {
      await apollo.stop();
    }
  });

  it('a mutation runs once, in order, also when compiled', async () => {
    const { apollo } = server('jit');
    await apollo.start();
    try {
      const before = touched;
      const r = await answer(apollo, 'mutation { a: touch(n: 1) b: touch(n: 10) }');
      expect(r.body.data).toEqual({ a: before + 1, b: before + 11 });
      expect(touched).toBe(before + 11);
    } finally {
      await apollo.stop();
    }
  });

  it('compiled operations are cached per document, at most maxDocuments of them', async () => {
    const paths: ExecutionPath[] = [];
    const execution = new CompiledExecution(schema, { engine: 'jit', maxDocuments: 2, compileAfter: 1, onExecute: (p) => paths.push(p) });
    const run = (query: string, key: string) => execution.execute({ document: parse(query), contextValue: {}, key });
    const ids = ROWS.map(({ id }) => ({ id }));
    for (let i = 0; i < 5; i++) expect((await run(`{ r${i}: rows { id } }`, `k${i}`)).data).toEqual({ [`r${i}`]: ids });
    expect(execution.cachedDocuments).toBe(2);
    // The same key again (the most recent two are kept): served from the cache, still compiled.
    expect((await run('{ r4: rows { id } }', 'k4')).data).toEqual({ r4: ROWS.map(({ id }) => ({ id })) });
    expect(execution.cachedDocuments).toBe(2);
    expect(paths.every((p) => p === 'jit')).toBe(true);
    // Without a key the document object is the key (held weakly, gone with the document).
    const document = parse('{ rows { name } }');
    await execution.execute({ document, contextValue: {} });
    expect(execution.cachedDocuments).toBe(2);
  });

  it('one-off documents never push a compiled operation out of the cache', async () => {
    const paths: ExecutionPath[] = [];
    const execution = new CompiledExecution(schema, { engine: 'jit', maxDocuments: 2, onExecute: (p) => paths.push(p) });
    const run = (query: string, key: string) => execution.execute({ document: parse(query), contextValue: {}, key });
    await run('{ rows { id } }', 'hot');
    await run('{ rows { id } }', 'hot');
    for (let i = 0; i < 10; i++) await run(`{ r${i}: rows { id } }`, `once-${i}`);
    expect([execution.cachedDocuments, execution.coldDocuments]).toEqual([1, 2]);
    paths.length = 0;
    await run('{ rows { id } }', 'hot');
    expect(paths).toEqual(['jit']);
  });

  it('an answer keeps the selection order with either engine, a `__proto__` response key included', async () => {
    const queries = ['{ rows { __proto__: name id } }', '{ a: echo(text: "x") __proto__: echo(text: "y") b: echo(text: "z") }'];
    for (const query of queries) {
      const answers: string[] = [];
      for (const engine of ['graphql-js', 'jit'] as const) {
        const paths: ExecutionPath[] = [];
        const execution = new CompiledExecution(schema, { engine, compileAfter: 1, onExecute: (p) => paths.push(p) });
        answers.push(JSON.stringify((await execution.execute({ document: parse(query), contextValue: {}, key: 'k' })).data));
        if (engine === 'jit') expect(paths).toEqual(['fallback:RESERVED_KEY']);
      }
      expect(answers[1]).toBe(answers[0]);
      expect(Object.keys(JSON.parse(answers[0]!))).toEqual(query.startsWith('{ rows') ? ['rows'] : ['a', '__proto__', 'b']);
    }
  });

  it('a document is compiled on its second use, so one-off documents never cost a compilation', async () => {
    const paths: ExecutionPath[] = [];
    const execution = new CompiledExecution(schema, { engine: 'jit', onExecute: (p) => paths.push(p) });
    const run = (query: string, key: string) => execution.execute({ document: parse(query), contextValue: {}, key });
    for (let i = 0; i < 3; i++) await run('{ rows { id } }', 'same');
    expect(paths).toEqual(['fallback:COLD', 'jit', 'jit']);
    paths.length = 0;
    for (let i = 0; i < 20; i++) await run(`{ r${i}: rows { id } }`, `new-${i}`);
    expect(paths.every((p) => p === 'fallback:COLD')).toBe(true);
  });
});
