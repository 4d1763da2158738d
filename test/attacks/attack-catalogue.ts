import { postJson, send, type RawResponse } from './attack-http.js';

// Every hostile request of the attack suite, with the refusal it must get. One list, two consumers:
// query-bombs.test.ts asserts each refusal and that the gateway stays healthy; phi-canary.test.ts runs the same
// list with a canary patient's id and name in every place an attacker could put them and greps the answers.

export interface AttackTarget {
  readonly url: string;
  /** A valid token of a clinician of every department of tenant acme. */
  readonly token: string;
  /** A patient id and a string to plant (the canary in phi-canary.test.ts). */
  readonly patientId: string;
  readonly plant: string;
}

export interface Attack {
  readonly name: string;
  readonly status: number;
  readonly code: string;
  readonly reason?: string;
  send(t: AttackTarget): Promise<RawResponse>;
}

const q = (t: AttackTarget, query: string, variables?: unknown) => postJson(t.url, t.token, { query, variables });
const repeat = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(' ');

/** Encounter.subject → Patient → encounters → ...: a cycle, nested `levels` times. */
function deep(levels: number, id: string): string {
  let inner = 'id';
  for (let i = 0; i < levels; i++) inner = `encounters { subject { ${inner} } }`;
  return `{ patient(id: "${id}") { ${inner} } }`;
}

export const ATTACKS: readonly Attack[] = [
  {
    name: 'depth bomb (depth 24)',
    status: 400,
    code: 'BAD_USER_INPUT',
    reason: 'QUERY_TOO_DEEP',
    send: (t) => q(t, deep(11, t.patientId)),
  },
  {
    name: 'alias bomb (101 aliases)',
    status: 400,
    code: 'BAD_USER_INPUT',
    reason: 'TOO_MANY_ALIASES',
    send: (t) => q(t, `{ ${repeat(101, (i) => `p${i}: patient(id: "${t.patientId}") { name }`)} }`),
  },
  {
    name: 'cost bomb (wide lists, no aliases)',
    status: 400,
    code: 'BAD_USER_INPUT',
    reason: 'QUERY_TOO_COSTLY',
    send: (t) =>
      q(
        t,
        `{ patients(first: 100) { edges { node { ` +
        `${'encounters { subject { conditions { display } medications { medication } observations { code value } allergies { substance } ' +
          'encounters { id type status start end serviceProvider } } } '} } } } }`,
      ),
  },
  {
    name: 'directive bomb (30 directives)',
    status: 400,
    code: 'BAD_USER_INPUT',
    reason: 'TOO_MANY_DIRECTIVES',
    send: (t) => q(t, `{ me { ${repeat(30, () => '... on Me @include(if: true) { sub }')} } }`),
  },
  {
    name: 'token bomb (2500 tokens)',
    status: 400,
    code: 'BAD_USER_INPUT',
    reason: 'TOO_MANY_TOKENS',
    send: (t) => q(t, `{ me { ${repeat(2500, () => 'sub')} } }`),
  },
  {
    name: 'array batching',
    status: 400,
    code: 'BAD_USER_INPUT',
    reason: 'BAD_REQUEST',
    send: (t) => postJson(t.url, t.token, [{ query: `{ patient(id: "${t.patientId}") { name } }` }, { query: '{ me { sub } }' }]),
  },
  {
    name: 'mutation over GET (with the CSRF preflight header)',
    status: 405,
    code: 'BAD_USER_INPUT',
    reason: 'BAD_REQUEST',
    send: (t) =>
      send(
        `${t.url}?query=${encodeURIComponent(`mutation { emergencyStop(target: "${t.plant}", environment: STAGING, reason: "x") { target ` +
          `} }`)}`,
        {
          headers: { authorization: `Bearer ${t.token}`, 'apollo-require-preflight': 'true' },
        },
      ),
  },
  {
    name: 'form-encoded POST (CSRF)',
    status: 400,
    code: 'BAD_USER_INPUT',
    reason: 'BAD_REQUEST',
    send: (t) =>
      send(t.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${t.token}` },
        body: `query=${encodeURIComponent(`{ patient(id: "${t.patientId}") { name } }`)}`,
      }),
  },
  {
    name: 'simple GET without a preflight header (CSRF)',
    status: 400,
    code: 'BAD_USER_INPUT',
    reason: 'BAD_REQUEST',
    send: (t) =>
      send(`${t.url}?query=${encodeURIComponent(`{ patient(id: "${t.patientId}") { name } }`)}`, {
        headers: { authorization: `Bearer ${t.token}` },
      }),
  },
  {
    name: 'oversized body (2 MB)',
    status: 413,
    code: 'BAD_USER_INPUT',
    reason: 'BODY_TOO_LARGE',
    send: (t) => q(t, `{ me { sub } } # ${t.plant} ${'x'.repeat(2_000_000)}`),
  },
  {
    name: 'body that is not JSON',
    status: 400,
    code: 'BAD_USER_INPUT',
    reason: 'INVALID_JSON',
    send: (t) => postJson(t.url, t.token, `{"query": "${t.plant}`),
  },
  {
    name: 'unknown route',
    status: 404,
    code: 'NOT_FOUND',
    send: (t) => send(t.url.replace(/\/graphql$/, `/patients/${encodeURIComponent(t.plant)}`), {}),
  },
  {
    name: 'PUT method',
    status: 405,
    code: 'BAD_USER_INPUT',
    reason: 'BAD_REQUEST',
    send: (t) =>
      send(t.url, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${t.token}` },
        body: '{"query":"{ me { sub } }"}',
      }),
  },
  {
    name: 'field suggestion probe',
    status: 400,
    code: 'BAD_USER_INPUT',
    reason: 'GRAPHQL_VALIDATION_FAILED',
    send: (t) => q(t, `{ patient(id: "${t.patientId}") { nots nam ssnn } }`),
  },
  {
    name: 'a tenant passed as an argument',
    status: 400,
    code: 'BAD_USER_INPUT',
    reason: 'GRAPHQL_VALIDATION_FAILED',
    send: (t) => q(t, `{ patient(id: "${t.patientId}", tenant: "globex") { name } me(role: "system-admin") { tenant } }`),
  },
  {
    name: 'a planted value in a variable of the wrong type',
    status: 400,
    code: 'BAD_USER_INPUT',
    reason: 'BAD_USER_INPUT',
    send: (t) => q(t, 'query($n: Int) { patients(first: $n) { edges { node { id } } } }', { n: t.plant }),
  },
  {
    name: 'a planted value as an enum literal',
    status: 400,
    code: 'BAD_USER_INPUT',
    reason: 'GRAPHQL_VALIDATION_FAILED',
    send: (t) => q(t, `{ settingHistory(key: "x", environment: ${t.plant.replace(/-/g, '_')}) { version } }`),
  },
  {
    name: 'a syntax error around a planted value',
    status: 400,
    code: 'BAD_USER_INPUT',
    reason: 'GRAPHQL_PARSE_FAILED',
    send: (t) => q(t, `{ patient(id: "${t.plant}) { name } }`),
  },
  {
    name: 'no token (with a planted query)',
    status: 401,
    code: 'UNAUTHENTICATED',
    reason: 'MISSING_TOKEN',
    send: (t) => postJson(t.url, null, { query: `{ patient(id: "${t.patientId}") { name } }` }),
  },
  {
    name: 'a token that is the planted string',
    status: 401,
    code: 'UNAUTHENTICATED',
    reason: 'MALFORMED_TOKEN',
    send: (t) => postJson(t.url, t.plant, { query: '{ me { sub } }' }),
  },
];
